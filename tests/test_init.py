"""`annuaire init` on a copy of the project: the territoire, mkdocs.yml, the demonstration data removed on
request, nothing of the user's overwritten; and what a small territory's site then shows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO, SAMPLE_RECORDS, run_cli, write_record

from generator import build

GITHUB = "https://github.com/cd48/base-ressources"
STRUCTURE = (
    "id: ccas-mende\n"
    "nom: Centre communal d'action sociale de Mende\n"
    "territoire: lozere\n"
    "description: Aides facultatives et domiciliation.\n"
    "date_maj: 2026-11-20\n"
)
SERVICE = (
    "id: ccas-mende-aides\n"
    "structure: ccas-mende\n"
    "nom: Aides facultatives\n"
    "description: Secours d'urgence après une évaluation sociale.\n"
    "freins: [difficultes-financieres]\n"
    "date_maj: 2026-11-20\n"
)


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """The project's mkdocs.yml and national pages, the demonstration sample as its resources/ and a page for
    each demonstration territory (the repository's own territory pages may be another territory's)."""
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(REPO / "docs", tmp_path / "docs", ignore=shutil.ignore_patterns("territoire"))
    (tmp_path / "docs" / "accompagnement-global" / "territoire").mkdir()
    for territoire in ("cantal", "rhone"):
        (tmp_path / "docs" / "accompagnement-global" / "territoire" / f"{territoire}.md").write_text("# Exemple\n")
    shutil.copytree(SAMPLE_RECORDS, tmp_path / "resources", ignore=shutil.ignore_patterns("README.md"))
    shutil.copy(REPO / "CONTRIBUTING.md", tmp_path / "CONTRIBUTING.md")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def settings(project: Path) -> dict:
    return yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=build._ConfigLoader)


def records(project: Path) -> list[str]:
    return sorted(p.relative_to(project / "resources").as_posix() for p in (project / "resources").glob("*/*.yml"))


def test_init_writes_the_territoire_and_the_github_settings(project):
    run = run_cli(
        "init", "lozere", "--departement", "48", "--forge", "github", "--depot", GITHUB, "--courriel", "base@cd48.fr"
    )
    assert run.code == 0, run.err
    territoire = yaml.safe_load((project / "resources" / "territoires" / "lozere.yml").read_text(encoding="utf-8"))
    assert (territoire["id"], territoire["nom"], territoire["departement"]) == ("lozere", "Lozère", "48")
    assert [(b["id"], b["nom"]) for b in territoire["bassins"]] == [
        ("florac", "Bassin de Florac"),
        ("mende", "Bassin de Mende"),
    ]
    config = settings(project)
    assert config["site_name"] == "Base de ressources sociales — Lozère"
    assert config["site_url"] == "https://cd48.github.io/base-ressources/"
    assert config["copyright"] == "Données publiées sous Licence Ouverte 2.0 (Etalab)."
    assert config["extra"]["annuaire"] == {
        "lien_correction": f"{GITHUB}/edit/main/resources/{{fichier}}",
        "lien_proposition": f"{GITHUB}/issues/new?template=proposer-une-ressource.yml",
        "courriel_contact": "base@cd48.fr",
    }
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert "# Lien « Proposer une correction » de chaque fiche" in text  # comments kept
    assert "Reste à faire :" in run.out and "  1. Relire resources/territoires/lozere.yml" in run.out
    assert len(records(project)) == 97 + 1  # without --supprimer-demo the demonstration stays


def test_gitlab_links_and_a_self_hosted_site_url(project):
    depot = "https://gitlab.exemple.fr/insertion/base"
    args = ["--forge", "gitlab", "--depot", depot, "--branche", "publie", "--site-url", "https://base.exemple.fr/"]
    assert run_cli("init", "lozere", "--departement", "48", *args).code == 0
    config = settings(project)
    assert config["site_url"] == "https://base.exemple.fr/"
    assert config["extra"]["annuaire"]["lien_correction"] == f"{depot}/-/edit/publie/resources/{{fichier}}"
    assert config["extra"]["annuaire"]["lien_proposition"] == (
        f"{depot}/-/issues/new?issuable_template=Proposer%20une%20ressource"
    )


def test_the_cantal_bassins_are_its_three_arrondissements(project):
    """The demonstration's Cantal bassins were typed from the arrondissements: init finds the same communes."""
    shipped = yaml.safe_load((SAMPLE_RECORDS / "territoires" / "cantal.yml").read_text(encoding="utf-8"))
    assert run_cli("init", "cantal", "--departement", "15", "--supprimer-demo").code == 0
    written = yaml.safe_load((project / "resources" / "territoires" / "cantal.yml").read_text(encoding="utf-8"))
    assert [(b["id"], b["nom"], sorted(b["communes"])) for b in written["bassins"]] == [
        (b["id"], b["nom"], sorted(b["communes"])) for b in shipped["bassins"]
    ]


