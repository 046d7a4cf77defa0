"""The annex forms without a browser: their data, the pages rendered from it, and the blank PDFs."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser

import pypdf
import pytest
from conftest import EXAMPLE_RECORDS
from pydantic import ValidationError

from generator.forms.model import Formulaire, formulaires, motifs_sortie
from generator.forms.pages import css_string, form_pages
from generator.forms.pdf import form_pdf
from generator.records.catalog import load_catalog
from generator.records.diagnostics import Report
from generator.referentiels import freins
from generator.site.page import SiteSettings
from generator.site.render import Directory, compact_index

FORM_IDS = ["diagnostic-partage-ft-vers-ts", "diagnostic-partage-ts-vers-ft", "demande-premier-rdv", "fiche-de-sortie"]
DIAGNOSTICS = FORM_IDS[:2]
THREE_SIGNATURES = ["Le conseiller France Travail", "Le travailleur social", "Le demandeur d'emploi"]
A4 = (595.28, 841.89)


@pytest.fixture(scope="module")
def examples():
    report = Report()
    catalog = load_catalog(EXAMPLE_RECORDS, str(EXAMPLE_RECORDS), report)
    assert not report.failed(), "\n".join(report.lines())
    return catalog


@pytest.fixture(scope="module")
def pages(examples) -> dict[str, str | bytes]:
    return {page.path: page.content for page in form_pages(examples, SiteSettings(site_name="Test"))}


class FormParser(HTMLParser):
    """The controls of a page, the labels that name them, and the text of any element by class."""

    def __init__(self):
        super().__init__()
        self.controls: list[dict] = []
        self.forms: list[dict] = []
        self.buttons: list[dict] = []
        self.options: list[dict] = []
        self.labels: dict[str, str] = {}
        self._label_for: str | None = None
        self._label_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea"):
            self.controls.append({"tag": tag, **attrs})
        elif tag == "form":
            self.forms.append(attrs)
        elif tag == "button":
            self.buttons.append(attrs)
        elif tag == "option":
            self.options.append(attrs)
        elif tag == "label":
            self._label_for, self._label_text = attrs.get("for"), []

    def handle_data(self, data):
        if self._label_for is not None:
            self._label_text.append(data)

    def handle_endtag(self, tag):
        if tag == "label" and self._label_for is not None:
            self.labels[self._label_for] = " ".join("".join(self._label_text).split())
            self._label_for = None


def parse(html: str) -> FormParser:
    parser = FormParser()
    parser.feed(html)
    return parser


def pdf_text(content: bytes) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


def test_the_four_annexes_are_defined_in_order():
    assert [form.id for form in formulaires()] == FORM_IDS
    for form in formulaires():
        assert form.titre and form.sous_titre and form.resume and form.intro


def test_exit_reasons_vocabulary():
    labels = {m.id: m.label for m in motifs_sortie()}
    assert list(labels) == [
        "emploi-cdi",
        "emploi-cdd-6-mois-et-plus",
        "emploi-cdd-moins-de-6-mois",
        "emploi-interim",
        "creation-activite",
        "formation-qualifiante",
        "levee-des-freins",
        "orientation-accompagnement-social",
        "abandon",
        "demenagement",
        "autre",
    ]
    assert labels["emploi-cdd-6-mois-et-plus"] == "CDD de 6 mois et plus"
    assert labels["emploi-cdd-moins-de-6-mois"] == "CDD de moins de 6 mois"
    assert labels["orientation-accompagnement-social"] == "Orientation vers un accompagnement social"
    assert {m.groupe for m in motifs_sortie()[:5]} == {"Reprise d'emploi"}
    assert all(m.groupe is None for m in motifs_sortie()[5:])
    assert motifs_sortie()[-1].precision  # « autre » asks which


def _one_form(**changes) -> dict:
    base = {
        "id": "essai",
        "titre": "T",
        "sous_titre": "S",
        "resume": "R",
        "intro": "I",
        "sections": [{"titre": "A", "champs": [{"id": "nom", "type": "texte", "label": "Nom"}]}],
    }
    base["sections"][0]["champs"].extend(changes.get("champs", []))
    return base


@pytest.mark.parametrize(
    "champs, message",
    [
        ([{"id": "nom", "type": "texte", "label": "Nom encore"}], "défini deux fois"),
        ([{"id": "f", "type": "cases", "label": "F"}], "soit `options`, soit `vocabulaire`"),
        (
            [
                {
                    "id": "f",
                    "type": "cases",
                    "label": "F",
                    "vocabulaire": "freins",
                    "options": [{"id": "a", "label": "A"}],
                }
            ],
            "soit `options`, soit `vocabulaire`",
        ),
        ([{"id": "m", "type": "cases", "label": "M", "vocabulaire": "motifs_sortie"}], "choix unique"),
        ([{"id": "s", "type": "signatures", "label": "S"}], "signataires"),
        (
            [
                {"id": "b", "type": "bassin", "label": "B"},
                {"id": "c", "type": "contacts", "label": "C", "freins": "nom", "bassin": "b"},
            ],
            "n'est pas un champ de freins",
        ),
        (
            [
                {"id": "f", "type": "cases", "label": "F", "vocabulaire": "freins"},
                {"id": "c", "type": "contacts", "label": "C", "freins": "f", "bassin": "nom"},
            ],
            "n'est pas un champ bassin",
        ),
        ([{"id": "x", "type": "curseur", "label": "X"}], "type"),
        ([{"id": "Pas Kebab", "type": "texte", "label": "X"}], "id"),
    ],
)
def test_inconsistent_form_data_is_refused(champs, message):
    with pytest.raises(ValidationError, match=message):
        Formulaire(**_one_form(champs=champs))


def test_pages_and_pdfs_are_produced(pages):
    expected = {"fiches/index.md"} | {f"fiches/{i}.md" for i in FORM_IDS} | {f"fiches/{i}.pdf" for i in FORM_IDS}
    assert set(pages) == expected
    index = pages["fiches/index.md"]
    for form_id in FORM_IDS:
        assert f'href="../fiches/{form_id}/"' in index
        assert f'href="../fiches/{form_id}.pdf"' in index
        assert f'href="../../fiches/{form_id}.pdf"' in pages[f"fiches/{form_id}.md"]


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_control_is_labelled_and_nothing_is_sent_or_kept(pages, form_id):
    html = parse(pages[f"fiches/{form_id}.md"])
    assert len(html.forms) == 1
    form = html.forms[0]
    assert form.get("autocomplete") == "off"
    assert "action" not in form and "method" not in form  # nothing to send anywhere
    assert all(b.get("type") in ("button", "reset") for b in html.buttons)  # no submit button
    ids = [c["id"] for c in html.controls]
    assert len(ids) == len(set(ids))
    for control in html.controls:
        assert html.labels.get(control["id"]), f"champ sans libellé : {control['id']}"


@pytest.mark.parametrize(
    "form_id, field",
    [
        ("diagnostic-partage-ft-vers-ts", "freins"),
        ("diagnostic-partage-ts-vers-ft", "freins"),
        ("demande-premier-rdv", "freins"),
        ("fiche-de-sortie", "freins-leves"),
    ],
)
def test_every_frein_of_the_referentiel_is_a_checkbox(pages, form_id, field):
    html = parse(pages[f"fiches/{form_id}.md"])
    boxes = [c for c in html.controls if c.get("type") == "checkbox" and c["name"] == field]
    assert [b["value"] for b in boxes] == [f.id for f in freins()]
    assert [html.labels[b["id"]] for b in boxes] == [f.label for f in freins()]


def test_diagnostics_have_comment_per_frein_answers_and_bassins(pages, examples):
    d = Directory(examples)
    for form_id in DIAGNOSTICS:
        html = parse(pages[f"fiches/{form_id}.md"])
        names = {c["name"] for c in html.controls}
        assert {f"freins-{f.id}-commentaire" for f in freins()} <= names
        assert {
            "nom",
            "prenom",
            "date-naissance",
            "identifiant-ft",
            "rsa",
            "qpv",
            "prescripteur-structure",
            "destinataire-structure",
            "date-envoi",
            "avis",
            "avis-refus-precision",
        } <= names
        assert [c["value"] for c in html.controls if c["name"] == "avis"] == ["accord", "refus", "tripartite"]
        structure_inputs = [c for c in html.controls if c["name"].endswith("-structure")]
        assert structure_inputs and all(c["list"] == "formulaire-structures" for c in structure_inputs)
        values = {o.get("value") for o in html.options}
        assert {s.nom for s in d.structures} <= values
        assert {b.key for b in d.bassins} <= values
    ts_vers_ft = parse(pages["fiches/diagnostic-partage-ts-vers-ft.md"])
    assert any(c["name"] == "besoins-pro" for c in ts_vers_ft.controls)


def test_exit_form_offers_every_exit_reason(pages):
    html = parse(pages["fiches/fiche-de-sortie.md"])
    radios = [c for c in html.controls if c.get("type") == "radio" and c["name"] == "motif"]
    assert [r["value"] for r in radios] == [m.id for m in motifs_sortie()]
    assert [html.labels[r["id"]] for r in radios] == [m.label for m in motifs_sortie()]
    names = {c["name"] for c in html.controls}
    assert {"date-entree", "date-sortie", "situation", "commentaires", "motif-autre-precision"} <= names


def test_the_procedure_of_the_seeds_is_on_the_forms(pages):
    """What the Rhône fiche describes: the adviser's first diagnosis on both sides, where the proposal came
    from, the actions of the binôme, the person's agreement, and who ends the accompaniment."""
    ft_vers_ts = parse(pages["fiches/diagnostic-partage-ft-vers-ts.md"])
    assert ft_vers_ts.labels["f-diagnostic-professionnel"].startswith("Volet professionnel")
    assert ft_vers_ts.labels["f-diagnostic-social"] == "Volet social"
    assert ft_vers_ts.labels["f-actions"] == "Actions à entreprendre"
    assert [ft_vers_ts.labels[f"f-origine-{o}"] for o in ("conseiller", "travailleur-social", "instance-rsa")] == [
        "du conseiller France Travail de la personne",
        "d'un travailleur social",
        "d'une instance RSA (IO ou ITT)",
    ]
    ts_vers_ft = parse(pages["fiches/diagnostic-partage-ts-vers-ft.md"])
    assert ts_vers_ft.labels["f-accord-accord-personne"].startswith("La personne a donné son accord")
    assert ts_vers_ft.labels["f-actions"] == "Actions à entreprendre"
    sortie = parse(pages["fiches/fiche-de-sortie.md"])
    assert [sortie.labels[f"f-initiative-{o}"] for o in ("conseiller", "travailleur-social")] == [
        "du conseiller France Travail",
        "du travailleur social",
    ]
    assert sortie.labels["f-motif-orientation-accompagnement-social"] == "Orientation vers un accompagnement social"


