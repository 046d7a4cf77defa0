"""A rebuild renders only the fiches that changed; the others are taken from the previous site, unaltered."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import SAMPLE_RECORDS, load

from generator import build
from generator.site.reuse import MANIFEST, Manifest

CAFE = "services/cafe-sante/index.html"
CAFE_FILE = "services/cafe-sante.yml"
CCAS = "services/ccas-aurillac-domiciliation/index.html"


def inodes(site: Path) -> dict[str, int]:
    """The file behind each fiche page: the same number means the page was taken, not written again."""
    return {
        str(p.relative_to(site)): p.stat().st_ino
        for folder in ("services", "structures")
        for p in (site / folder).glob("*/index.html")
    }


def structure_of(resources: Path, service_file: str) -> str:
    for line in (resources / service_file).read_text(encoding="utf-8").splitlines():
        if line.startswith("structure:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("service sans structure")


@pytest.fixture(scope="module")
def first_build(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("reuse")
    resources = root / "resources"
    shutil.copytree(SAMPLE_RECORDS, resources)
    build.build_site(load(resources), resources, root / "site")
    return resources, root / "site"


@pytest.fixture
def built(first_build, tmp_path) -> tuple[Path, Path]:
    """A copy of the first build and of its records (pages keep their size and date, as a build left them)."""
    resources, out = (shutil.copytree(folder, tmp_path / folder.name) for folder in first_build)
    return resources, out


def rebuild(resources: Path, out: Path, **options) -> dict[str, int]:
    before = inodes(out)
    build.build_site(load(resources), resources, out, **options)
    return {path: inode for path, inode in inodes(out).items() if before.get(path) != inode}


def test_nothing_changed_nothing_is_rendered_again(built):
    resources, out = built
    page = (out / CAFE).read_text(encoding="utf-8")
    assert rebuild(resources, out) == {}
    assert (out / CAFE).read_text(encoding="utf-8") == page
    assert json.loads((out / MANIFEST).read_text(encoding="utf-8"))["pages"][CAFE]


def test_an_edited_service_renders_its_fiche_and_its_structure_only(built):
    resources, out = built
    record = resources / CAFE_FILE
    record.write_text(
        record.read_text(encoding="utf-8").replace(
            "description: |", "description: |\n  Nouvelle salle au rez-de-chaussée."
        ),
        encoding="utf-8",
    )
    structure = structure_of(resources, CAFE_FILE)
    assert set(rebuild(resources, out)) == {CAFE, f"structures/{structure}/index.html"}
    assert "Nouvelle salle au rez-de-chaussée." in (out / CAFE).read_text(encoding="utf-8")


def test_a_renamed_structure_renders_the_fiches_of_its_services(built):
    resources, out = built
    structure = structure_of(resources, CAFE_FILE)
    path = resources / "structures" / f"{structure}.yml"
    text = path.read_text(encoding="utf-8")
    old_name = next(line for line in text.splitlines() if line.startswith("nom:")).split(":", 1)[1].strip()
    path.write_text(text.replace(f"nom: {old_name}", "nom: Maison des solidarités renommée"), encoding="utf-8")
    changed = rebuild(resources, out)
    assert CAFE in changed and f"structures/{structure}/index.html" in changed
    assert "Maison des solidarités renommée" in (out / CAFE).read_text(encoding="utf-8")
    assert CCAS not in changed  # another structure's service


def test_a_page_edited_by_hand_or_replaced_by_a_link_is_rendered_again(built, tmp_path):
    resources, out = built
    good = (out / CAFE).read_text(encoding="utf-8")
    (out / CAFE).write_text(good.replace("Café santé", "Café modifié à la main"), encoding="utf-8")
    secret = tmp_path / "secret.html"
    secret.write_text("secret", encoding="utf-8")
    (out / CCAS).unlink()
    (out / CCAS).symlink_to(secret)  # a link planted in the previous site is not followed
    assert set(rebuild(resources, out)) == {CAFE, CCAS}
    assert (out / CAFE).read_text(encoding="utf-8") == good
    assert not (out / CCAS).is_symlink() and "secret" not in (out / CCAS).read_text(encoding="utf-8")


def test_a_new_site_name_changes_every_fiche(built, monkeypatch):
    resources, out = built
    original = build.read_config
    monkeypatch.setattr(build, "read_config", lambda *a: {**original(*a), "site_name": "Annuaire du Lot"})
    assert set(rebuild(resources, out)) == set(inodes(out))
    assert "Annuaire du Lot" in (out / CAFE).read_text(encoding="utf-8")


def test_a_fiche_that_turns_stale_is_rendered_again(built):
    resources, out = built
    later = load(resources)
    later.today = date(later.today.year + 2, 1, 1)  # every record is then past its yearly check
    build.build_site(later, resources, out)
    assert "À vérifier" in (out / CAFE).read_text(encoding="utf-8")


@pytest.mark.parametrize("manifest", ["", "{", '{"version": 1, "code": 3, "shells": [], "pages": 5}', '"texte"'])
def test_a_broken_manifest_reads_as_none(tmp_path, manifest):
    (tmp_path / MANIFEST).write_text(manifest, encoding="utf-8")
    assert Manifest.read(tmp_path) == Manifest()


def test_without_manifest_everything_is_rendered(built):
    resources, out = built
    (out / MANIFEST).unlink()
    assert set(rebuild(resources, out)) == set(inodes(out))


def test_the_preview_from_disk_leaves_the_previous_site_as_it_was(built):
    """Links rewritten to index.html for the preview are written to new files: a page the new site shares with
    the previous one (a hard link) is never changed in place."""
    resources, out = built
    previous = out.with_name("precedent")
    shutil.copytree(out, previous, copy_function=lambda src, dst: Path(dst).hardlink_to(src))
    before = (previous / CAFE).read_text(encoding="utf-8")
    build.build_site(load(resources), resources, out, local_files=True)
    assert 'index.html"' in (out / CAFE).read_text(encoding="utf-8")
    assert (previous / CAFE).read_text(encoding="utf-8") == before


def test_moving_a_record_moves_its_territory_centre_for_every_fiche(tmp_path):
    """Hours that follow the sun, on a fiche without coordinates, are computed at its territory's centre."""
    from generator.build import read_config, settings_from
    from generator.site.reuse import code_fingerprint

    catalog = load(SAMPLE_RECORDS)
    settings = settings_from(read_config())
    before = code_fingerprint(catalog, settings, local_files=False)
    placed = next(s for s in catalog.structures.values() if s.latitude is not None)
    catalog.structures[placed.id] = placed.model_copy(update={"latitude": placed.latitude + 0.5})
    assert code_fingerprint(catalog, settings, local_files=False) != before