def test_supprimer_demo_removes_the_demonstration_and_keeps_the_rest(project):
    write_record(project / "resources", "territoires", "aveyron", "id: aveyron\n")  # a user's file, even invalid
    run = run_cli("init", "lozere", "--departement", "48", "--supprimer-demo")
    assert run.code == 0, run.err
    assert records(project) == ["territoires/aveyron.yml", "territoires/lozere.yml"]
    assert "Données de démonstration supprimées : 99 fichiers." in run.out  # 97 records, 2 territory pages
    pages = sorted(p.name for p in (project / "docs" / "accompagnement-global" / "territoire").iterdir())
    assert pages == ["lozere.md"]


def test_the_partner_guide_lists_the_new_bassins_and_links_to_the_new_forge(project):
    """CONTRIBUTING's generated lists follow the territory at once: the CI's guide check is green after init."""
    run = run_cli("init", "lozere", "--departement", "48", "--forge", "github", "--depot", GITHUB, "--supprimer-demo")
    assert run.code == 0, run.err
    assert "Écrit : CONTRIBUTING.md" in run.out
    guide = (project / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "### `bassins` du territoire `lozere`" in guide and "| `mende` | Bassin de Mende |" in guide
    assert "### `bassins` du territoire `cantal`" not in guide and "### `bassins` du territoire `rhone`" not in guide
    assert f"({GITHUB}/new/main/resources/services?filename=nouveau-service.yml" in guide
    assert "github.com/exemple" not in guide


def test_init_never_overwrites_a_territory(project):
    write_record(project / "resources", "territoires", "lozere", "id: lozere\n# à moi\n")
    config = (project / "mkdocs.yml").read_bytes()
    run = run_cli("init", "lozere", "--departement", "48", "--supprimer-demo")
    assert run.code == 2
    assert run.err == (
        "annuaire : erreur d'utilisation : « resources/territoires/lozere.yml » existe déjà : "
        "ajoutez --remplacer pour l'écrire à nouveau\n"
    )
    assert (project / "resources" / "territoires" / "lozere.yml").read_text(encoding="utf-8").endswith("# à moi\n")
    assert (project / "mkdocs.yml").read_bytes() == config and len(records(project)) == 98  # nothing removed
    assert run_cli("init", "lozere", "--departement", "48", "--remplacer").code == 0


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--departement", "99"], "« 99 » n'est pas un code de département du code officiel géographique"),
        (["--departement", "48", "--forge", "github"], "--forge et --depot vont ensemble"),
        (["--departement", "48", "--nom", "Lozère"], None),
    ],
)
def test_usage_errors_say_what_is_wrong(project, argv, message):
    run = run_cli("init", "lozere", *argv)
    if message is None:
        assert run.code == 0
    else:
        assert run.code == 2 and message in run.err and "Traceback" not in run.err


def test_check_warns_while_the_forge_is_the_example():
    run = run_cli("check", "--resources", REPO / "resources")
    placeholder = "https://github.com/exemple/" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    warned = [line for line in run.diagnostics if ": warning: extra.annuaire.lien_correction: " in line]
    assert len(warned) == (1 if placeholder else 0)


def test_a_small_territory_looks_finished(project, monkeypatch):
    """One structure, one service: empty freins say so, the description shows, one site name in the title,
    no demonstration footer, the forge's links, the Données page's example made of the territory's own ids."""
    started = run_cli(
        "init", "lozere", "--departement", "48", "--supprimer-demo", "--forge", "github", "--depot", GITHUB
    )
    assert started.code == 0, started.err
    resources = project / "resources"
    territoire = resources / "territoires" / "lozere.yml"
    territoire.write_text(
        territoire.read_text(encoding="utf-8") + "description: La base des partenaires de la Lozère.\n",
        encoding="utf-8",
    )
    write_record(resources, "structures", "ccas-mende", STRUCTURE)
    write_record(resources, "services", "ccas-mende-aides", SERVICE)
    original = build.read_config
    monkeypatch.setattr(build, "read_config", lambda *args: original(project / "mkdocs.yml"))
    monkeypatch.setattr(build, "DOCS", project / "docs")
    assert run_cli("build", "--resources", "resources", "--out", "site").code == 0
    home = BeautifulSoup((project / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.title.get_text() == "Base de ressources sociales — Lozère"
    assert "La base des partenaires de la Lozère." in home.get_text()
    empty = home.select("li.annuaire-grille-vide")
    assert len(empty) == 8  # nine freins, one with a service
    for item in empty:
        assert "aucun service pour l'instant" in item.get_text()
        assert item.select_one("a")["href"] == f"{GITHUB}/issues/new?template=proposer-une-ressource.yml"
    footer = home.select_one("footer").get_text()
    assert "Licence Ouverte" in footer and "démonstration" not in footer
    assert home.select_one('nav a[href="accompagnement-global/territoire/lozere/"]') is not None
    fiche = BeautifulSoup(
        (project / "site" / "services" / "ccas-mende-aides" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    correction = fiche.find("a", string="Proposer une correction")
    assert correction["href"] == f"{GITHUB}/edit/main/resources/services/ccas-mende-aides.yml"
    donnees = (project / "site" / "donnees" / "index.html").read_text(encoding="utf-8")
    assert "<code>lozere--ccas-mende</code>" in donnees and "cantal--" not in donnees