def test_running_title_is_a_css_string_that_cannot_close_its_style(pages):
    assert css_string('Fiche « l\'essai » "x" </style>\\') == '"Fiche « l\'essai » \\22 x\\22  \\3c /style\\3e \\5c "'
    page = pages["fiches/fiche-de-sortie.md"]
    assert '--formulaire-titre: "Accompagnement global — Fiche de sortie de l\'accompagnement global";' in page
    assert '--formulaire-page: "page " counter(page) "/" counter(pages);' in page


def test_screen_only_instructions_are_marked_for_the_screen(pages):
    html = pages["fiches/diagnostic-partage-ft-vers-ts.md"]
    assert '<p class="formulaire-aide formulaire-ecran">Les services de votre sélection à remettre' in html


def test_compact_index_ends_each_service_row_with_its_phone(examples):
    data = json.loads(compact_index(Directory(examples)))
    (row,) = data["services"]
    assert row[0] == "point-conseil-budget-aurillac"
    assert row[7] == "04 65 71 00 13"


def test_compact_index_names_the_accompagnement_global_services_never_suggested(catalog):
    data = json.loads(compact_index(Directory(catalog)))
    assert sorted(data["accompagnement_global"]) == [
        "accompagnement-global-aurillac",
        "accompagnement-global-mauriac",
        "accompagnement-global-saint-flour",
        "accompagnement-global-vaulx-en-velin",
        "accompagnement-global-villefranche",
        "ccas-lyon-accompagnement-global",  # « Accompagnement global avec France Travail (CCAS volontaire) »
        "ccas-venissieux-accompagnement-global",  # « Accompagnement global et aide d'urgence »
    ]  # not « Accompagnement social… » of the Département, nor the café santé that mentions it


