"""The adviser's tools in Debian's Chromium, as a person uses them: the opening status at a fixed time (public
holidays included), a fiche on a phone, the printed fiche, a selection handed over on paper, « Orienter »
into a prefilled form, the route link.

Runs on the contract's examples and tests/data/outils, built with a public address (site_url) set.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from conftest import REPO, main, resources_from_examples, serve_folder
from playwright.sync_api import expect
from pypdf import PdfReader

import generator.build

pytestmark = pytest.mark.browser

OUTILS_RECORDS = REPO / "tests" / "data" / "outils"
SITE_URL = "https://ressources.exemple.fr/"
SITE_NAME = "Base de ressources sociales — accompagnement global"
PARIS = ZoneInfo("Europe/Paris")
TILES = {"tuiles": "http://tuiles.test/{z}/{x}/{y}.png", "attribution": "© contributeurs OpenStreetMap"}
PHONE = {"width": 390, "height": 844}
GARAGE = "services/garage-solidaire-aurillac/"
BUDGET = "services/point-conseil-budget-aurillac/"
JARDIN = "services/jardin-solidaire-aurillac/"  # « Mo-Fr sunrise-sunset; Sa 08:00-sunset; PH off », own coordinates
VERGER = "services/verger-partage-aurillac/"  # « Sa 10:00-sunset », no coordinates of its own nor of its structure
CHANTIER = "services/chantier-insertion-aurillac/"  # names the fiche de prescription and a CERFA, has a link
EPICERIE = "services/epicerie-solidaire-aurillac/"  # names a fiche navette and the demande de premier rendez-vous


@pytest.fixture(scope="module")
def outils_site(tmp_path_factory) -> Path:
    """The site of the contract's examples and tests/data/outils, with `site_url` set in its configuration."""
    resources = resources_from_examples(tmp_path_factory.mktemp("outils") / "resources", OUTILS_RECORDS)
    out = resources.parent / "site"
    config = {**generator.build.read_config(), "site_url": SITE_URL}
    config["extra"] = {**config["extra"], "annuaire": {**config["extra"]["annuaire"], "carte": TILES}}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(generator.build, "read_config", lambda *args: config)
        assert main(["build", "--resources", str(resources), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def outils_url(outils_site):
    server, url = serve_folder(outils_site)
    yield url
    server.shutdown()


@pytest.fixture
def open_at(browser):
    """A phone-sized page whose clock is frozen at a given Paris time; every request it makes is recorded."""
    contexts = []

    def make(when: datetime, viewport: dict = PHONE):
        context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        page.clock.install(time=when)
        page.requests = []
        page.on("request", lambda request: page.requests.append(request))
        return page

    yield make
    for context in contexts:
        context.close()


def only_local(page) -> None:
    hosts = {urlsplit(r.url).hostname for r in page.requests}
    assert hosts == {"127.0.0.1"}, hosts
    assert {r.method for r in page.requests} == {"GET"}


def pdf_text(page) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    return len(reader.pages), " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


# Wednesday 2 December 2026; Christmas is a Friday; 11 November (Armistice) a Wednesday.
@pytest.mark.parametrize(
    ("when", "fiche", "status"),
    [
        (datetime(2026, 12, 2, 10, 0, tzinfo=PARIS), BUDGET, "Ouvert maintenant, ferme à 12 h"),
        (datetime(2026, 12, 2, 12, 30, tzinfo=PARIS), BUDGET, "Fermé, ouvre à 13 h 30"),
        (datetime(2026, 12, 2, 10, 0, tzinfo=PARIS), GARAGE, "Fermé, ouvre demain à 14 h"),
        (datetime(2026, 12, 3, 16, 15, tzinfo=PARIS), GARAGE, "Ouvert maintenant, ferme à 17 h"),
        (datetime(2026, 12, 25, 10, 0, tzinfo=PARIS), BUDGET, "Fermé (Noël), ouvre lundi à 9 h"),
        (datetime(2026, 11, 11, 10, 0, tzinfo=PARIS), BUDGET, "Fermé (Armistice 1918), ouvre demain à 9 h"),
        (datetime(2026, 11, 10, 18, 0, tzinfo=PARIS), BUDGET, "Fermé, ouvre jeudi à 9 h"),  # Armistice skipped
    ],
)
def test_a_fiche_says_whether_it_is_open_at_the_time_of_viewing(outils_url, open_at, when, fiche, status):
    page = open_at(when)
    page.goto(outils_url + fiche)
    expect(page.locator(".fiche-contact .horaires-etat")).to_have_text(status)
    only_local(page)


def test_browse_lists_and_results_added_later_say_it_too(outils_url, open_at):
    page = open_at(datetime(2026, 12, 5, 9, 30, tzinfo=PARIS))  # a Saturday
    page.goto(outils_url + "freins/numerique/cantal-aurillac/")
    item = page.locator('li[data-service-id="atelier-numerique-aurillac"]')
    expect(item.locator(".horaires-etat")).to_have_text("Ouvert maintenant, ferme à 12 h")
    # A result list written by another script (the search) gets the same status.
    page.evaluate(
        """() => { const li = document.createElement("li");
        li.setAttribute("data-horaires-osm", "Mo-Fr 09:00-12:00; PH off"); li.id = "ajoute";
        li.textContent = "Résultat"; document.querySelector(".md-content").appendChild(li); }"""
    )
    expect(page.locator("#ajoute .horaires-etat")).to_have_text("Fermé, ouvre lundi à 9 h")


# At the garden (44.9331 N, 2.4444 E) the sun rises at 8 h 08 on 2 December 2026 and sets at 17 h 10; it rises
# at 8 h 10 on the 3rd. Saturday 5 December it opens at 8 h, whatever the sun.
@pytest.mark.parametrize(
    ("when", "status"),
    [
        (datetime(2026, 12, 2, 7, 0, tzinfo=PARIS), "Fermé, ouvre à 8 h 08"),
        (datetime(2026, 12, 2, 12, 0, tzinfo=PARIS), "Ouvert maintenant, ferme à 17 h 10"),
        (datetime(2026, 12, 2, 19, 0, tzinfo=PARIS), "Fermé, ouvre demain à 8 h 10"),
        (datetime(2026, 12, 5, 7, 30, tzinfo=PARIS), "Fermé, ouvre à 8 h"),
    ],
)
def test_hours_that_follow_the_sun_say_it_at_the_fiche_s_place(outils_url, open_at, when, status):
    page = open_at(when)
    page.goto(outils_url + JARDIN)
    expect(page.locator(".fiche-contact .horaires-etat")).to_have_text(status)
    expect(page.locator(".fiche-horaires li")).to_have_text(
        [
            "Du lundi au vendredi : du lever au coucher du soleil",
            "Le samedi : de 8 h au coucher du soleil",
            "Fermé les jours fériés",
        ]
    )
    assert [r.url for r in page.requests if r.url.endswith("/vendor/suncalc/suncalc.js")]
    only_local(page)


def test_suncalc_is_loaded_only_for_the_sun_and_each_place_has_its_own(outils_url, open_at):
    page = open_at(datetime(2026, 12, 2, 16, 45, tzinfo=PARIS))
    page.goto(outils_url + GARAGE)
    expect(page.locator(".fiche-contact .horaires-etat")).to_have_text("Fermé, ouvre demain à 14 h")
    assert not [r for r in page.requests if "suncalc" in r.url]
    # A result added later, in Strasbourg: the sun has set there (at Aurillac it sets at 17 h 10) and rises
    # earlier: the place given decides.
    page.evaluate(
        """() => { const li = document.createElement("li"); li.id = "strasbourg";
        li.setAttribute("data-horaires-osm", "Mo-Fr sunrise-sunset");
        li.setAttribute("data-horaires-lieu", "48.5734,7.7521");
        document.querySelector(".md-content").appendChild(li); }"""
    )
    expect(page.locator("#strasbourg .horaires-etat")).to_have_text("Fermé, ouvre demain à 8 h 02")
    page.goto(outils_url + VERGER)  # its territory's centre: the mean of the garage's and the garden's points
    expect(page.locator(".fiche-contact [data-horaires-osm]")).to_have_attribute("data-horaires-lieu", "44.9297,2.4421")
    page.clock.set_fixed_time(datetime(2026, 12, 5, 16, 0, tzinfo=PARIS))
    page.reload()
    expect(page.locator(".fiche-contact .horaires-etat")).to_have_text("Ouvert maintenant, ferme à 17 h 09")


def test_on_a_phone_the_phone_number_and_address_are_on_the_first_screen(outils_url, open_at):
    page = open_at(datetime(2026, 12, 2, 10, 0, tzinfo=PARIS))
    page.goto(outils_url + GARAGE)
    for selector in ('.fiche-contact a[href^="tel:"]', '.fiche-contact [data-remise="adresse"]'):
        box = page.locator(selector).bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"], selector
    for target in page.locator('a[href^="tel:"]:visible, .md-typeset .md-button:visible').all():
        assert target.bounding_box()["height"] >= 44, target.inner_text()


@pytest.mark.parametrize("path", ["", GARAGE, "freins/mobilite/cantal-aurillac/", "selection/"])
def test_every_page_begins_with_a_skip_link(outils_url, open_at, path):
    page = open_at(datetime(2026, 12, 2, 10, 0, tzinfo=PARIS))
    page.goto(outils_url + path)
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Aller au contenu")
    focused.press("Enter")
    assert page.evaluate("document.querySelector(location.hash) !== null")


def test_the_printed_fiche_carries_the_site_its_address_a_qr_code_and_its_last_check(outils_url, open_at):
    page = open_at(datetime(2026, 12, 2, 10, 0, tzinfo=PARIS), viewport={"width": 1280, "height": 900})
    page.goto(outils_url + GARAGE)
    expect(page.locator(".fiche-contact .horaires-etat")).to_be_visible()
    pages, text = pdf_text(page)
    assert pages == 1
    assert SITE_NAME in text
    assert SITE_URL + GARAGE in text
    assert "Fiche vérifiée le 5 octobre 2026" in text
    assert "Ouvert maintenant" not in text and "Fermé," not in text  # true at printing time only
    page.emulate_media(media="print")
    qr = page.locator(".fiche-qr svg")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 80  # about 22 mm
    assert SITE_URL + GARAGE in qr.locator("title").text_content()


def test_without_a_site_address_the_printed_fiche_has_no_qr_code(varied_site):
    html = (varied_site / "services" / "point-conseil-budget-aurillac" / "index.html").read_text(encoding="utf-8")
    assert 'class="fiche-imprime"' in html
    assert "fiche-qr" not in html and "https://" + "ressources" not in html


def test_a_selection_of_three_services_prints_as_one_handout_and_is_shared_as_a_link(outils_url, open_at, browser):
    page = open_at(datetime(2026, 12, 2, 10, 0, tzinfo=PARIS), viewport={"width": 1280, "height": 900})
    page.goto(outils_url + GARAGE)  # from a fiche
    page.get_by_role("button", name="Ajouter à la sélection").click()
    expect(page.get_by_role("button", name="Retirer de la sélection")).to_have_attribute("aria-pressed", "true")
    page.goto(outils_url + "freins/numerique/cantal-aurillac/")  # from a browse list
    page.locator('li[data-service-id="atelier-numerique-aurillac"] .selection-bouton').click()
    page.goto(outils_url + "freins/difficultes-financieres/cantal-aurillac/")
    page.locator('li[data-service-id="point-conseil-budget-aurillac"] .selection-bouton').click()
    counter = page.locator(".selection-compteur")
    expect(counter).to_have_text("Sélection à remettre (3)")
    counter.click()
    expect(page.locator("#selection")).to_have_attribute("data-selection-prete", "3")
    expect(page.locator(".selection-service h2")).to_have_text(
        ["Garage solidaire", "Atelier numérique", "Point conseil budget"]
    )
    shared = page.url
    assert urlsplit(shared).query == (
        "services=garage-solidaire-aurillac,atelier-numerique-aurillac,point-conseil-budget-aurillac"
    )
    pages, text = pdf_text(page)
    assert pages == 1
    for expected in (
        "Garage solidaire",
        "Réparation de voitures à prix coûtant",
        "12 rue des Tests, 15000 Aurillac",
        "04 65 71 00 20",
        "Le mardi et le jeudi : 14 h – 17 h",
        "Venir avec la carte grise et le devis ; bus ligne 3, arrêt Tronquières.",
        "Atelier numérique",
        "04 65 71 00 21",
        "Le samedi : 9 h – 12 h",
        "Point conseil budget",
        "04 65 71 00 13",
        "1 place de l'Exemple, 15000 Aurillac",
        f"{SITE_NAME} — sélection du 2 décembre 2026",
    ):
        assert expected in text, expected
    assert "Ajouter à la sélection" not in text and "Retirer" not in text
    only_local(page)

    # The link alone, in another browser session, shows the same selection.
    other = open_at(datetime(2026, 12, 3, 9, 0, tzinfo=PARIS))
    other.goto(shared)
    expect(other.locator(".selection-service h2")).to_have_text(
        ["Garage solidaire", "Atelier numérique", "Point conseil budget"]
    )
    other.get_by_role("button", name="Retirer « Atelier numérique » de la sélection").click()
    expect(other.locator(".selection-service h2")).to_have_text(["Garage solidaire", "Point conseil budget"])
    assert other.evaluate("Object.keys(localStorage).length") == 0
    only_local(other)


@pytest.mark.parametrize("form", ["demande-premier-rdv", "diagnostic-partage-ft-vers-ts"])
def test_orienter_opens_the_form_with_the_service_filled_in(outils_url, open_at, form):
    page = open_at(datetime(2026, 12, 2, 10, 0, tzinfo=PARIS))
    page.goto(outils_url + GARAGE)
    page.locator(f'.fiche-orienter-formulaires a[href*="fiches/{form}/"]').click()
    expect(page.locator('input[name="destinataire-service"]')).to_have_value("Garage solidaire")
    expect(page.locator('input[name="destinataire-structure"]')).to_have_value(
        "Union départementale des associations familiales du Cantal"
    )
    expect(page.locator('input[name="destinataire-contact"]')).to_have_value("04 65 71 00 20 · garage@exemple.org")
    page.locator('input[name="nom"]').fill("Dupont")
    page.reload()  # the person's name is gone, the service stays
    expect(page.locator('input[name="nom"]')).to_have_value("")
    expect(page.locator('input[name="destinataire-service"]')).to_have_value("Garage solidaire")
    assert page.evaluate("Object.keys(localStorage).length + Object.keys(sessionStorage).length") == 0
    only_local(page)


def test_documents_named_by_the_mobilisation_text_are_linked_or_located(outils_url, open_at):
    page = open_at(datetime(2026, 12, 2, 10, 0, tzinfo=PARIS), viewport={"width": 1280, "height": 900})
    page.goto(outils_url + CHANTIER)
    documents = page.locator(".fiche-documents li")
    expect(documents).to_have_text(
        [
            "Fiche de diagnostic partagé (sur ce site) : du conseiller France Travail vers le travailleur social "
            "ou du travailleur social vers le conseiller France Travail",
            "Formulaire CERFA : sur le lien de mobilisation du service, https://chantier.exemple.org/inscription",
        ]
    )
    expect(documents.nth(1).locator("a")).to_have_attribute("href", "https://chantier.exemple.org/inscription")
    pages, text = pdf_text(page)
    assert pages == 1
    # On paper, after the text that names them; the links to the forms are left out.
    assert "signé par la personne ; le diagnostic partagé peut remplacer la fiche de prescription. Documents" in text
    assert "Documents à joindre : Fiche de diagnostic partagé (sur ce site) ; Formulaire CERFA" in text
    assert "vers le travailleur social" not in text
    assert "Formulaire CERFA : sur le lien de mobilisation du service, https://chantier.exemple.org/inscription" in text
    documents.nth(0).get_by_role("link", name="du conseiller France Travail vers le travailleur social").click()
    expect(page.locator("h1")).to_have_text("Fiche de diagnostic partagé")  # the form, addressed to the service
    expect(page.locator('input[name="destinataire-service"]')).to_have_value("Chantier d'insertion")

    page.goto(outils_url + EPICERIE)  # no link of its own: the service gives its fiche navette
    expect(documents).to_have_text(
        [
            "Fiche navette : à demander au service (coordonnées plus haut)",
            "Demande de premier rendez-vous (sur ce site) : avec le travailleur social",
        ]
    )
    expect(documents.nth(1).locator("a")).to_have_attribute(
        "href", re.compile(r"^\.\./\.\./fiches/demande-premier-rdv/\?service=")
    )
    page.goto(outils_url + GARAGE)  # its text names no document
    expect(page.locator(".fiche-documents")).to_have_count(0)
    only_local(page)


def test_a_fiche_with_coordinates_links_to_the_route_on_openstreetmap(outils_url, open_at):
    page = open_at(datetime(2026, 12, 2, 10, 0, tzinfo=PARIS))
    page.goto(outils_url + GARAGE)
    expect(page.get_by_role("link", name="Itinéraire (OpenStreetMap)")).to_have_attribute(
        "href", "https://www.openstreetmap.org/directions?route=%3B44.9264%2C2.4397"
    )
    page.goto(outils_url + BUDGET)  # its structure has no coordinates
    expect(page.get_by_role("link", name="Itinéraire (OpenStreetMap)")).to_have_count(0)
    only_local(page)


# --- Defects seen on the way ---------------------------------------------------------------------------


def test_the_404_page_is_in_french(outils_url, open_at):
    page = open_at(datetime(2026, 12, 2, 10, 0, tzinfo=PARIS))
    page.goto(outils_url + "404.html")  # what the web server sends for a missing page
    expect(page.locator("h1")).to_have_text("Page introuvable")
    expect(page.get_by_role("link", name="Rechercher un service dans l'annuaire")).to_be_visible()
    assert "Not found" not in page.content()


def test_frein_bassin_pages_keep_the_bassin_name_and_say_when_there_is_no_service(outils_url, open_at):
    page = open_at(datetime(2026, 12, 2, 10, 0, tzinfo=PARIS))
    page.goto(outils_url + "freins/mobilite/cantal-aurillac/")
    expect(page.locator(".annuaire-parcours > p").nth(1)).to_have_text(
        "Bassin d'Aurillac (Cantal) : 1 service pour ce frein."
    )
    page.goto(outils_url + "freins/mobilite/cantal-mauriac/")
    content = page.locator(".annuaire-parcours")
    expect(content).to_contain_text("Aucun service")
    expect(content).not_to_contain_text("0 service")
    expect(page.locator("h1")).to_have_text("Mobilité — Bassin de Mauriac")


def test_the_public_filter_offers_all_publics_once(outils_url, open_at):
    page = open_at(datetime(2026, 12, 2, 10, 0, tzinfo=PARIS))
    page.goto(outils_url + "annuaire/")
    options = page.locator("#filtre-public option").all_inner_texts()
    assert options[0] == "Tous les publics"
    assert "Tous publics" not in options


def test_the_home_page_buttons_do_not_touch_on_a_phone(outils_url, open_at):
    page = open_at(datetime(2026, 12, 2, 10, 0, tzinfo=PARIS))
    page.goto(outils_url)
    boxes = [b.bounding_box() for b in page.locator(".annuaire-entree .md-button").all()]
    assert len(boxes) == 3
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart_x = a["x"] + a["width"] + 4 <= b["x"] or b["x"] + b["width"] + 4 <= a["x"]
            apart_y = a["y"] + a["height"] + 4 <= b["y"] or b["y"] + b["height"] + 4 <= a["y"]
            assert apart_x or apart_y, (a, b)


def test_the_sitemap_lists_the_fiches_when_the_site_address_is_set(outils_site, varied_site):
    sitemap = (outils_site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{SITE_URL}{GARAGE}</loc>" in sitemap
    assert not (varied_site / "sitemap.xml").exists()  # no address, no sitemap (it would be empty)


def test_a_bassin_shows_its_services_on_a_map_when_a_tile_server_is_set(outils_url, open_at):
    page = open_at(datetime(2026, 12, 2, 10, 0, tzinfo=PARIS), viewport={"width": 1280, "height": 900})
    tile = (REPO / "site_templates/assets/vendor/leaflet/images/marker-icon.png").read_bytes()
    page.route("http://tuiles.test/**", lambda route: route.fulfill(body=tile, content_type="image/png"))
    page.goto(outils_url + "bassins/cantal-aurillac/")
    markers = page.locator(".bassin-carte .leaflet-marker-icon")
    expect(markers).to_have_count(2)  # the garage and the garden: the others have no coordinates
    marker = markers.and_(page.locator('[title="Garage solidaire"]'))
    marker.click()
    expect(page.locator(".leaflet-popup-content a")).to_have_attribute(
        "href", "../../services/garage-solidaire-aurillac/"
    )
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("© contributeurs OpenStreetMap")
    hosts = {urlsplit(r.url).hostname for r in page.requests}
    assert hosts == {"127.0.0.1", "tuiles.test"}


def test_without_a_tile_server_no_map_and_nothing_from_another_host(varied_url, open_at):
    page = open_at(datetime(2026, 12, 2, 10, 0, tzinfo=PARIS))
    page.goto(varied_url + "bassins/cantal-aurillac/")
    expect(page.locator("h1")).to_have_text("Bassin d'Aurillac")
    expect(page.locator(".bassin-carte")).to_have_count(0)
    assert not [r for r in page.requests if "leaflet" in r.url]
    only_local(page)
