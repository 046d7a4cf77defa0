"""The built site in Debian's Chromium: browsing without JavaScript, filters, search, printing, hostile text,
and every request staying on 127.0.0.1.

Runs on the shipped sample data and on the varied records (tests/data/site-varie); what a page should show is
computed here from the catalog.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from urllib.parse import urlsplit

import pytest
from conftest import REPO
from playwright.sync_api import expect
from pypdf import PdfReader
from test_site import bassin_keys, for_public

from generator.build import read_config
from generator.records.catalog import Catalog
from generator.records.models import Service
from generator.referentiels import freins

SITE_HEADER = read_config(REPO / "mkdocs.yml")["site_name"]
HOSTILE = "atelier-hostile"


@pytest.fixture(params=["echantillon", "varie"])
def served(request) -> tuple[str, Catalog]:
    if request.param == "echantillon":
        return request.getfixturevalue("site_url"), request.getfixturevalue("catalog")
    return request.getfixturevalue("varied_url"), request.getfixturevalue("varied_catalog")


def fold(text: str) -> str:
    """Lower case without accents, as the filter page compares words."""
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not "\u0300" <= c <= "\u036f")


def commune_of(catalog: Catalog, service: Service) -> str:
    structure = catalog.structure_of(service)
    owner = service if (service.adresse or service.commune) else structure
    return owner.commune or ""


def matching_words(catalog: Catalog, service: Service, words: str) -> bool:
    structure = catalog.structure_of(service)
    haystack = fold(" ".join([service.nom, structure.nom, structure.sigle or "", commune_of(catalog, service)]))
    return all(word in haystack for word in fold(words).split())


# Without JavaScript, the browse pages lead to every fiche.


def test_without_javascript_home_leads_to_a_fiche_by_frein_then_bassin(browser, served):
    url, catalog = served
    if not catalog.services:
        pytest.skip("aucun service")
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    labels = {f.id: f.label for f in freins()}
    services = sorted(catalog.services.values(), key=lambda s: s.id)
    for service in services[:: max(1, len(services) // 6)]:  # a handful, spread over the alphabet
        frein = service.freins[0].value
        key = sorted(bassin_keys(catalog, service))[0]
        bassin = next(b.nom for t in catalog.territoires.values() for b in t.bassins if f"{t.id}-{b.id}" == key)
        page.goto(url)
        page.locator("article a", has_text=labels[frein]).first.click()
        expect(page.locator("h1")).to_have_text(labels[frein])
        page.locator(f'article a[href$="/{key}/"]', has_text=bassin).click()
        expect(page.locator("h1")).to_have_text(f"{labels[frein]} — {bassin}")
        page.locator("article .annuaire-liste a", has_text=service.nom).first.click()
        expect(page.locator("article h1")).to_have_text(service.nom)
        assert page.url == f"{url}services/{service.id}/"
    page.goto(url + "annuaire/")
    expect(page.locator("#annuaire-filtres")).to_be_hidden()
    for browse in ("freins", "bassins", "publics", "structures"):
        expect(page.locator(f'article a[href="../{browse}/"]')).to_be_visible()
    context.close()


# The filter page.


def open_filters(page, url: str) -> None:
    page.goto(url + "annuaire/")
    expect(page.locator("#annuaire-compte")).to_contain_text("correspond")


def results(page) -> set[str]:
    """Ids of every result, after asking for more until the list is whole."""
    settled = page.locator('#annuaire-resultats[aria-busy="false"]')
    expect(settled).to_be_attached()
    while page.locator("#annuaire-plus").is_visible():
        page.click("#annuaire-plus")
        expect(settled).to_be_attached()
    ids = page.eval_on_selector_all("#annuaire-resultats li", "items => items.map(li => li.dataset.serviceId)")
    hrefs = page.eval_on_selector_all("#annuaire-resultats a.annuaire-item-nom", "links => links.map(a => a.href)")
    assert [re.search(r"/services/([a-z0-9-]+)/$", href)[1] for href in hrefs] == ids
    assert len(ids) == len(set(ids))
    count = page.text_content("#annuaire-compte")
    assert count.startswith(f"{len(ids)} service") if ids else count.startswith("Aucun service")
    return set(ids)


def word_samples(catalog: Catalog) -> list[str]:
    """Words as a person types them: part of a service's name, a structure's acronym, a commune, two words."""
    samples = ["zzz-introuvable"]
    for service in sorted(catalog.services.values(), key=lambda s: s.id)[:3]:
        name_words = [w for w in re.findall(r"\w+", service.nom) if len(w) > 3]
        if name_words:
            samples.append(name_words[0].upper())
        structure = catalog.structure_of(service)
        samples.append(structure.sigle or structure.nom.split()[0])
        if commune := commune_of(catalog, service):
            samples.append(fold(commune))
            if name_words:
                samples.append(f"{name_words[-1][:4]} {commune}")
    return samples


def test_each_filter_narrows_to_what_the_catalog_says(page, served):
    url, catalog = served
    services = catalog.services.values()
    open_filters(page, url)
    assert results(page) == set(catalog.services)
    for frein in freins():
        page.select_option("#filtre-frein", frein.id)
        assert results(page) == {s.id for s in services if frein.id in {f.value for f in s.freins}}, frein.id
    page.select_option("#filtre-frein", "")
    bassins = [f"{t.id}-{b.id}" for t in catalog.territoires.values() for b in t.bassins]
    for key in bassins:
        page.select_option("#filtre-bassin", key)
        assert results(page) == {s.id for s in services if key in bassin_keys(catalog, s)}, key
    page.select_option("#filtre-bassin", "")
    publics = page.eval_on_selector_all("#filtre-public option", "options => options.map(o => o.value)")[1:]
    # « Tous publics » is not offered: « Tous les publics » (no filter) says it, and each public includes them.
    assert set(publics) == {p.value for s in services for p in s.publics} - {"tous-publics"}
    for public in publics:
        page.select_option("#filtre-public", public)
        assert results(page) == for_public(catalog, public), public
    page.select_option("#filtre-public", "")
    for words in word_samples(catalog):  # the search finds more (stems, everyday words, a commune's bassin)
        page.fill("#filtre-mots", words)
        assert results(page) >= {s.id for s in services if matching_words(catalog, s, words)}, words
    page.fill("#filtre-mots", "zzz-introuvable")
    assert results(page) == set()


# The number each service of the varied site gives: its own, else its structure's (tests/data/).
VARIED_PHONES = {
    "atelier-budget-villeurbanne": ["04 72 00 00 01", "tel:+33-4-72-00-00-01"],  # ccas-villeurbanne's
    "atelier-hostile": ["04 65 71 00 12", "tel:+33-4-65-71-00-12"],  # udaf-cantal's
    "epicerie-solidaire-lyon": ["04 78 00 00 02", "tel:+33-4-78-00-00-02"],  # secours-populaire-rhone's
    "permis-solidaire-villefranche": ["04 74 00 00 03", "tel:+33-4-74-00-00-03"],  # its own, not its structure's
    "point-conseil-budget-aurillac": ["04 65 71 00 13", "tel:+33-4-65-71-00-13"],  # its own
}


def test_each_result_gives_the_number_to_call(page, varied_url):
    open_filters(page, varied_url)
    results(page)
    shown = page.eval_on_selector_all(
        "#annuaire-resultats li",
        """items => items.map(li => {
        const tel = li.querySelector("a.annuaire-item-telephone");
        return [li.dataset.serviceId, tel && tel.textContent,
                tel && tel.getAttribute("href")];
    })""",
    )
    assert {service_id: [text, link] for service_id, text, link in shown} == VARIED_PHONES


def test_filters_combine_and_live_in_the_address(page, served):
    url, catalog = served
    if not catalog.services:
        pytest.skip("aucun service")
    service = sorted(catalog.services.values(), key=lambda s: s.id)[0]
    frein, key = service.freins[0].value, sorted(bassin_keys(catalog, service))[0]
    public = service.publics[0].value if service.publics else ""
    page.goto(f"{url}annuaire/?frein={frein}&bassin={key}" + (f"&public={public}" if public else ""))
    expect(page.locator("#annuaire-compte")).to_contain_text("correspond")
    expected = {
        s.id
        for s in catalog.services.values()
        if frein in {f.value for f in s.freins}
        and key in bassin_keys(catalog, s)
        and (not public or s.id in for_public(catalog, public))
    }
    assert service.id in expected and results(page) == expected
    page.fill("#filtre-mots", service.nom)
    assert service.id in results(page)
    assert "mots=" in page.url
    page.click("#annuaire-filtres button[type=reset]")
    expect(page.locator("#annuaire-compte")).to_have_text(
        f"{len(catalog.services)} service{'s correspondent' if len(catalog.services) > 1 else ' correspond'}."
    )


def test_filters_work_with_the_keyboard(page, varied_url, varied_catalog):
    open_filters(page, varied_url)
    reached = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
        if focused.startswith("filtre-") and focused not in reached:
            reached.append(focused)
        if focused == "filtre-mots":
            break
    assert reached == ["filtre-frein", "filtre-bassin", "filtre-public", "filtre-commune", "filtre-mots"]
    page.focus("#filtre-frein")
    before = page.text_content("#annuaire-compte")
    page.keyboard.press("ArrowDown")
    first = freins()[0].id
    assert page.input_value("#filtre-frein") == first
    expected = {s.id for s in varied_catalog.services.values() if first in {f.value for f in s.freins}}
    assert results(page) == expected and page.text_content("#annuaire-compte") != before
    page.keyboard.press("ArrowUp")
    assert page.input_value("#filtre-frein") == "" and results(page) == set(varied_catalog.services)
    page.focus("#filtre-mots")
    page.keyboard.type("villeurbanne")
    expected = {s.id for s in varied_catalog.services.values() if matching_words(varied_catalog, s, "villeurbanne")}
    assert results(page) >= expected != set()


# The header's search box (Pagefind; tests/test_search.py measures its relevance).


def search(page, words: str):
    """Type into the header's search box; the list of its first results."""
    page.click(".md-search__input")
    page.fill(".md-search__input", "")
    page.locator(".md-search__input").press_sequentially(words)
    return page.locator(".md-search-result__list")