@pytest.mark.parametrize("form", formulaires(), ids=FORM_IDS)
def test_blank_pdf_fits_two_a4_pages_with_its_content(form):
    reader, text = pdf_text(form_pdf(form))
    assert 1 <= len(reader.pages) <= 2
    for page in reader.pages:
        assert page.mediabox.width == pytest.approx(A4[0], abs=1)
        assert page.mediabox.height == pytest.approx(A4[1], abs=1)
    assert form.titre in text and form.sous_titre in text
    for section in form.sections:
        assert section.titre in text
        if section.aide_ecran:  # an instruction for the screen only
            assert section.aide_ecran not in text
    for champ in form.champs:
        for option in champ.choices:
            assert option.label in text
        for signataire in champ.signataires:
            assert signataire in text
    if form.id in DIAGNOSTICS:
        assert all(s in text for s in THREE_SIGNATURES)
        assert "Fonds social européen (FSE)" in text and "entrée en accompagnement global" in text


@pytest.mark.parametrize("form", formulaires(), ids=FORM_IDS)
def test_every_page_of_a_blank_pdf_has_the_title_and_its_number(form):
    reader, _ = pdf_text(form_pdf(form))
    count = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        lines = page.extract_text().splitlines()
        assert lines[0] == f"Accompagnement global — {form.full_title} page {number}/{count}"


