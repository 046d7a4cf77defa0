"""The annex forms in Debian's Chromium: filled on screen, printed to PDF on A4, nothing kept or sent."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from playwright.sync_api import expect

from generator.forms.model import formulaires
from generator.referentiels import freins

FORMS = {form.id: form for form in formulaires()}
DIAGNOSTICS = ["diagnostic-partage-ft-vers-ts", "diagnostic-partage-ts-vers-ft"]
THREE_SIGNATURES = ["Le conseiller France Travail", "Le travailleur social", "Le demandeur d'emploi"]
FREINS_FIELD = {"fiche-de-sortie": "freins-leves"}
TYPED = "Zéphyrine Quintal-Essai"  # a name no page of the site contains
COMMENT = "Hébergée chez sa sœur"
# Sentences of a real situation, from which each free-text box gets 2,000 characters of its own.
SITUATION = [
    "Madame",
    "vit",
    "seule",
    "avec",
    "ses",
    "deux",
    "enfants",
    "de",
    "quatre",
    "et",
    "sept",
    "ans",
    "dans",
    "un",
    "logement",
    "social",
    "du",
    "quartier",
    "de",
    "Marmiers,",
    "dont",
    "le",
    "loyer",
    "a",
    "augmenté",
    "depuis",
    "janvier.",
    "Elle",
    "a",
    "travaillé",
    "huit",
    "ans",
    "comme",
    "aide",
    "à",
    "domicile",
    "auprès",
    "de",
    "personnes",
    "âgées,",
    "puis",
    "a",
    "cessé",
    "son",
    "activité",
    "après",
    "une",
    "longue",
    "maladie.",
    "Elle",
    "n'a",
    "pas",
    "le",
    "permis",
    "de",
    "conduire",
    "et",
    "dépend",
    "des",
    "bus",
    "de",
    "la",
    "ville,",
    "rares",
    "le",
    "soir",
    "et",
    "le",
    "samedi.",
    "Ses",
    "dettes",
    "d'énergie",
    "atteignent",
    "mille",
    "deux",
    "cents",
    "euros",
    ";",
    "un",
    "dossier",
    "de",
    "surendettement",
    "est",
    "envisagé",
    "avec",
    "la",
    "conseillère",
    "en",
    "économie",
    "sociale",
    "et",
    "familiale.",
    "Elle",
    "souhaite",
    "reprendre",
    "un",
    "emploi",
    "à",
    "temps",
    "partiel",
    "compatible",
    "avec",
    "les",
    "horaires",
    "de",
    "l'école,",
    "de",
    "préférence",
    "dans",
    "le",
    "soin",
    "ou",
    "l'accompagnement",
    "des",
    "personnes.",
    "Une",
    "formation",
    "d'assistante",
    "de",
    "vie",
    "aux",
    "familles",
    "l'intéresse,",
    "à",
    "condition",
    "de",
    "trouver",
    "une",
    "solution",
    "de",
    "garde",
    "pour",
    "le",
    "mercredi.",
    "Elle",
    "maîtrise",
    "mal",
    "les",
    "démarches",
    "en",
    "ligne",
    "et",
    "n'a",
    "pas",
    "d'ordinateur,",
    "seulement",
    "un",
    "téléphone",
    "ancien.",
    "Sa",
    "sœur",
    "l'aide",
    "ponctuellement,",
    "mais",
    "habite",
    "à",
    "Saint-Flour",
    "et",
    "ne",
    "peut",
    "pas",
    "garder",
    "les",
    "enfants.",
]
LINE_80 = "Marie-Bernadette Fontanges-Delmas, conseillère référente de l'agence Aurillac Sud"


def situation(index: int) -> str:
    """2,000 characters of SITUATION, starting at a different word for each box (so each is its own)."""
    words = SITUATION[index * 7 % len(SITUATION) :] + SITUATION * 5
    text = ""
    for word in words:
        if len(text) + len(word) + 1 > 2000:
            break
        text = f"{text} {word}" if text else word
    return text + "." * (2000 - len(text))


def printed_text(reader: pypdf.PdfReader, form) -> str:
    """The text of the printed pages, without the running title and « page n/N » of their margins."""
    running = f"Accompagnement global — {form.full_title}"
    text = " ".join("\n".join(p.extract_text() for p in reader.pages).split())
    return re.sub(r" ?page [0-9]+/[0-9]+ ?", " ", text.replace(running, " ")).replace("  ", " ")


def open_form(page, site_url: str, form_id: str):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{site_url}fiches/{form_id}/")
    page.wait_for_function("document.getElementById('formulaire').dataset.started === '1'")
    return requests


def print_pdf(page) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    text = " ".join("\n".join(p.extract_text() for p in reader.pages).split())
    return reader, text


def assert_a4_within_two_pages(reader: pypdf.PdfReader) -> None:
    assert 1 <= len(reader.pages) <= 2, f"{len(reader.pages)} pages"
    for pdf_page in reader.pages:
        assert float(pdf_page.mediabox.width) == pytest.approx(595, abs=1)
        assert float(pdf_page.mediabox.height) == pytest.approx(842, abs=1)


def fill_everything(page) -> None:
    """Every line typed in, every box ticked, one answer per radio group: the longest print."""
    for control in page.locator(
        "#formulaire input[type=text], #formulaire input[type=tel], #formulaire textarea"
    ).all():
        control.fill(TYPED)
    for control in page.locator("#formulaire input[type=date]").all():
        control.fill("2026-03-12")
    for control in page.locator("#formulaire input[type=checkbox]").all():
        control.check()
    for name in set(page.eval_on_selector_all("#formulaire input[type=radio]", "els => els.map(e => e.name)")):
        page.locator(f"#formulaire input[type=radio][name='{name}']").first.check()


@pytest.mark.parametrize("form_id", list(FORMS))
def test_filled_form_prints_on_two_a4_pages_at_most(page, site_url, form_id):
    requests = open_form(page, site_url, form_id)
    form = FORMS[form_id]
    page.fill("#f-nom", TYPED)
    freins_field = FREINS_FIELD.get(form_id, "freins")
    page.check(f"#f-{freins_field}-logement")
    if form_id in DIAGNOSTICS:
        page.fill("#f-freins-logement-commentaire", COMMENT)
    reader, text = print_pdf(page)
    assert_a4_within_two_pages(reader)
    assert TYPED in text
    if form_id in DIAGNOSTICS:
        assert COMMENT in text
        assert all(s in text for s in THREE_SIGNATURES)
        assert "Fonds social européen (FSE)" in text
    for frein in freins():
        assert frein.label in text
    for section in form.sections:
        assert section.titre in text
        if section.aide:
            assert " ".join(section.aide.split()) in text
        if section.aide_ecran:  # an instruction for the screen only
            assert section.aide_ecran.split(":")[0] not in text
    # The site's header, search, footer and the screen-only notice and buttons are not printed.
    for screen_only in (
        "Rechercher",
        "Licence Ouverte",
        "Rien n'est enregistré",
        "Fiche vierge en PDF",
        "Imprimer la fiche",
    ):
        assert screen_only not in text
    assert all(url.startswith(site_url) for url in requests), [u for u in requests if not u.startswith(site_url)]


@pytest.mark.parametrize("form_id", list(FORMS))
def test_everything_typed_is_printed_whole_in_french_dates(browser, site_url, form_id):
    """A browser in English, every field filled with long text: the PDF holds every typed character, in
    order, and dates in dd/mm/yyyy; each page carries the form's title and « page n/N »."""
    form = FORMS[form_id]
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    open_form(page, site_url, form_id)
    typed = []
    for index, box in enumerate(page.locator("#formulaire textarea").all()):
        typed.append(situation(index))
        box.fill(typed[-1])
    for index, line in enumerate(
        page.locator("#formulaire input[type=text], #formulaire input[type=tel], #formulaire input[type=email]").all()
    ):
        typed.append(f"{LINE_80[:77]} {index:02d}")
        line.fill(typed[-1])
    for control in page.locator("#formulaire input[type=date]").all():
        control.fill("2026-03-14")
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    context.close()

    assert {len(value) for value in typed} == {2000, 80}
    # Lines may break after a hyphen: compared without white space, every character is there, in order.
    text = "".join(printed_text(reader, form).split())
    missing = [value[:40] for value in typed if "".join(value.split()) not in text]
    assert not missing, missing
    assert "14/03/2026" in text and "03/14/2026" not in text and "2026-03-14" not in text
    for number, pdf_page in enumerate(reader.pages, start=1):
        page_text = " ".join(pdf_page.extract_text().split())
        assert f"Accompagnement global — {form.full_title}" in page_text
        assert f"page {number}/{len(reader.pages)}" in page_text


