"""`annuaire build`: all or nothing. A failed build leaves the previous site as it was, with nothing beside it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from conftest import resources_from_examples

from generator import build
from generator.cli import main

SERVICE = "services/point-conseil-budget-aurillac.yml"


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir())


def edit_description(resources: Path) -> None:
    record = resources / SERVICE
    record.write_text(
        record.read_text(encoding="utf-8").replace("description: |", "description: |\n  Modifié."), "utf-8"
    )


def failed_build(resources: Path, out: Path, capsys) -> str:
    """Build again, expecting a failure that leaves the site as it was and nothing beside it: what was printed."""
    before = snapshot(out)
    capsys.readouterr()
    assert main(["build", "--resources", str(resources), "--out", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "Traceback" not in printed
    assert snapshot(out) == before
    assert siblings(out) == ["resources", "site"]
    return printed


@pytest.fixture
def project(tmp_path) -> tuple[Path, Path]:
    """Resources copied from the contract's examples, built once into tmp/site."""
    resources = resources_from_examples(tmp_path / "resources")
    out = tmp_path / "site"
    assert main(["build", "--resources", str(resources), "--out", str(out)]) == 0
    assert (out / "services" / "point-conseil-budget-aurillac" / "index.html").is_file()
    return resources, out


def test_a_build_with_a_record_error_leaves_the_previous_site_untouched(project, capsys):
    resources, out = project
    before = snapshot(out)
    record = resources / SERVICE
    record.write_text(record.read_text(encoding="utf-8").replace('"04 65 71 00 13"', '"04 71"'), encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--resources", str(resources), "--out", str(out)]) == 1
    printed = capsys.readouterr().out
    assert f"{resources}/{SERVICE}:" in printed and ": error: telephone: " in printed
    assert "n'a pas été modifié" in printed and "Traceback" not in printed
    assert snapshot(out) == before
    assert siblings(out) == ["resources", "site"]


def test_an_engine_failure_leaves_the_previous_site_untouched(project, monkeypatch, capsys):
    resources, out = project
    # A theme that does not exist makes mkdocs fail after every page was written to the staging folder.
    original = build.read_config
    monkeypatch.setattr(build, "read_config", lambda *a: {**original(*a), "theme": {"name": "theme-inexistant"}})
    printed = failed_build(resources, out, capsys)
    assert "error: construction impossible : le moteur « mkdocs » a échoué" in printed


def test_a_page_produced_twice_fails_the_build_and_keeps_the_site(project, monkeypatch, capsys):
    resources, out = project
    before = snapshot(out)
    twice = lambda catalog, settings: [build.Page("index.md", "# encore l'accueil\n")]  # noqa: E731
    monkeypatch.setattr(build, "PROVIDERS", [*build.PROVIDERS, twice])
    assert main(["build", "--resources", str(resources), "--out", str(out)]) == 1
    assert "la page « index.md » est produite deux fois" in capsys.readouterr().out
    assert snapshot(out) == before
    assert siblings(out) == ["resources", "site"]


def test_a_successful_rebuild_replaces_the_whole_site(project):
    resources, out = project
    (out / "fichier-perime.txt").write_text("reste d'une ancienne construction", encoding="utf-8")
    record = resources / SERVICE
    record.write_text(
        record.read_text(encoding="utf-8").replace("nom: Point conseil budget", "nom: Point budget"), encoding="utf-8"
    )
    assert main(["build", "--resources", str(resources), "--out", str(out)]) == 0
    assert not (out / "fichier-perime.txt").exists()
    assert "<h1>Point budget</h1>" in (out / "services" / "point-conseil-budget-aurillac" / "index.html").read_text(
        encoding="utf-8"
    )
    assert siblings(out) == ["resources", "site"]


def test_out_that_is_a_file_is_refused(tmp_path, capsys):
    resources = resources_from_examples(tmp_path / "resources")
    out = tmp_path / "site"
    out.write_text("pas un dossier", encoding="utf-8")
    assert main(["build", "--resources", str(resources), "--out", str(out)]) == 2
    assert "n'est pas un dossier" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "pas un dossier"
    assert siblings(out) == ["resources", "site"]


def test_a_missing_resources_folder_is_a_usage_error(tmp_path, capsys):
    assert main(["build", "--resources", str(tmp_path / "absent"), "--out", str(tmp_path / "site")]) == 2
    assert "n'existe pas" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_a_full_disk_while_the_search_documents_are_written_fails_the_build_and_keeps_the_site(
    project, monkeypatch, capsys
):
    """The search's documents are written by a child process: its disk error reaches the build, told in French."""
    from generator.site import search

    resources, out = project

    def full_disk(run):
        raise OSError(28, "No space left on device", str(run.documents / "services"))

    monkeypatch.setattr(search._PagefindRun, "_write_documents", full_disk)
    edit_description(resources)  # the previous site's index no longer fits: the documents are written again
    printed = failed_build(resources, out, capsys)
    assert "l'index de recherche (Pagefind) n'a pas pu être construit : documents à indexer non écrits" in printed
    assert "disque plein" in printed


def test_pagefind_failing_fails_the_build_with_its_last_line_and_keeps_the_site(
    project, monkeypatch, capsys, tmp_path_factory
):
    from generator.site import search

    resources, out = project
    failing = tmp_path_factory.mktemp("pagefind") / "pagefind-en-panne"
    failing.write_text("#!/bin/sh\necho 'Error: index impossible' >&2\nexit 1\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setattr(search, "get_executable", lambda: failing)
    edit_description(resources)
    printed = failed_build(resources, out, capsys)
    assert "l'index de recherche (Pagefind) n'a pas pu être construit : Error: index impossible" in printed


def test_stopping_the_indexing_kills_the_process_writing_the_documents(tmp_path, monkeypatch):
    """Ctrl+C while the search documents are written: the child writing them is killed, nothing waits for it."""
    import threading
    import time

    from generator.site import search

    monkeypatch.setattr(search._PagefindRun, "_write_documents", lambda run: time.sleep(60))
    run = search._PagefindRun([], tmp_path / "recherche", "pagefind")
    failures: list[Exception] = []

    def write() -> None:
        try:
            run.write_documents()
        except search.SearchIndexError as exc:
            failures.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    deadline = time.monotonic() + 10
    while run._child is None and time.monotonic() < deadline:
        time.sleep(0.01)
    child = run._child
    assert child is not None
    started = time.monotonic()
    run.stop()
    writer.join(timeout=10)
    assert not writer.is_alive() and time.monotonic() - started < 5
    assert [str(f) for f in failures] == ["documents à indexer non écrits ou effacés (écriture interrompue)"]
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)  # reaped: no zombie left
    run.write_documents()  # once stopped, nothing more is started
    assert run._child is None
