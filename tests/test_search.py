"""The search (Pagefind) in Debian's Chromium, on the sample site: what an adviser types mid-interview finds
the fiches they expect, communes find the services that serve them, and a fiche downloads no index."""

from __future__ import annotations

import re

import pytest
from conftest import REPO, load, resources_from_examples
from playwright.sync_api import expect

from generator.referentiels import cog
from generator.site.search_records import service_records

pytestmark = pytest.mark.browser

# What the person says → fiches an adviser expects among the first five results (the seeds' situations).
RELEVANCE = {
    "dettes": ["point-conseil-budget-aurillac"],
    "impayés de loyer": ["fonds-solidarite-logement-cantal"],
    "huissier": ["point-conseil-budget-aurillac"],
    "surendettement": ["point-conseil-budget-aurillac"],
    "curatelle": ["udaf-information-tuteurs-familiaux"],
    "alcool": ["csapa-aurillac", "csapa-lyon", "addictions-consultations-avancees"],
    "alcoolisme": ["csapa-aurillac", "csapa-lyon"],
    "drogue": ["csapa-aurillac", "addictions-consultations-avancees"],
    "dépression": ["cmp-saint-flour", "cmp-adultes-aurillac"],
    "psychologue": ["cmp-saint-flour", "cmp-adultes-aurillac"],
    "crèche": ["caf-solutions-de-garde", "relais-petite-enfance-aurillac"],
    "nounou": ["caf-solutions-de-garde", "relais-petite-enfance-aurillac"],
    "garde d'enfant": ["caf-solutions-de-garde", "relais-petite-enfance-aurillac"],
    "permis de conduire": ["france-travail-villefranche-mobilite", "auto-ecole-sociale-cantal"],
    "permis": ["france-travail-villefranche-mobilite", "auto-ecole-sociale-cantal"],
    "voiture": ["location-vehicules-insertion", "garage-solidaire-cantal"],
    "hébergement d'urgence": ["ccas-aurillac-hebergement-urgence"],
    "l'hébergement": ["ccas-aurillac-hebergement-urgence"],
    "à la rue": ["ccas-aurillac-hebergement-urgence"],
    "cours de français": ["croix-rouge-ateliers-sociolinguistiques", "secours-catholique-ateliers-francais"],
    "illettrisme": ["ateliers-savoirs-de-base", "savoirs-de-base-saint-flour"],
    "ordinateur": ["conseiller-numerique-aurillac", "secours-populaire-rhone-numerique"],
    "colis alimentaire": ["restos-aide-alimentaire", "secours-populaire-rhone-aide-alimentaire"],
    "vêtements": ["croix-rouge-vestiboutique", "secours-populaire-libre-service"],
    "sortie de prison": ["spip-insertion-justice"],
    "SPIP": ["spip-insertion-justice"],
    "ANPAA": ["addictions-consultations-avancees"],
    "UDAF": ["udaf-mediation-familiale", "udaf-information-tuteurs-familiaux"],
    "FSL": ["fonds-solidarite-logement-cantal"],
    "RSA": ["mdr-villefranche-insertion", "mdm-villeurbanne-accompagnement-social"],
    "Mauriac": ["service-social-ch-mauriac", "ccas-mauriac-aides-facultatives", "accompagnement-global-mauriac"],
    "Villeurbanne": ["ccas-villeurbanne-aides-facultatives", "mdm-villeurbanne-accompagnement-social"],
}

# Runs in the page: the search script's own engine, the ids of the first `n` results, and the total.
SEARCH = """async ([words, filtres, n]) => {
  const answer = await window.annuaireRecherche.search(words, filtres);
  const datas = await Promise.all(answer.results.slice(0, n).map(r => r.data()));
  return {total: answer.total, ids: datas.map(d => d.meta.id), commune: answer.commune && answer.commune.nom};
}"""


def search(page, words: str, n: int = 5, **filtres) -> dict:
    return page.evaluate(SEARCH, [words, filtres, n])


@pytest.fixture
def home(page, site_url):
    page.goto(site_url)
    return page


def test_adviser_words_find_the_expected_fiches_in_the_first_five(home):
    missed = {}
    for words, expected in RELEVANCE.items():
        found = search(home, words)["ids"]
        if not set(expected) <= set(found):
            missed[words] = (expected, found)
    assert missed == {}