@pytest.mark.parametrize("form_id", list(FORMS))
def test_blank_form_prints_lines_not_hints(page, site_url, form_id):
    open_form(page, site_url, form_id)
    reader, text = print_pdf(page)
    assert_a4_within_two_pages(reader)
    for number, pdf_page in enumerate(reader.pages, start=1):  # no loose page without its title
        page_text = " ".join(pdf_page.extract_text().split())
        assert page_text.startswith(f"Accompagnement global — {FORMS[form_id].full_title} page {number}/")
    for hint in ("jj/mm/aaaa", "jj / mm / aaaa", "mm/dd/yyyy", "Choisir un bassin"):
        assert hint not in text


@pytest.mark.parametrize("path", ["fiches/", *(f"fiches/{form_id}/" for form_id in FORMS)])
def test_no_sideways_scroll_on_a_phone(browser, site_url, path):
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{site_url}{path}")
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    assert widths[0] <= widths[1] == 390


def test_text_areas_grow_with_their_text(page, site_url):
    open_form(page, site_url, "fiche-de-sortie")
    box = page.locator("#f-situation")
    empty_height = box.bounding_box()["height"]
    box.fill(situation(0))
    assert box.bounding_box()["height"] > 3 * empty_height
    assert page.evaluate("(t => t.scrollHeight <= t.clientHeight)(document.getElementById('f-situation'))")
    page.click("button[type=reset][form=formulaire]")
    page.wait_for_function("document.getElementById('f-situation').value === ''")
    assert box.bounding_box()["height"] == pytest.approx(empty_height, abs=1)