def spread(records: list, count: int) -> list:
    """`count` records spread over the list (all of them when there are fewer)."""
    return records[:: max(1, len(records) // count)]


def test_search_finds_services_by_name_and_by_description(page, served):
    """In the browser, a sample of services (test_site checks every service in the search index)."""
    url, catalog = served
    page.goto(url)
    words_of = {s.id: set(re.findall(r"[^\W\d_]{6,}", s.description.lower())) for s in catalog.services.values()}
    frequency = Counter(word for words in words_of.values() for word in words)
    for service in spread(sorted(catalog.services.values(), key=lambda s: s.id), 6):
        found = search(page, service.nom).locator(f'a[href*="/services/{service.id}/"]')
        expect(found.first).to_be_visible()
        rarest = sorted(words_of[service.id], key=lambda word: (frequency[word], word))[:2]
        found = search(page, " ".join(rarest)).locator(f'a[href*="/services/{service.id}/"]')
        expect(found.first).to_be_visible()


def test_search_finds_a_word_after_a_french_elision(page, varied_url):
    """« d'apprentissage » is found by « apprentissage »: the apostrophe separates words."""
    page.goto(varied_url)
    results = search(page, "apprentissage")
    expect(results.locator('a[href*="/services/permis-solidaire-villefranche/"]').first).to_be_visible()


# Record text is data in the browser too.


def test_hostile_record_text_runs_nothing_and_shows_as_text(page, varied_url, varied_catalog):
    nom = varied_catalog.services[HOSTILE].nom
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{varied_url}services/{HOSTILE}/")
    expect(page.locator("article h1")).to_have_text(nom)
    assert page.title().startswith(nom + " - ")
    expect(page.locator('[data-md-component="header-topic"]').last).to_contain_text(nom)
    expect(page.locator(".fiche-description")).to_contain_text("Texte <script>window.__pwned=1</script> et <img src=x")
    expect(page.locator(".fiche-description")).to_contain_text(
        "[un lien piégé](javascript:window.__pwned=1) et {{ jinja }}"
    )
    expect(page.locator(".fiche-orienter")).to_contain_text("Écrire <script>window.__pwned=1</script>")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    for path in ("", "freins/numerique/cantal-mauriac/", "structures/udaf-cantal/", "publics/jeunes/"):
        page.goto(varied_url + path)
        expect(page.locator("article a", has_text=nom).first).to_be_visible()
        assert page.evaluate("typeof window.__pwned") == "undefined", path
    open_filters(page, varied_url)
    page.fill("#filtre-mots", "script")
    expect(page.locator("#annuaire-resultats a", has_text=nom)).to_be_visible()
    expect(search(page, "jinja").locator(f'a[href*="/services/{HOSTILE}/"]').first).to_be_visible()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []


# Nothing is requested from another host.


def test_every_request_stays_on_127_0_0_1(browser, served):
    url, catalog = served
    context = browser.new_context(locale="fr-FR")
    requested = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    for service in list(catalog.services)[:2]:
        page.goto(f"{url}services/{service}/")
        page.wait_for_load_state("networkidle")
    for structure in list(catalog.structures)[:1]:
        page.goto(f"{url}structures/{structure}/")
    open_filters(page, url)
    page.fill("#filtre-mots", "a")
    expect(search(page, "budget").locator("li").first).to_be_attached()
    page.wait_for_load_state("networkidle")
    context.close()
    assert any("/pagefind/index/" in u for u in requested)
    elsewhere = [
        u for u in requested if urlsplit(u).hostname != "127.0.0.1" and urlsplit(u).scheme not in ("data", "blob")
    ]
    assert elsewhere == []


# Printing: one A4 page, the fiche without the site around it.

A4_POINTS = (595.3, 841.9)  # 210 × 297 mm; Chromium rounds its page size to a hundredth of an inch


def printed(page, url: str) -> tuple[int, tuple[float, float], str]:
    page.goto(url)
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    box = reader.pages[0].mediabox
    words = " ".join(p.extract_text() for p in reader.pages)
    return len(reader.pages), (float(box.width), float(box.height)), unicodedata.normalize("NFKC", words)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_prints_alone_on_one_a4_page(page, url: str, path: str, nom: str, telephone: str | None) -> None:
    pages, size, words = printed(page, url + path)
    assert pages == 1, path
    assert size == pytest.approx(A4_POINTS, abs=1.5)
    assert squeeze(nom) in squeeze(words), path
    if telephone:
        assert squeeze(telephone) in squeeze(words), path
    for chrome in (SITE_HEADER, "Rechercher", "Proposer une correction", "Imprimer la fiche", "Licence Ouverte"):
        # The site's words are absent, unless the fiche itself says them (« Rechercher un logement »).
        expected = squeeze(page.inner_text("article .fiche")).count(squeeze(chrome))
        assert squeeze(words).count(squeeze(chrome)) == expected, (path, chrome)


# Every fiche of the varied site and the number it prints (tests/data/).
VARIED_FICHES = {
    **{f"services/{service_id}/": phone for service_id, (phone, _) in VARIED_PHONES.items()},
    "structures/udaf-cantal/": "04 65 71 00 12",
    "structures/ccas-villeurbanne/": "04 72 00 00 01",
    "structures/secours-populaire-rhone/": "04 78 00 00 02",
}


def test_every_varied_fiche_prints_on_one_a4_page_without_the_site_around_it(page, varied_url, varied_catalog):
    records = [*varied_catalog.services.values(), *varied_catalog.structures.values()]
    names = {f"{record.folder}/{record.id}/": record.nom for record in records}
    assert set(names) == set(VARIED_FICHES)
    for path, telephone in VARIED_FICHES.items():
        assert_prints_alone_on_one_a4_page(page, varied_url, path, names[path], telephone)


def test_the_longest_fiches_print_on_one_a4_page(page, site_url, catalog):
    """The fiches most likely to overflow a page: the wordiest services, the structures with most services.

    Printing every fiche of the sample data took minutes; the others are shorter, with the same print style.
    """
    services = sorted(catalog.services.values(), key=lambda s: len(s.model_dump_json()), reverse=True)[:3]
    structures = sorted(catalog.structures.values(), key=lambda s: len(catalog.services_of(s.id)), reverse=True)[:2]
    for service in services:
        # The number as typed in the record (the service's own, else its structure's), compared without spaces.
        typed = service.telephone or catalog.structure_of(service).telephone
        assert_prints_alone_on_one_a4_page(page, site_url, f"services/{service.id}/", service.nom, typed)
    for structure in structures:
        path = f"structures/{structure.id}/"
        assert_prints_alone_on_one_a4_page(page, site_url, path, structure.nom, structure.telephone)


def test_fiche_badges_line_up_with_the_title(page, site_url, catalog):
    """The frein badges are a row of labels under the title, not an indented bulleted list."""
    service = next(s for s in catalog.services.values() if s.freins)
    page.goto(f"{site_url}services/{service.id}/")
    title = page.locator("article .fiche h1").bounding_box()
    badge = page.locator("article .fiche-freins > li").first
    assert badge.bounding_box()["x"] == pytest.approx(title["x"], abs=1)