# --- the search's indexes ---------------------------------------------------------------------------------


@pytest.fixture
def pagefind_runs(tmp_path, monkeypatch) -> Path:
    """Pagefind wrapped by a script that notes the folder of each index it makes (one line each)."""
    from pagefind_bin import get_executable

    from generator.site import search

    log = tmp_path / "pagefind.log"
    wrapper = tmp_path / "pagefind-note"
    wrapper.write_text(
        f'#!/bin/sh\nfor a in "$@"; do case "$prev" in --output-path) echo "$a" >> {log};; esac; prev="$a"; done\n'
        f'exec {get_executable()} "$@"\n',
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    monkeypatch.setattr(search, "get_executable", lambda: wrapper)
    return log


def made(log: Path) -> list[str]:
    """The indexes Pagefind made: their staging folder's name (recherche-services, recherche-autres)."""
    return sorted(Path(line).parent.name for line in log.read_text().splitlines()) if log.exists() else []


def search_files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted((site / "pagefind").rglob("*")) if p.is_file()}


def test_unchanged_records_take_every_search_index_without_pagefind(built, pagefind_runs):
    resources, out = built
    before = search_files(out)
    rebuild(resources, out)
    assert made(pagefind_runs) == []
    assert search_files(out) == before


def test_an_edited_description_makes_the_services_index_again_and_takes_the_other(built, pagefind_runs):
    resources, out = built
    before = search_files(out)
    edited = resources / CAFE_FILE
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("description: |", "description: |\n  Nouveauté."), "utf-8"
    )
    rebuild(resources, out)
    assert made(pagefind_runs) == ["recherche-services"]
    after = search_files(out)
    assert {k: v for k, v in after.items() if k.startswith("pagefind/autres/")} == {
        k: v for k, v in before.items() if k.startswith("pagefind/autres/")
    }
    assert after != before


def test_a_search_file_edited_since_or_a_hostile_manifest_makes_the_index_again(built, pagefind_runs):
    resources, out = built
    before = search_files(out)
    record = (resources / CAFE_FILE).read_bytes()
    fragment = next((out / "pagefind" / "autres" / "fragment").iterdir())
    fragment.write_bytes(b"modifie a la main")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["indexes"]["pagefind"]["files"]["../../resources/services/cafe-sante.yml"] = [1, 1]
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    rebuild(resources, out)
    assert made(pagefind_runs) == ["recherche-autres", "recherche-services"]
    after = search_files(out)
    assert b"modifie a la main" not in after.values() and len(after) == len(before)
    assert (resources / CAFE_FILE).read_bytes() == record  # the path planted in the manifest was not followed


def test_an_index_file_named_outside_its_folder_is_never_linked(tmp_path):
    from generator.site.search import _link_index

    source, target = tmp_path / "ancien" / "pagefind", tmp_path / "nouveau" / "index"
    source.mkdir(parents=True)
    (source / "pagefind.js").write_text("script", encoding="utf-8")
    outside = tmp_path / "dehors.txt"
    outside.write_text("à ne pas toucher", encoding="utf-8")
    known = {name: (p.stat().st_size, p.stat().st_mtime_ns) for name, p in [("pagefind.js", source / "pagefind.js")]}
    planted = {**known, "../../dehors.txt": (outside.stat().st_size, outside.stat().st_mtime_ns)}
    assert _link_index(source, planted, target) is False
    assert not target.exists() and outside.read_text(encoding="utf-8") == "à ne pas toucher"
    assert _link_index(source, known, target) is True
    assert (target / "pagefind.js").stat().st_ino == (source / "pagefind.js").stat().st_ino


def test_a_renamed_service_makes_only_its_part_of_the_services_index_again(tmp_path, pagefind_runs, monkeypatch):
    """Parts follow the services' ids: a rename changes one part (and the structures', which list the names)."""
    from generator.site import search

    monkeypatch.setattr(search, "SHARD_SIZE", 25)  # the sample's 60-odd services in three parts
    resources = shutil.copytree(SAMPLE_RECORDS, tmp_path / "resources")
    build.build_site(load(resources), resources, tmp_path / "site")
    assert sorted(set(made(pagefind_runs))) == [
        "recherche-autres",
        "recherche-services",
        "recherche-services-2",
        "recherche-services-3",
    ]
    pagefind_runs.unlink()
    edited = resources / CAFE_FILE
    edited.write_text(edited.read_text(encoding="utf-8").replace("\nnom: ", "\nnom: Nouveau "), encoding="utf-8")
    build.build_site(load(resources), resources, tmp_path / "site")
    remade = made(pagefind_runs)
    assert len(remade) == 2 and remade[0] == "recherche-autres" and remade[1].startswith("recherche-services")