def test_nothing_typed_is_stored_nor_sent(page, site_url):
    requests = open_form(page, site_url, "diagnostic-partage-ft-vers-ts")
    page.fill("#f-nom", TYPED)
    page.fill("#f-freins-logement-commentaire", COMMENT)
    page.check("#f-freins-logement")
    page.check("#f-rsa-oui")
    page.press("#f-nom", "Enter")  # would submit a form that had a submit button or an action
    page.wait_for_timeout(300)
    assert page.url == f"{site_url}fiches/diagnostic-partage-ft-vers-ts/"
    assert page.input_value("#f-nom") == TYPED
    assert page.evaluate("localStorage.length") == 0
    assert page.evaluate("sessionStorage.length") == 0
    assert page.evaluate("document.cookie") == ""
    assert page.context.cookies() == []
    assert not any("Quintal" in url for url in requests)
    assert page.get_attribute("#formulaire", "autocomplete") == "off"


def test_notice_says_nothing_is_kept(page, site_url):
    open_form(page, site_url, "fiche-de-sortie")
    notice = page.locator(".formulaire-confidentialite")
    assert notice.is_visible()
    assert "rien ne part sur le réseau" in notice.inner_text()


def test_reload_and_back_give_a_blank_form(page, site_url):
    open_form(page, site_url, "fiche-de-sortie")
    page.fill("#f-nom", TYPED)
    page.fill("#f-situation", COMMENT)
    page.fill("#f-date-sortie", "2026-03-12")
    page.check("#f-freins-leves-mobilite")
    page.check("#f-motif-emploi-cdi")

    def assert_blank():
        page.wait_for_function("document.getElementById('formulaire').dataset.started === '1'")
        assert page.input_value("#f-nom") == ""
        assert page.input_value("#f-situation") == ""
        assert page.input_value("#f-date-sortie") == ""
        assert not page.is_checked("#f-freins-leves-mobilite")
        assert not page.is_checked("#f-motif-emploi-cdi")

    page.reload()
    assert_blank()
    page.fill("#f-nom", TYPED)
    page.check("#f-motif-emploi-cdi")
    page.goto(f"{site_url}fiches/")
    page.go_back()
    assert_blank()
    # A page restored whole from the back-forward cache is shown again without loading: pageshow empties it.
    page.fill("#f-nom", TYPED)
    page.check("#f-freins-leves-mobilite")
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    assert_blank()


def test_contacts_suggest_services_of_the_freins_and_bassin_but_never_accompagnement_global(page, site_url):
    open_form(page, site_url, "diagnostic-partage-ft-vers-ts")
    contacts = page.locator(".formulaire-contacts-liste")
    page.check("#f-freins-mobilite")
    expect(page.locator(".formulaire-contacts-etat")).to_contain_text("choisissez un bassin")
    assert contacts.locator("li").count() == 0  # no bassin yet
    page.select_option("#f-bassin", "cantal-aurillac")
    page.check("#f-freins-difficultes-financieres")
    mobilite, budget = contacts.locator(".formulaire-contacts-frein").all()
    # Aurillac has 6 services for mobility and 11 for money matters, the accompagnement global among them:
    # 4 of each are listed (one only once), the others are counted and their page given in full.
    expect(mobilite.locator("li a").first).to_have_text("Accompagnement au microcrédit personnel")
    expect(mobilite.locator("li").nth(4)).to_have_text(
        f"Et 1 autre service de la base pour ce frein sur ce bassin : {site_url}freins/mobilite/cantal-aurillac/"
    )
    expect(budget.locator("li").nth(4)).to_have_text(
        "Et 5 autres services de la base pour ce frein sur ce bassin : "
        f"{site_url}freins/difficultes-financieres/cantal-aurillac/"
    )
    expect(contacts).not_to_contain_text("Accompagnement global")
    expect(contacts).to_contain_text("Auto-école sociale — Plateforme mobilité insertion du Cantal, Arpajon-sur-Cère")
    expect(page.locator(".formulaire-contacts-choix")).to_be_hidden()  # no selection: nothing to choose
    _, text = print_pdf(page)
    joined = "".join(text.split())
    assert "Contacts utiles" in text and "Accompagnement au microcrédit personnel" in text
    assert "Et 1 autre service de la base pour ce frein sur ce bassin" in text
    assert f"Et5autresservicesdelabasepourcefreinsurcebassin:{site_url}freins/difficultes-financieres/" in joined
    assert "autre(s)" not in text and "Accompagnement global, bassin" not in text

    page.select_option("#f-bassin", "cantal-mauriac")  # only the accompagnement global teaches French there
    page.uncheck("#f-freins-mobilite")
    page.uncheck("#f-freins-difficultes-financieres")
    page.check("#f-freins-maitrise-langue")
    expect(contacts.locator("li")).to_have_text(["Aucun autre service de la base pour ce frein sur ce bassin."])
    page.uncheck("#f-freins-maitrise-langue")
    assert contacts.locator("li").count() == 0


