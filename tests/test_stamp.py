"""Fiches stamped into the theme's page shell look exactly like pages the engine builds."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from conftest import load, resources_from_examples

from generator import build
from generator.cli import main
from generator.site import stamp
from generator.site.page import Fiche

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def with_site_url(tmp_path_factory) -> Path:
    """The contract's examples built with a site_url, as a territory publishing its site sets it."""
    root = tmp_path_factory.mktemp("stamp")
    resources = resources_from_examples(root / "resources")
    out = root / "site"
    original = build.read_config
    patch = pytest.MonkeyPatch()
    settings = {
        "site_url": "https://annuaire.exemple.fr/",
        "site_name": "Base de ressources sociales — accompagnement global",
    }
    patch.setattr(build, "read_config", lambda *a: {**original(*a), **settings})
    try:
        assert main(["build", "--resources", str(resources), "--out", str(out)]) == 0
    finally:
        patch.undo()
    return out


def test_a_stamped_fiche_is_the_page_the_engine_would_have_built(with_site_url):
    """Same shell as a page built by the engine: header, palette, scripts and footer of the theme."""
    fiche = (with_site_url / "services" / "point-conseil-budget-aurillac" / "index.html").read_text(encoding="utf-8")
    built_by_engine = (with_site_url / "annuaire" / "index.html").read_text(encoding="utf-8")
    assert "<title>Point conseil budget - Base de ressources sociales — accompagnement global</title>" in fiche
    assert fiche.count("<h1") == 1 and "<h1>Point conseil budget</h1>" in fiche
    for chrome in ('class="md-header', 'class="md-footer', "assets/javascripts/bundle.", "annuaire.css"):
        assert chrome in fiche and chrome in built_by_engine
    assert 'href="../../assets/stylesheets/annuaire.css"' in fiche  # relative to services/<id>/
    assert stamp.TITLE not in fiche and stamp.DESCRIPTION not in fiche and stamp.PLACEHOLDER not in fiche


def test_no_placeholder_is_left_in_the_built_site(with_site_url):
    assert not (with_site_url / "services" / stamp.PLACEHOLDER).exists()
    assert not (with_site_url / "structures" / stamp.PLACEHOLDER).exists()
    leftovers = [p for p in with_site_url.rglob("*") if p.is_file() and stamp.PLACEHOLDER.encode() in p.read_bytes()]
    assert leftovers == []


def test_every_record_has_its_fiche(with_site_url):
    services = {p.parent.name for p in (with_site_url / "services").glob("*/index.html")}
    structures = {p.parent.name for p in (with_site_url / "structures").glob("*/index.html")}
    assert services == {"point-conseil-budget-aurillac"}
    assert structures == {"udaf-cantal"}


def test_the_fiche_title_and_description_are_escaped_once(tmp_path):
    shell = stamp.Shell(
        "services",
        f'<title>{stamp.TITLE} - Site</title><meta name="description" content="{stamp.DESCRIPTION}">'
        f'<link rel="canonical" href="https://x.fr/services/{stamp.PLACEHOLDER}/">',
        "</html>",
    )
    page = shell.stamp(Fiche("services", "aide", "A &amp; B", "« x » &lt;b&gt;", "<h1>A &amp; B</h1>", "2026-01-01"))
    assert page == (
        '<title>A &amp; B - Site</title><meta name="description" content="« x » &lt;b&gt;">'
        '<link rel="canonical" href="https://x.fr/services/aide/"><h1>A &amp; B</h1></html>'
    )


def test_a_theme_that_loses_the_markers_fails_the_build_cleanly(tmp_path):
    (tmp_path / "services" / stamp.PLACEHOLDER).mkdir(parents=True)
    (tmp_path / "services" / stamp.PLACEHOLDER / "index.html").write_text("<html>rien</html>", encoding="utf-8")
    with pytest.raises(stamp.ShellError, match="repères de contenu introuvables"):
        stamp.Shell.read(tmp_path, "services")


def test_canonical_link_and_sitemap_name_each_fiche(with_site_url):
    fiche = (with_site_url / "services" / "point-conseil-budget-aurillac" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://annuaire.exemple.fr/services/point-conseil-budget-aurillac/">' in fiche
    urls = {
        url.find(f"{SITEMAP}loc").text: url.find(f"{SITEMAP}lastmod").text
        for url in ElementTree.parse(with_site_url / "sitemap.xml").getroot()
    }
    assert urls["https://annuaire.exemple.fr/services/point-conseil-budget-aurillac/"] == "2026-09-30"
    assert urls["https://annuaire.exemple.fr/structures/udaf-cantal/"] == "2026-10-15"
    assert "https://annuaire.exemple.fr/annuaire/" in urls
    assert not [u for u in urls if stamp.PLACEHOLDER in u]


def test_worker_processes_write_the_same_fiches_as_one_process(tmp_path, monkeypatch):
    resources = resources_from_examples(tmp_path / "resources")
    outputs = []
    for jobs in (1, 2):
        out = tmp_path / f"site-{jobs}"
        monkeypatch.setattr(stamp, "POOL_THRESHOLD", 0)
        monkeypatch.setattr(stamp.os, "cpu_count", lambda jobs=jobs: jobs)
        assert main(["build", "--resources", str(resources), "--out", str(out)]) == 0
        outputs.append({p.relative_to(out): p.read_bytes() for p in out.glob("s*/*/index.html")})
    assert len(outputs[0]) == len(load(resources).services) + len(load(resources).structures)
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("jobs, edited", [(1, True), (2, True), (2, False)])
def test_a_page_at_a_fiche_address_fails_the_build_and_keeps_the_site(tmp_path, monkeypatch, capsys, jobs, edited):
    """Whether the fiche is stamped (its record edited; by one process or by the workers) or taken unchanged from
    the previous site, a page built by the engine at its address is an error, never overwritten."""
    resources = resources_from_examples(tmp_path / "resources")
    out = tmp_path / "site"
    assert main(["build", "--resources", str(resources), "--out", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    record = resources / "services" / "point-conseil-budget-aurillac.yml"
    if edited:
        record.write_text(record.read_text(encoding="utf-8").replace("nom: Point", "nom: Nouveau point"), "utf-8")
    taken = lambda catalog, settings: [build.Page("services/point-conseil-budget-aurillac.md", "# À la main\n")]  # noqa: E731
    monkeypatch.setattr(build, "PROVIDERS", [*build.PROVIDERS, taken])
    monkeypatch.setattr(stamp, "POOL_THRESHOLD", 0)
    monkeypatch.setattr(stamp.os, "cpu_count", lambda: jobs)
    capsys.readouterr()
    assert main(["build", "--resources", str(resources), "--out", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "la page « services/point-conseil-budget-aurillac/index.html » est produite deux fois" in printed
    assert "Traceback" not in printed
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["resources", "site"]