def test_signatures_of_the_ts_to_ft_diagnostic_are_not_alone_on_their_page():
    reader, _ = pdf_text(form_pdf(formulaires()[1]))
    last = " ".join(reader.pages[-1].extract_text().split())
    assert last.startswith(
        "Accompagnement global — Fiche de diagnostic partagé du travailleur social vers le conseiller France "
        f"Travail page {len(reader.pages)}/{len(reader.pages)}"
    )
    assert "Le demandeur d'emploi" in last and "Actions à entreprendre" in last


def test_blank_pdf_embeds_the_shipped_dejavu_font_only():
    reader, _ = pdf_text(form_pdf(formulaires()[0]))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor  # embedded, never looked up on the reader's machine
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts == {"DejaVuSansBook", "DejaVuSansBold"}


# The form fields of each blank PDF, by their web names: (type, states of a box or a radio group).
EXPECTED_FIELDS = {
    "diagnostic-partage-ft-vers-ts": {
        "nom": ("/Tx", None),
        "rsa": ("/Btn", ["/oui", "/non"]),
        "origine": ("/Btn", ["/conseiller", "/travailleur-social", "/instance-rsa"]),
        "diagnostic-professionnel": ("/Tx", None),
        "diagnostic-social": ("/Tx", None),
        "freins-logement": ("/Btn", ["/Yes", "/Off"]),
        "freins-logement-commentaire": ("/Tx", None),
        "avis": ("/Btn", ["/accord", "/refus", "/tripartite"]),
        "avis-refus-precision": ("/Tx", None),
        "actions": ("/Tx", None),
        "signatures-3-date": ("/Tx", None),
        "contacts": ("/Tx", None),
    },
    "diagnostic-partage-ts-vers-ft": {
        "accord-accord-personne": ("/Btn", ["/Yes", "/Off"]),
        "besoins-pro-formation": ("/Btn", ["/Yes", "/Off"]),
        "besoins-pro-precisions": ("/Tx", None),
        "actions": ("/Tx", None),
    },
    "demande-premier-rdv": {"rdv-lieu": ("/Tx", None), "freins-numerique": ("/Btn", ["/Yes", "/Off"])},
    "fiche-de-sortie": {
        "motif": (
            "/Btn",
            [
                "/emploi-cdi",
                "/emploi-cdd-6-mois-et-plus",
                "/emploi-cdd-moins-de-6-mois",
                "/emploi-interim",
                "/creation-activite",
                "/formation-qualifiante",
                "/levee-des-freins",
                "/orientation-accompagnement-social",
                "/abandon",
                "/demenagement",
                "/autre",
            ],
        ),
        "motif-autre-precision": ("/Tx", None),
        "initiative": ("/Btn", ["/conseiller", "/travailleur-social"]),
        "situation": ("/Tx", None),
        "freins-leves-mobilite": ("/Btn", ["/Yes", "/Off"]),
    },
}


