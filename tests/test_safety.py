"""No command destroys a user's files, hangs, prints a traceback, or publishes something hostile."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, resources_from_examples, run_cli, write_record

SERVICE = "services/point-conseil-budget-aurillac.yml"
PATH = "resources/services/atelier-test.yml"


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- files that are not plain records ---------------------------------------------------------------------


def _dangerous_files(services: Path, outside: Path) -> None:
    (services / "zero.yml").symlink_to("/dev/zero")
    os.mkfifo(services / "tube.yml")
    (services / "boucle.yml").symlink_to(services / "boucle.yml")
    outside.write_text("id: dehors\n", encoding="utf-8")
    (services / "dehors.yml").symlink_to(outside)
    (services / "gros.yml").write_text("freins:\n" + "  - sante\n" * 1_000_000, encoding="utf-8")


def test_special_files_and_links_get_a_located_error_at_once(examples, tmp_path):
    _dangerous_files(examples / "services", tmp_path / "hors-du-depot.yml")
    started = time.monotonic()
    run = run_cli("check", "--resources", "resources")
    elapsed = time.monotonic() - started
    assert run.code == 1
    assert run.diagnostics == [
        "resources/services/boucle.yml:1:1: error: lien symbolique en boucle : remplacez-le par le fichier de la fiche",
        "resources/services/dehors.yml:1:1: error: lien symbolique vers un fichier hors du dossier des fiches : "
        "copiez la fiche dans le dossier au lieu d'y faire un lien",
        "resources/services/gros.yml:1:1: error: fichier de 10,0 Mo : une fiche ne doit pas dépasser 200 Ko "
        "(une fiche fait d'ordinaire quelques kilo-octets)",
        "resources/services/tube.yml:1:1: error: ce n'est pas un fichier ordinaire (tube, périphérique ou socket) : "
        "une fiche est un fichier texte YAML",
        "resources/services/zero.yml:1:1: error: lien symbolique vers un fichier hors du dossier des fiches : "
        "copiez la fiche dans le dossier au lieu d'y faire un lien",
    ]
    assert elapsed < 3, f"{elapsed:.1f} s"


def test_a_link_to_a_record_inside_the_folder_is_read(examples):
    (examples / "services" / "copie.yml").symlink_to(examples / SERVICE)
    run = run_cli("check", "--resources", "resources")
    # Read (not refused as a link): its id differs from its file name.
    assert run.diagnostics == [
        "resources/services/copie.yml:2:5: error: id: « point-conseil-budget-aurillac » doit être identique au "
        "nom du fichier : renommez le fichier en « point-conseil-budget-aurillac.yml », ou écrivez « id: copie »"
    ]


def test_new_and_diff_do_not_hang_on_a_fifo(examples, tmp_path):
    os.mkfifo(examples / "services" / "tube.yml")
    (examples / "services" / "zero.yml").symlink_to("/dev/zero")
    assert run_cli("new", "service", "atelier-neuf").code == 0
    base = resources_from_examples(tmp_path / "avant")
    run = run_cli("diff", "--base-dir", base, "--resources", "resources")
    assert run.code == 0 and "atelier-neuf" in run.out


# --- limits -----------------------------------------------------------------------------------------------


def test_a_50_mb_description_is_refused_fast(examples):
    write_record(examples, "services", "atelier-test", "description: " + "a" * 50_000_000 + "\n")
    started = time.monotonic()
    run = run_cli("check", "--resources", "resources")
    assert run.diagnostics == [
        f"{PATH}:1:1: error: fichier de 50,0 Mo : une fiche ne doit pas dépasser 200 Ko (une fiche fait d'ordinaire quelques kilo-octets)"
    ]
    assert time.monotonic() - started < 3


def test_limits_are_in_the_json_schema():
    from generator.records.models import Service, Territoire

    service = Service.model_json_schema()["properties"]
    assert service["freins"]["maxItems"] == 9 and service["freins"]["uniqueItems"] is True
    assert service["partenaires"]["maxItems"] == 100
    assert service["description"]["maxLength"] == 5000
    bassin = Territoire.model_json_schema()["$defs"]["Bassin"]["properties"]
    assert bassin["nom"]["maxLength"] == 200 and bassin["communes"]["uniqueItems"] is True


# --- build --out ------------------------------------------------------------------------------------------


@pytest.fixture
def repository(tmp_path) -> Path:
    """A repository as a user has it: .git, a README, resources/, a folder of documents."""
    root = tmp_path / "depot"
    resources_from_examples(root / "resources")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (root / "README.md").write_text("# Mon dépôt\n", encoding="utf-8")
    (root / "documents").mkdir()
    (root / "documents" / "compte-rendu.odt").write_bytes(b"PK important")
    (root / "un-fichier").write_text("texte", encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "out, message",
    [
        ("documents", "« documents » n'est pas vide et n'est pas un site construit par annuaire"),
        ("resources", "« resources » est le dossier des fiches « resources »"),
        ("resources/services", "« resources/services » est dans le dossier des fiches"),
        (".", "« . » contient le dossier des fiches « resources »"),
        ("..", "« .. » contient le dossier des fiches « resources »"),
        ("/", "« / » est la racine du système"),
        ("un-fichier", "« un-fichier » existe et n'est pas un dossier"),
        ("un-fichier/site", "« un-fichier/site » ne peut pas être créé :"),
        ("/proc/x", "« /proc/x » ne peut pas être écrit"),
    ],
)
def test_build_refuses_an_out_folder_it_would_destroy(repository, monkeypatch, out, message):
    monkeypatch.chdir(repository)
    before = tree(repository)
    run = run_cli("build", "--resources", "resources", "--out", out)
    assert run.code == 2
    assert run.out == ""
    assert run.err.startswith("annuaire : erreur d'utilisation : ") and message in run.err
    assert run.err.count("\n") == 1
    assert tree(repository) == before
    assert sorted(p.name for p in repository.iterdir()) == [".git", "README.md", "documents", "resources", "un-fichier"]


def test_build_refuses_the_repository_when_the_records_are_elsewhere(repository, tmp_path, monkeypatch):
    monkeypatch.chdir(repository / "resources")
    run = run_cli("build", "--resources", ".", "--out", "../site")
    assert run.code == 0, run.err  # a new folder beside resources/ in the repository is fine
    run = run_cli("build", "--resources", str(repository / "resources"), "--out", str(repository))
    assert run.code == 2 and "dépôt git" not in run.err and "contient le dossier des fiches" in run.err
    records = resources_from_examples(tmp_path / "ailleurs")
    monkeypatch.chdir(tmp_path)
    run = run_cli("build", "--resources", records, "--out", repository)
    assert run.code == 2 and "« " + str(repository) + " » est un dépôt git" in run.err


def test_build_writes_into_an_empty_folder_then_rebuilds_its_own_site(tmp_path):
    resources = resources_from_examples(tmp_path / "resources")
    record = resources / SERVICE
    record.write_text(
        record.read_text(encoding="utf-8").replace("nom: Point conseil budget", 'nom: "=1+2"'), encoding="utf-8"
    )
    out = tmp_path / "site"
    out.mkdir()
    assert run_cli("build", "--resources", resources, "--out", out).code == 0
    assert (out / ".annuaire-site").is_file() and (out / "index.html").is_file()
    assert run_cli("build", "--resources", resources, "--out", out).code == 0
    # The site's open data too: the CSV neutralised, the JSON exact.
    rows = list(csv.DictReader(io.StringIO((out / "donnees" / "services.csv").read_text(encoding="utf-8"))))
    assert rows[0]["nom"] == "'=1+2"
    assert json.loads((out / "donnees" / "services.json").read_text(encoding="utf-8"))[0]["nom"] == "=1+2"


# --- signals ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_a_build_keeps_the_previous_site_and_no_staging_folder(tmp_path, signum):
    resources = resources_from_examples(tmp_path / "resources")
    out = tmp_path / "site"
    assert run_cli("build", "--resources", resources, "--out", out).code == 0
    before = tree(out)
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--resources", str(resources), "--out", str(out)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    # Wait until the engine runs: the staging folder holds the pages and mkdocs.yml.
    while not list(tmp_path.glob(".site-construction-*/mkdocs.yml")) and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signum
    assert err == "Construction interrompue : « " + str(out) + " » n'a pas été modifié.\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["resources", "site"]
    assert tree(out) == before


# --- every command: usage and environment errors are one French line, exit 2 -----------------------------


def _busy_port() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


LONG = "x" * 5000


@pytest.mark.parametrize(
    "argv, message",
    [
        (["check", "--resources", LONG], "chemin trop long"),
        (["check", "--resources", "vide"], "« vide » ne contient aucune fiche"),
        (["check", "--resources", "resources", "--format", "gitlab", "--report", "un-fichier/r.json"], "rapport"),
        (["build", "--resources", "resources", "--out", "/"], "racine du système"),
        (["build", "--resources", "resources", "--out", "un-fichier/sub"], "n'est pas un dossier"),
        (["build", "--resources", "resources", "--out", "/proc/x"], "ne peut pas être écrit"),
        (["build", "--resources", "vide", "--out", "site"], "ne contient aucune fiche"),
        (["serve", "--resources", "resources", "--port", "99999"], "n'est pas un numéro de port"),
        (["serve", "--resources", "resources", "--port", "-1"], "--port"),
        (["serve", "--resources", "resources", "--port", "PORT_OCCUPE"], "est indisponible (port déjà utilisé"),
        (["new", "service", "atelier-x", "--resources", "services-fichier"], "n'est pas un dossier"),
        (["new", "service", "lien-casse", "--resources", "resources"], "lien symbolique cassé"),
        (["new", "service", "../dehors", "--resources", "resources"], "n'est pas un identifiant valide"),
        (["new", "service", "x", "--resources", LONG], "chemin trop long"),
        (["schema", "--out", "un-fichier/schemas"], "n'est pas un dossier"),
        (["export", "--format", "csv", "--resources", "resources", "--out", "un-fichier/x"], "n'est pas un dossier"),
        (["export", "--format", "csv", "--resources", "resources", "--out", "/proc/x"], "introuvable"),
        (["export", "--format", "xls", "--resources", "resources"], "choix « 'xls' » invalide"),
        (["import", "data-inclusion", LONG, "--territoire", "cantal", "--resources", "resources"], "trop long"),
        (["import", "data-inclusion", "absent.json", "--territoire", "cantal", "--resources", "resources"], "absent"),
        (["import", "data-inclusion", "un-fichier", "--territoire", "inconnu", "--resources", "resources"], "inconnu"),
        (["import", "data-inclusion", "/dev/zero", "--territoire", "cantal"], "n'est pas un fichier ordinaire"),
        (["import", "data-inclusion", "resources", "--territoire", "cantal"], "n'est pas un fichier ordinaire"),
        (["codeowners", "--resources", "resources", "--out", "un-fichier/CODEOWNERS"], "n'est pas un dossier"),
        (["codeowners", "--resources", "resources", "--out", "/proc/x/CODEOWNERS"], "introuvable"),
        (["diff", "--base-dir", LONG, "--resources", "resources"], "chemin trop long"),
        (["diff", "--base", "--resources", "resources"], "--base"),
        (["diff", "--base=--output=piege.tar", "--resources", "resources"], "ne commence pas par « - »"),
        (["stale", "--resources", "resources", "--mois", "douze"], "nombre entier"),
        (["stale", "--resources", "resources", "--mois", "0"], "au moins 1"),
    ],
)
def test_every_command_says_a_usage_error_in_one_french_line(examples, argv, message):
    Path("un-fichier").write_text("texte", encoding="utf-8")
    Path("vide").mkdir()
    Path("services-fichier").mkdir()
    Path("services-fichier/services").write_text("pas un dossier", encoding="utf-8")
    if "lien-casse" in argv:
        (examples / "services" / "lien-casse.yml").symlink_to("/nulle-part/lien-casse.yml")
    with _busy_port() as busy:
        argv = [str(busy.getsockname()[1]) if arg == "PORT_OCCUPE" else arg for arg in argv]
        run = run_cli(*argv)
    assert run.code == 2, run.out + run.err
    assert run.err.count("\n") == 1 and run.err.startswith("annuaire : erreur d'utilisation : ")
    assert message in run.err
    assert "Traceback" not in run.out + run.err
    assert len(run.err) < 600


def test_a_real_process_prints_no_traceback_for_a_busy_port(examples):
    with _busy_port() as busy:
        done = subprocess.run(
            [sys.executable, "-m", "generator", "serve", "--port", str(busy.getsockname()[1])],
            cwd=examples.parent,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert done.stderr.startswith("annuaire : erreur d'utilisation : le port ") and done.stderr.count("\n") == 1


# --- hostile content in the open data ---------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("https://exemple.example";"Cliquez")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)"]


def test_csv_cells_never_start_a_formula_and_json_stays_exact(examples, tmp_path):
    record = examples / SERVICE
    text = record.read_text(encoding="utf-8")
    text = text.replace("nom: Point conseil budget", f"nom: {json.dumps(FORMULAS[0])}")
    text = text.replace(
        "mobilisation_precisions: Le conseiller peut joindre la fiche de liaison au courriel.",
        f"mobilisation_precisions: {json.dumps(FORMULAS[1])}",
    )
    record.write_text(text, encoding="utf-8")
    assert run_cli("export", "--format", "csv", "--resources", "resources", "--out", tmp_path / "csv").code == 0
    assert (
        run_cli("export", "--format", "data-inclusion", "--resources", "resources", "--out", tmp_path / "j").code == 0
    )
    rows = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "services.csv").read_text(encoding="utf-8"))))
    assert rows[0]["nom"] == "'" + FORMULAS[0]
    assert rows[0]["mobilisation_precisions"].startswith("'=cmd|")
    assert rows[0]["telephone"] == "+33465710013"  # a plain number runs nothing: kept as it is
    services = json.loads((tmp_path / "j" / "services.json").read_text(encoding="utf-8"))
    assert services[0]["nom"] == FORMULAS[0]


def test_csv_safe_follows_the_owasp_rule():
    from generator.opendata.export import csv_safe

    assert [csv_safe(v) for v in FORMULAS] == ["'" + v for v in FORMULAS]
    assert csv_safe("\tcaché") == "'\tcaché" and csv_safe("\rcaché") == "'\rcaché"
    assert [csv_safe(v) for v in ["-1.55", "+33471454647", "Aurillac", "a=b"]] == [
        "-1.55",
        "+33471454647",
        "Aurillac",
        "a=b",
    ]