def test_every_service_is_found_by_its_name_in_the_first_three(home, catalog):
    missed = {s.id: s.nom for s in catalog.services.values() if s.id not in search(home, s.nom, 3)["ids"]}
    assert missed == {}


def test_an_elided_article_is_no_word(home, catalog):
    """« garde d'enfant » once matched every fiche through « d »: now only what speaks of childcare."""
    assert 0 < search(home, "garde d'enfant")["total"] <= 15
    assert search(home, "d'enfant")["total"] == search(home, "enfant")["total"]


def test_a_village_finds_the_services_of_its_bassin_and_of_the_whole_territory(home, catalog):
    # Anglards-de-Salers is named by no record; the Cantal puts it in the bassin of Mauriac.
    answer = search(home, "Anglards-de-Salers", 100)
    assert answer["commune"] == "Anglards-de-Salers"
    assert "accompagnement-global-mauriac" in answer["ids"]
    assert "caf-solutions-de-garde" in answer["ids"]  # no bassin: the whole Cantal
    assert "accompagnement-global-aurillac" not in answer["ids"]
    assert "csapa-lyon" not in answer["ids"]


def test_a_whole_territory_service_comes_up_for_every_bassin_and_every_commune(home, catalog):
    missed = []
    for territoire in catalog.territoires.values():
        whole = [
            s
            for s in catalog.services.values()
            if not s.bassins and s.structure in territoire_structures(catalog, territoire.id)
        ]
        assert whole, territoire.id
        communes = [cog.communes()[code].nom for b in territoire.bassins for code in b.communes]
        for bassin in territoire.bassins:
            for service in whole:
                if service.id not in search(home, service.nom, 3, bassin=f"{territoire.id}-{bassin.id}")["ids"]:
                    missed.append((bassin.id, service.id))
        for i, commune in enumerate(communes):
            service = whole[i % len(whole)]
            if service.id not in search(home, service.nom, 3, commune=commune)["ids"]:
                missed.append((commune, service.id))
    assert missed == []


def territoire_structures(catalog, territoire: str) -> set[str]:
    return {s.id for s in catalog.structures.values() if s.territoire == territoire}


def test_header_box_shows_service_structure_commune_phone_and_freins(home, site_url):
    home.click("#recherche-mots")
    home.locator("#recherche-mots").press_sequentially("dettes")
    first = home.locator("#recherche-resultats li").first
    expect(first).to_be_visible()
    expect(home.locator("#recherche-compte")).to_contain_text("services correspondent")
    item = home.locator('#recherche-resultats li[data-service-id="point-conseil-budget-aurillac"]')
    expect(item.locator("a.annuaire-item-nom")).to_have_text("Point conseil budget")
    expect(item).to_contain_text("Aurillac")
    expect(item.locator("a.annuaire-item-telephone")).to_have_attribute("href", "tel:+33-4-65-71-00-13")
    expect(item.locator(".annuaire-item-freins")).to_contain_text("Budget, difficultés financières")
    home.locator("#recherche-mots").press("Enter")
    expect(home).to_have_url(f"{site_url}annuaire/?mots=dettes")
    expect(home.locator('#annuaire-resultats li[data-service-id="point-conseil-budget-aurillac"]')).to_be_visible()


def test_annuaire_page_combines_words_commune_and_frein_in_the_address(page, site_url):
    page.goto(f"{site_url}annuaire/?mots=aide&commune=Anglards-de-Salers&frein=besoins-essentiels")
    expect(page.locator("#filtre-commune")).to_have_value("Anglards-de-Salers")
    items = page.locator("#annuaire-resultats li")
    expect(items.first).to_be_visible()
    ids = set(items.evaluate_all("els => els.map(e => e.dataset.serviceId)"))
    assert "ccas-mauriac-aides-facultatives" in ids or "restos-aide-alimentaire" in ids
    assert "ccas-aurillac-aides-facultatives" not in ids  # bassin of Aurillac
    page.select_option("#filtre-frein", "")
    expect(page).to_have_url(f"{site_url}annuaire/?mots=aide&commune=Anglards-de-Salers")