@pytest.mark.parametrize("form", formulaires(), ids=FORM_IDS)
def test_blank_pdf_has_a_form_field_for_every_web_field(form, pages):
    reader = pypdf.PdfReader(io.BytesIO(form_pdf(form)))
    fields = reader.get_fields()
    for name, (kind, states) in EXPECTED_FIELDS[form.id].items():
        assert fields[name].get("/FT") == kind, name
        assert fields[name].get("/_States_") == states, name
    # Every text control and radio group of the web page has its field, under the same name; a checkbox
    # is named after its web id.
    html = parse(pages[f"fiches/{form.id}.md"])
    web_names = {
        control["id"][2:] if control.get("type") == "checkbox" else control["name"]
        for control in html.controls
        if control["tag"] != "select" or control["name"] == "bassin"
    }
    # The contacts, which the web page adds by itself, are lines to fill on the PDF.
    assert web_names | ({"contacts"} if form.id in DIAGNOSTICS else set()) == set(fields)


@pytest.mark.parametrize("form", formulaires(), ids=FORM_IDS)
def test_pdf_fields_lie_on_their_page(form):
    reader = pypdf.PdfReader(io.BytesIO(form_pdf(form)))
    for page in reader.pages:
        for annotation in page["/Annots"]:
            left, bottom, right, top = (float(v) for v in annotation.get_object()["/Rect"])
            assert 0 < left < right < A4[0] and 0 < bottom < top < A4[1]
    # The first field, the person's name, sits near the top of the first page (PDF y grows upwards).
    (nom,) = [a.get_object() for a in reader.pages[0]["/Annots"] if a.get_object().get("/T") == "nom"]
    assert float(nom["/Rect"][1]) > A4[1] * 0.75


def test_a_value_set_in_the_blank_pdf_is_kept():
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(form_pdf(formulaires()[0]))))
    values = {
        "nom": "Zéphyrine Quintal-Œuvre",
        "diagnostic-social": "Hébergée chez sa sœur depuis mars.\nCherche un logement à Aurillac.",
        "freins-logement": "/Yes",
        "avis": "/tripartite",
        "rsa": "/oui",
    }
    writer.update_page_form_field_values(None, values, auto_regenerate=False)
    saved = io.BytesIO()
    writer.write(saved)
    fields = pypdf.PdfReader(io.BytesIO(saved.getvalue())).get_fields()
    assert {name: fields[name].get("/V") for name in values} == values
    assert fields["freins-mobilite"].get("/V") == "/Off"


def test_built_site_has_the_forms_and_their_pdfs(built_site):
    assert (built_site / "fiches" / "index.html").is_file()
    for form_id in FORM_IDS:
        assert (built_site / "fiches" / form_id / "index.html").is_file()
        reader = pypdf.PdfReader(built_site / "fiches" / f"{form_id}.pdf")
        assert 1 <= len(reader.pages) <= 2
