"""WCAG 2.1 AA: axe-core (shipped by the axe-playwright-python package, nothing downloaded) run in Chromium on
the directory's pages. No serious or critical violation is allowed."""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import expect

from generator.records.catalog import Catalog

AXE = (Path(axe_playwright_python.__file__).with_name("axe.min.js")).read_text(encoding="utf-8")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


def blocking_violations(page) -> list[str]:
    page.add_script_tag(content=AXE)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA)
    return [
        f"{v['impact']} {v['id']} ({v['help']}) : {[n['target'] for n in v['nodes'][:5]]}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


def directory_pages(catalog: Catalog) -> list[str]:
    """Home, a service and a structure fiche, the browse pages of each kind, the filter page."""
    service = min(catalog.services.values(), key=lambda s: s.id)
    structure = catalog.structure_of(service)
    territoire = catalog.territoire_of(service)
    bassin = f"{territoire.id}-{(service.bassins or [territoire.bassins[0].id])[0]}"
    frein = service.freins[0].value
    public = service.publics[0].value if service.publics else "tous-publics"
    return [
        "",
        f"services/{service.id}/",
        f"structures/{structure.id}/",
        "freins/",
        f"freins/{frein}/",
        f"freins/{frein}/{bassin}/",
        "bassins/",
        f"bassins/{bassin}/",
        "publics/",
        f"publics/{public}/",
        "structures/",
        "annuaire/",
    ]


@pytest.fixture(params=["echantillon", "varie"])
def served(request) -> tuple[str, Catalog]:
    if request.param == "echantillon":
        return request.getfixturevalue("site_url"), request.getfixturevalue("catalog")
    return request.getfixturevalue("varied_url"), request.getfixturevalue("varied_catalog")


def test_directory_pages_have_no_serious_wcag_violation(page, served):
    url, catalog = served
    if not catalog.services:
        pytest.skip("aucun service")
    found = {}
    for path in directory_pages(catalog):
        page.goto(url + path)
        if path == "annuaire/":  # with its results shown
            expect(page.locator("#annuaire-compte")).to_contain_text("correspond")
        if violations := blocking_violations(page):
            found[path or "accueil"] = violations
    assert found == {}


def test_stale_fiche_and_filtered_results_have_no_serious_wcag_violation(page, varied_url):
    page.goto(varied_url + "services/atelier-budget-villeurbanne/")  # « à vérifier » badge, demonstration banner
    expect(page.locator(".badge-a-verifier")).to_be_visible()
    assert blocking_violations(page) == []
    page.goto(varied_url + "annuaire/?frein=numerique&mots=zzz")  # « aucun service » message
    expect(page.locator("#annuaire-compte")).to_have_text("Aucun service ne correspond à ces critères.")
    assert blocking_violations(page) == []


def test_open_search_has_no_serious_wcag_violation(page, varied_url):
    page.goto(varied_url)
    page.click(".md-search__input")
    page.locator(".md-search__input").press_sequentially("budget")
    expect(page.locator(".md-search-result__list li").first).to_be_visible()
    assert blocking_violations(page) == []


def test_axe_reports_what_it_should(page):
    """The check itself: a page with an unlabelled field and a low-contrast text fails it."""
    page.set_content(
        '<html lang="fr"><head><title>t</title></head><body><main><h1>Titre</h1>'
        '<p style="color:#bbb;background:#fff">texte pâle</p><input type="text"></main></body></html>'
    )
    rules = " ".join(blocking_violations(page))
    assert "color-contrast" in rules and "label" in rules