def test_opening_a_fiche_downloads_no_search_index_and_a_query_only_pieces(browser, site_url):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site_url}services/cafe-sante/")
    page.wait_for_load_state("networkidle")
    assert [u for u in requested if "/pagefind/" in u or "search_index" in u] == []
    page.click("#recherche-mots")
    page.locator("#recherche-mots").press_sequentially("alcool")
    expect(page.locator("#recherche-resultats li").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    chunks = [u for u in requested if "/pagefind/index/" in u]
    context.close()
    assert 0 < len(chunks) < 3
    assert all(u.startswith(site_url) for u in requested)


def test_annuaire_state_survives_back_after_opening_a_fiche(page, site_url):
    page.goto(f"{site_url}annuaire/")
    page.fill("#filtre-mots", "nounou")
    page.select_option("#filtre-frein", "contraintes-familiales")
    item = page.locator('#annuaire-resultats li[data-service-id="caf-solutions-de-garde"] a.annuaire-item-nom')
    expect(item).to_be_visible()
    item.click()
    expect(page.locator("article h1")).to_have_text("Trouver une solution de garde pour reprendre un emploi")
    page.go_back()
    expect(page.locator("#filtre-mots")).to_have_value("nounou")
    expect(page.locator("#filtre-frein")).to_have_value("contraintes-familiales")
    expect(page.locator('#annuaire-resultats li[data-service-id="caf-solutions-de-garde"]')).to_be_visible()


def test_results_carry_the_place_of_hours_that_follow_the_sun(tmp_path):
    catalog = load(resources_from_examples(tmp_path / "resources", REPO / "tests" / "data" / "outils"))
    html = {record.path: record.html for record in service_records(catalog)}
    assert (
        'data-pagefind-meta="horaires_lieu[data-v]" data-v="44.9331,2.4444"'
        in (html["services/jardin-solidaire-aurillac.html"])
    )
    assert "horaires_lieu" not in html["services/garage-solidaire-aurillac.html"]  # « Tu,Th 14:00-17:00 »


# Structure fiches and written pages: found by the same box, listed after the services, apart from them.


def test_header_box_lists_the_structure_named_by_its_sigle_and_opens_it(home, site_url):
    home.click("#recherche-mots")
    home.locator("#recherche-mots").press_sequentially("SPIP")
    expect(home.locator("#recherche-resultats li").first).to_have_attribute("data-service-id", "spip-insertion-justice")
    structure = home.locator('#recherche-autres li[data-type="structure"]').first
    expect(structure.locator(".annuaire-item-genre")).to_have_text("Structure")
    expect(structure).to_contain_text("Aurillac")
    expect(structure.locator(".annuaire-item-extrait")).to_contain_text("ministère de la Justice")
    expect(structure.locator("a.annuaire-item-telephone")).to_have_count(0)
    expect(home.locator("#recherche-autres-titre")).to_be_visible()
    link = structure.locator("a.annuaire-item-nom")
    expect(link).to_have_text("Service pénitentiaire d'insertion et de probation du Cantal (SPIP)")
    link.click()
    expect(home).to_have_url(f"{site_url}structures/spip-cantal/")
    expect(home.locator("article h1")).to_contain_text("Service pénitentiaire d'insertion et de probation du Cantal")


def test_header_box_lists_a_procedure_page_by_words_found_only_there(home, site_url):
    home.click("#recherche-mots")
    home.locator("#recherche-mots").press_sequentially("protocole national")
    title = home.locator("a.annuaire-item-nom", has_text=re.compile(r"^L'accompagnement global$"))
    item = home.locator('#recherche-autres li[data-type="page"]').filter(has=title)
    link = item.locator("a.annuaire-item-nom")
    expect(link).to_have_attribute("href", f"{site_url}accompagnement-global/")
    expect(item.locator(".annuaire-item-genre")).to_have_text("Page")
    expect(item.locator(".annuaire-item-extrait mark").first).to_be_visible()
    expect(item.locator("a.annuaire-item-telephone, .horaires-etat, .selection-bouton")).to_have_count(0)
    expect(home.locator("#recherche-compte")).to_have_text("Aucun service ne correspond à ces critères.")
    link.click()
    expect(home).to_have_url(f"{site_url}accompagnement-global/")
    expect(home.locator("article h1")).to_contain_text("L'accompagnement global")


def test_procedure_words_list_the_forms_and_the_steps_pages(home):
    found = home.evaluate(
        """async () => {
      const answer = await window.annuaireRecherche.search("diagnostic partagé", {});
      const datas = await Promise.all(answer.autres.map(r => r.data()));
      return datas.map(d => d.url.replace(location.origin + "/", ""));
    }"""
    )
    assert {"fiches/diagnostic-partage-ft-vers-ts/", "accompagnement-global/etapes/"} <= set(found)


def test_a_service_query_lists_services_first_then_the_structure(home):
    home.click("#recherche-mots")
    home.locator("#recherche-mots").press_sequentially("CCAS")
    expect(home.locator("#recherche-compte")).to_contain_text("services correspondent")
    first = home.locator(".annuaire-recherche .annuaire-liste li").first
    expect(first).to_have_attribute("data-service-id", re.compile(r"^ccas-"))
    expect(home.locator('#recherche-autres li[data-type="structure"]').first).to_contain_text("Centre communal")
    assert home.locator("#recherche-resultats li[data-type]").count() == 0


def test_annuaire_page_shows_structures_and_pages_only_without_a_filter(page, site_url):
    page.goto(f"{site_url}annuaire/?mots=SPIP")
    section = page.locator("#annuaire-autres")
    structure = section.locator('li[data-type="structure"] a[href$="/structures/spip-cantal/"]')
    expect(structure).to_be_visible()
    expect(page.locator("#annuaire-autres-titre")).to_contain_text("Structures et pages (")
    expect(page.locator('#annuaire-resultats li[data-service-id="spip-insertion-justice"]')).to_be_visible()
    page.select_option("#filtre-frein", "difficultes-administratives")
    expect(page.locator('#annuaire-resultats[aria-busy="false"]')).to_be_attached()
    expect(page.locator('#annuaire-resultats li[data-service-id="spip-insertion-justice"]')).to_be_visible()
    expect(section).to_be_hidden()
    page.select_option("#filtre-frein", "")
    expect(structure).to_be_visible()
    page.fill("#filtre-commune", "Aurillac")
    expect(page.locator('#annuaire-resultats[aria-busy="false"]')).to_be_attached()
    expect(section).to_be_hidden()


# A regional or national base: the services' index split in parts that the search script merges.


@pytest.fixture(scope="module")
def sharded_url(tmp_path_factory):
    from conftest import SAMPLE_RECORDS, serve_folder

    from generator import build
    from generator.site import search as search_module

    out = tmp_path_factory.mktemp("parts") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_module, "SHARD_SIZE", 25)  # the sample's 60-odd services in three indexes
        build.build_site(load(SAMPLE_RECORDS), SAMPLE_RECORDS, out)
    server, url = serve_folder(out)
    yield out, url
    server.shutdown()


def test_the_services_index_in_parts_is_named_and_built(sharded_url, catalog):
    import json

    out, _ = sharded_url
    parts = json.loads((out / "pagefind" / "communes.json").read_text(encoding="utf-8"))["index"]
    assert parts == [f"services-{n}" for n in range(2, (len(catalog.services) - 1) // 25 + 2)]
    assert all((out / "pagefind" / part / "pagefind-entry.json").is_file() for part in parts)


def test_a_search_over_parts_finds_every_service_and_counts_them_all(browser, sharded_url, catalog):
    _, url = sharded_url
    page = browser.new_page()
    page.goto(url)
    missed = {s.id: s.nom for s in catalog.services.values() if s.id not in search(page, s.nom, 3)["ids"]}
    assert missed == {}
    mobility = [s for s in catalog.services.values() if "mobilite" in {f.value for f in s.freins}]
    assert search(page, "", 200, frein="mobilite")["total"] == len(mobility)
    # Each part weighs words by its own services: in parts of twenty (here) « alcool » weighs more in one than in
    # another, and a fiche of the first five in one index comes eighth. Parts of 20,000, spread by id, even out.
    assert set(RELEVANCE["alcool"]) <= set(search(page, "alcool", 10)["ids"])
    page.close()
