"""A new territory adopts the project: `annuaire init` in a clone, then the suite stays green there.

Slow (a clone, a site build and most of the suite again): marked `slow`, left out of `make test` and run
by `make test-adoption`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, run_cli

LOZERE_STRUCTURE = """\
# yaml-language-server: $schema=../../schemas/structure.schema.json
id: ccas-mende
nom: Centre communal d'action sociale de Mende
territoire: lozere
description: Aides facultatives et domiciliation pour les habitants de Mende.
code_postal: "48000"
commune: Mende
telephone: "04 66 00 00 00"
date_maj: 2026-11-20
"""
LOZERE_SERVICE = """\
# yaml-language-server: $schema=../../schemas/service.schema.json
id: ccas-mende-aides-facultatives
structure: ccas-mende
nom: Aides facultatives
description: Secours d'urgence et aides ponctuelles après une évaluation sociale.
freins: [difficultes-financieres]
bassins: [mende]
date_maj: 2026-11-20
"""
GITLAB = "https://gitlab.com/insertion-48/base"


def run(*argv: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def lozere(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A clone of this repository (its last commit) started as the Lozère, with one structure and one service."""
    clone = tmp_path_factory.mktemp("adoption") / "base-lozere"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(clone)}  # the clone's generator, not this worktree's
    done = run(
        sys.executable,
        "-m",
        "generator",
        "init",
        "lozere",
        "--departement",
        "48",
        "--forge",
        "gitlab",
        "--depot",
        GITLAB,
        "--supprimer-demo",
        cwd=clone,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (clone / "resources" / "structures" / "ccas-mende.yml").write_text(LOZERE_STRUCTURE, encoding="utf-8")
    (clone / "resources" / "services" / "ccas-mende-aides-facultatives.yml").write_text(
        LOZERE_SERVICE, encoding="utf-8"
    )
    owners = run(sys.executable, "-m", "generator", "codeowners", cwd=clone, env=env)  # on init's list of things to do
    assert owners.returncode == 0, owners.stdout + owners.stderr
    return clone, env


@pytest.mark.slow
def test_init_leaves_only_the_new_territory_and_sets_the_site(lozere):
    clone, env = lozere
    records = sorted(p.relative_to(clone / "resources").as_posix() for p in (clone / "resources").glob("*/*.yml"))
    assert records == [
        "services/ccas-mende-aides-facultatives.yml",
        "structures/ccas-mende.yml",
        "territoires/lozere.yml",
    ]
    territoire = yaml.safe_load((clone / "resources" / "territoires" / "lozere.yml").read_text(encoding="utf-8"))
    assert [b["id"] for b in territoire["bassins"]] == ["florac", "mende"]  # the two arrondissements of the Lozère
    assert sum(len(b["communes"]) for b in territoire["bassins"]) == 152  # every commune of the Lozère (COG 2026)
    assert "48095" in territoire["bassins"][1]["communes"]  # Mende
    config = (clone / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_name: Base de ressources sociales — Lozère\n" in config
    assert "site_url: https://insertion-48.gitlab.io/base/\n" in config
    assert f"lien_correction: {GITLAB}/-/edit/main/resources/{{fichier}}\n" in config
    assert "démonstration" not in config.split("copyright:")[1].splitlines()[0]
    assert sorted(p.name for p in (clone / "docs" / "accompagnement-global" / "territoire").iterdir()) == ["lozere.md"]
    check = run(sys.executable, "-m", "generator", "check", cwd=clone, env=env)
    assert check.returncode == 0 and check.stdout.endswith("3 fichiers vérifiés : aucune erreur.\n"), check.stdout


@pytest.mark.slow
def test_init_refuses_to_overwrite_a_territory(lozere, monkeypatch):
    clone, _ = lozere
    before = (clone / "resources" / "territoires" / "lozere.yml").read_bytes()
    monkeypatch.chdir(clone)
    refused = run_cli("init", "lozere", "--departement", "48")
    assert refused.code == 2
    assert refused.err.strip().endswith(
        "« resources/territoires/lozere.yml » existe déjà : ajoutez --remplacer pour l'écrire à nouveau"
    )
    assert (clone / "resources" / "territoires" / "lozere.yml").read_bytes() == before


@pytest.mark.slow
def test_the_suite_passes_in_the_new_territory(lozere):
    """The suite without its browser tests (they read the built pages the HTML tests already read, and take
    most of the time) and without this file (it would clone again)."""
    clone, env = lozere
    done = run(
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-n",
        "2",
        "-m",
        "not slow and not browser",
        "tests",
        cwd=clone,
        env=env,
    )
    assert done.returncode == 0, done.stdout[-5000:]
    assert " passed" in done.stdout.splitlines()[-1] and "failed" not in done.stdout.splitlines()[-1]
