"""Engine independence: the same staged pages and mkdocs.yml build with MkDocs and with Zensical."""

from __future__ import annotations

import shutil

import pytest
from conftest import EXAMPLE_RECORDS, REPO

from generator.cli import main


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_each_engine_builds_the_fiches(engine, tmp_path):
    if engine == "zensical" and not (REPO / ".venv" / "bin" / "zensical").exists():
        pytest.skip("zensical absent de .venv (installé par `make install`)")
    resources = tmp_path / "resources"
    shutil.copytree(EXAMPLE_RECORDS, resources)
    out = tmp_path / "site"
    assert main(["build", "--resources", str(resources), "--out", str(out), "--moteur", engine]) == 0
    fiche = (out / "services" / "point-conseil-budget-aurillac" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Point conseil budget</h1>" in fiche
    assert 'href="tel:+33-4-65-71-00-13"' in fiche
    assert "Du lundi au vendredi : 9 h – 12 h, 13 h 30 – 17 h" in fiche
    assert (out / "structures" / "udaf-cantal" / "index.html").is_file()
    assert (out / "pagefind" / "pagefind-entry.json").is_file()  # the search, whatever the engine
    assert 'id="recherche-mots"' in fiche