def test_contacts_are_the_selection_when_there_is_one(page, site_url):
    for fiche in ("csapa-aurillac", "point-conseil-budget-aurillac"):
        page.goto(f"{site_url}services/{fiche}/")
        page.get_by_role("button", name="Ajouter à la sélection").click()
    open_form(page, site_url, "diagnostic-partage-ts-vers-ft")
    contacts = page.locator(".formulaire-contacts-liste")
    state = page.locator(".formulaire-contacts-etat")
    selected = [
        "Consultations en addictologie (CSAPA) — Association Addictions France, établissement du Cantal, "
        "8 rue de l'Exemple, 15000 Aurillac, tél. 04 65 71 10 20",
        "Point conseil budget — Union départementale des associations familiales du Cantal, "
        "1 place de l'Exemple, 15000 Aurillac, tél. 04 65 71 00 13",
    ]
    expect(contacts.locator("li")).to_have_text(selected)
    expect(state).to_have_text(
        "Les 2 services de votre sélection à remettre sont ajoutés à la fiche : "
        "le bassin et les freins cochés ne changent pas cette liste."
    )
    page.check("#f-freins-mobilite")
    page.select_option("#f-bassin", "cantal-aurillac")
    expect(contacts.locator("li")).to_have_text(selected)
    page.fill("#f-nom", TYPED)
    _, text = print_pdf(page)
    assert "Services choisis pendant l'entretien" in text
    for line in selected:
        assert line in text, line
    assert TYPED in text
    for screen_only in ("Proposer plutôt", "Vider la sélection", "votre sélection", "Sélection à remettre"):
        assert screen_only not in text, screen_only

    # The suggestion instead, then the selection again; the selection itself is left as it was.
    page.get_by_role("button", name="Proposer plutôt les services du bassin et des freins cochés").click()
    expect(contacts.locator("li a").first).to_have_text("Accompagnement au microcrédit personnel")
    page.get_by_role("button", name="Utiliser la sélection à remettre (2 services)").click()
    expect(contacts.locator("li")).to_have_text(selected)
    # Emptied: the suggestion, and no more choice to offer.
    page.get_by_role("button", name="Vider la sélection").click()
    expect(contacts.locator("li a").first).to_have_text("Accompagnement au microcrédit personnel")
    expect(page.locator(".formulaire-contacts-choix")).to_be_hidden()
    assert page.evaluate("sessionStorage.getItem('annuaire-selection')") == "[]"
    assert page.locator(".selection-compteur").is_hidden()


def test_without_javascript_a_note_points_to_the_base(browser, site_url):
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}fiches/diagnostic-partage-ft-vers-ts/")
    note = page.locator(".formulaire-contacts noscript")
    assert "Cherchez les services dans la base" in page.content()
    assert note.count() == 1
    assert page.locator(".formulaire-contacts a[href$='freins/']").count() == 1
    context.close()


def test_keyboard_ticks_a_frein_and_chooses_an_answer(page, site_url):
    open_form(page, site_url, "diagnostic-partage-ft-vers-ts")
    page.focus("#f-freins-sante")
    page.keyboard.press("Space")
    assert page.is_checked("#f-freins-sante")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-freins-sante-commentaire"
    page.focus("#f-avis-accord")
    page.keyboard.press("ArrowDown")
    assert page.is_checked("#f-avis-refus")


@pytest.mark.parametrize("path", ["fiches/", *(f"fiches/{form_id}/" for form_id in FORMS)])
def test_forms_pass_axe(page, site_url, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(f"{site_url}{path}")
    results = Axe().run(
        page,
        context={"include": [[".md-content"]]},
        options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}},
    )
    assert results.violations_count == 0, results.generate_report()
