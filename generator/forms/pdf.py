"""Each annex form as a blank A4 PDF, drawn with fpdf2 from the same data as its web page.

Lines to write on, boxes to tick, frames to sign: what the web page prints when left empty. Each line and
box is also a form field named like the web form's (acroform.py), so the PDF can be filled in a reader.
The text is set in DejaVu Sans, shipped in fonts/ (from Debian's fonts-dejavu-core): the same PDF on
every machine.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from generator.forms.acroform import Widget, WidgetKind, with_fields
from generator.forms.model import Champ, Formulaire, Option

FONTS = Path(__file__).parent / "fonts"
DEJAVU_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}

MARGIN = 14.0  # mm
ROW = 7.5  # height of a line to write on
BOX = 3.2  # side of a tick box
GAP = 4.0  # between fields of a row
SIGNATURE_HEIGHT = 30.0
GREY = (90, 90, 90)
WIDTHS = {"pleine": 1.0, "demi": 0.5, "tiers": 1 / 3}
ONE_LINE = {"texte", "date", "telephone", "courriel", "structure", "bassin", "oui-non"}


class _FormPDF(FPDF):
    def __init__(self, running_title: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.running_title = running_title
        self.widgets: list[Widget] = []
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        for style, name in DEJAVU_FILES.items():
            self.add_font("DejaVu", style, str(FONTS / name))

    @property
    def content_width(self) -> float:
        return self.w - 2 * MARGIN

    def header(self) -> None:
        """On every page, the form's title and « page n/N »: a loose page still says what it belongs to."""
        self.font(7.5, grey=True)
        self.set_xy(MARGIN, 7)
        self.cell(self.content_width - 20, 4, self.running_title)
        self.cell(20, 4, f"page {self.page_no()}/{{nb}}", align="R")
        self.set_xy(MARGIN, MARGIN)

    def font(self, size: float, bold: bool = False, grey: bool = False) -> None:
        self.set_font("DejaVu", "B" if bold else "", size)
        self.set_text_color(*(GREY if grey else (0, 0, 0)))

    def field(
        self, kind: WidgetKind, name: str, label: str, x: float, y: float, width: float, height: float, value: str = ""
    ) -> None:
        self.widgets.append(Widget(kind, name, label, self.page - 1, x, y, width, height, value))

    def room(self, height: float) -> None:
        """Start a new page unless `height` fits below the cursor (a row is never split)."""
        if self.get_y() + height > self.h - MARGIN:
            self.add_page()

    def text_at(self, x: float, y: float, text: str) -> float:
        """Write one line whose baseline sits at the bottom of a ROW starting at y; return its end x."""
        self.set_xy(x, y + ROW - 5.5)
        self.cell(text=text)
        return self.get_x()

    def rule(self, x1: float, x2: float, y: float) -> None:
        self.set_draw_color(0, 0, 0)
        self.set_line_width(0.2)
        if x2 - x1 > 2:
            self.line(x1, y + ROW - 1.6, x2, y + ROW - 1.6)

    def line_field(self, name: str, label: str, x1: float, x2: float, y: float) -> None:
        """A line to write on, and the one-line text field over it."""
        self.rule(x1, x2, y)
        self.field("texte", name, label, x1, y + 1.4, x2 - x1, ROW - 3)

    def box(self, x: float, y: float, round_: bool = False) -> None:
        top = y + 1.5  # bottom on the text's baseline
        self.set_line_width(0.25)
        if round_:
            self.ellipse(x, top, BOX, BOX)
        else:
            self.rect(x, top, BOX, BOX)

    def option(self, x: float, y: float, label: str, round_: bool = False) -> float:
        self.box(x, y, round_)
        return self.text_at(x + BOX + 1.2, y, label)

    def paragraph(self, text: str, size: float, grey: bool = False, bold: bool = False, after: float = 1.0) -> None:
        self.font(size, bold=bold, grey=grey)
        self.set_x(MARGIN)
        self.multi_cell(self.content_width, size * 0.45, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(after)


def form_pdf(form: Formulaire) -> bytes:
    """The blank form on A4 pages, with a form field on each line and box."""
    pdf = _FormPDF(f"Accompagnement global — {form.full_title}")
    pdf.set_title(form.full_title)
    pdf.set_lang("fr")
    pdf.set_creator("Base de ressources sociales")
    pdf.add_page()
    pdf.paragraph(form.titre, 15, bold=True, after=0.3)
    pdf.paragraph(form.sous_titre, 11, after=2)
    for section in form.sections:
        pdf.room(7 + _first_height(section.champs[0]))  # a section's title never ends a page alone
        pdf.ln(1.5)
        pdf.set_fill_color(228, 232, 242)
        pdf.font(10.5, bold=True)
        pdf.cell(pdf.content_width, 6, section.titre, fill=True, new_x="LMARGIN", new_y="NEXT")
        if section.aide:
            pdf.ln(0.8)
            pdf.paragraph(section.aide, 8, grey=True, after=0)
        _fields(pdf, section.champs)
    return with_fields(bytes(pdf.output()), pdf.widgets)


def _first_height(champ: Champ) -> float:
    """The height of a champ's first unbreakable part."""
    if champ.type == "signatures":
        return SIGNATURE_HEIGHT + 2
    if champ.type == "zone":
        return ROW * (champ.lignes + 1)
    return 2 * ROW if champ.type in ("cases", "choix") else ROW


def _fields(pdf: _FormPDF, champs: list[Champ]) -> None:
    """One-line fields flow side by side in rows, by their width; the others take a block of their own."""
    right = MARGIN + pdf.content_width
    x = MARGIN
    for champ in champs:
        if champ.type not in ONE_LINE:
            if x != MARGIN:  # finish the row
                x = MARGIN
                pdf.set_y(pdf.get_y() + ROW)
            _block(pdf, champ)
            continue
        width = pdf.content_width * WIDTHS[champ.width]
        if x + width > right + 0.1:  # no room left in this row
            x = MARGIN
            pdf.set_y(pdf.get_y() + ROW)
        if x == MARGIN:
            pdf.room(ROW)
        last = x + width >= right - 0.1
        _line(pdf, champ, x, pdf.get_y(), width - (0 if last else GAP))
        x = MARGIN if last else x + width
        if last:
            pdf.set_y(pdf.get_y() + ROW)
    if x != MARGIN:
        pdf.set_y(pdf.get_y() + ROW)


def _line(pdf: _FormPDF, champ: Champ, x: float, y: float, width: float) -> None:
    """One labelled line (or Oui / Non buttons) in a cell of a row; keeps the cursor's y."""
    pdf.font(9)
    end = pdf.text_at(x, y, champ.label + " :")
    if champ.type == "oui-non":
        for value, word in (("oui", "Oui"), ("non", "Non")):
            pdf.field("choix", champ.id, f"{champ.label} : {word}", end + 2, y + 1.5, BOX, BOX, value)
            end = pdf.option(end + 2, y, word, round_=True) + 2
    else:
        pdf.line_field(champ.id, champ.label, end + 1.5, x + width, y)
    pdf.set_xy(MARGIN, y)


def _block(pdf: _FormPDF, champ: Champ) -> None:
    if champ.type == "zone":
        # The label on a line of its own: the text field covers the lines below it, whole.
        pdf.room(ROW * (champ.lignes + 1))
        y = pdf.get_y()
        pdf.font(9)
        pdf.text_at(MARGIN, y, champ.label + " :")
        _ruled_field(pdf, champ.id, champ.label, y + ROW, champ.lignes)
    elif champ.type in ("cases", "choix"):
        _options(pdf, champ)
    elif champ.type == "signatures":
        _signatures(pdf, champ)
    elif champ.type == "mention":
        pdf.ln(1.5)
        pdf.paragraph(champ.texte or "", 8, grey=True, after=0)
    elif champ.type == "contacts":
        pdf.ln(1)
        pdf.paragraph(
            "Services de la base pour les freins cochés et le bassin de la personne : la fiche remplie à "
            "l'écran les ajoute d'elle-même ; sur papier, notez-les ici (service, structure, téléphone).",
            8,
            grey=True,
            after=0,
        )
        pdf.room(3 * ROW)
        _ruled_field(pdf, champ.id, champ.label, pdf.get_y(), 3)


def _ruled_field(pdf: _FormPDF, name: str, label: str, y: float, lines: int) -> None:
    """`lines` lines to write on from y, under one multi-line text field; the cursor goes below them."""
    right = MARGIN + pdf.content_width
    for line in range(lines):
        pdf.rule(MARGIN, right, y + ROW * line)
    pdf.field("zone", name, label, MARGIN, y + 1, pdf.content_width, ROW * lines - 1.5)
    pdf.set_y(y + ROW * lines)


def _options(pdf: _FormPDF, champ: Champ) -> None:
    """Tick boxes (round for a single choice); with comments, one per row, else flowing on the line."""
    round_ = champ.type == "choix"
    right = MARGIN + pdf.content_width
    pdf.room(2 * ROW)
    y = pdf.get_y()
    pdf.font(9, bold=True)
    pdf.text_at(MARGIN, y, champ.label + " :")
    y += ROW
    pdf.font(9)
    if champ.commentaire:
        label_width = max(pdf.get_string_width(o.label) for o in champ.choices) + BOX + 4
        for option in champ.choices:
            y = _room_at(pdf, y)
            _option_field(pdf, champ, option, MARGIN, y)
            pdf.option(MARGIN, y, option.label, round_)
            pdf.line_field(
                f"{champ.id}-{option.id}-commentaire", f"Commentaire : {option.label}", MARGIN + label_width, right, y
            )
            y += ROW
        pdf.set_y(y)
        return
    x = MARGIN
    y = _room_at(pdf, y)
    for groupe, options in champ.option_groups:
        if groupe:  # a family of options has a line of its own, after its name
            if x > MARGIN:
                x, y = MARGIN, _room_at(pdf, y + ROW)
            pdf.font(9, bold=True)
            x = pdf.text_at(x, y, groupe + " :") + 2.5
            pdf.font(9)
        for option in options:
            x, y = _flow_option(pdf, champ, option, x, y, indent=4 if groupe else 0)
        if groupe:
            x = right
    pdf.set_y(y + ROW)


def _option_field(pdf: _FormPDF, champ: Champ, option: Option, x: float, y: float) -> None:
    """The field of one box: a radio button of the champ's group, or a checkbox named like its web id."""
    if champ.type == "choix":
        pdf.field("choix", champ.id, f"{champ.label} : {option.label}", x, y + 1.5, BOX, BOX, option.id)
    else:
        pdf.field("case", f"{champ.id}-{option.id}", option.label, x, y + 1.5, BOX, BOX)


def _flow_option(pdf: _FormPDF, champ: Champ, option: Option, x: float, y: float, indent: float) -> tuple[float, float]:
    """Place one box and its label after x, on the next line when it does not fit; return the next x, y."""
    right = MARGIN + pdf.content_width
    needed = BOX + 1.2 + pdf.get_string_width(option.label) + (45 if option.precision else 0)
    if x > MARGIN and x + needed > right:
        x, y = MARGIN + indent, _room_at(pdf, y + ROW)
    if x + needed > right:  # longer than a line: the label wraps beside its box
        return _long_option(pdf, champ, option, x, y)
    _option_field(pdf, champ, option, x, y)
    end = pdf.option(x, y, option.label, champ.type == "choix")
    if option.precision:
        end = pdf.text_at(end + 3, y, option.precision + " :")
        pdf.line_field(f"{champ.id}-{option.id}-precision", option.precision, end + 1.5, right, y)
        return right, y  # the line takes the rest of the row: the next option goes below
    return end + 5, y


def _long_option(pdf: _FormPDF, champ: Champ, option: Option, x: float, y: float) -> tuple[float, float]:
    """An option whose label takes more than one line: the box, then the label wrapped beside it."""
    _option_field(pdf, champ, option, x, y)
    pdf.box(x, y, champ.type == "choix")
    pdf.set_xy(x + BOX + 1.2, y + ROW - 5.5)
    pdf.multi_cell(MARGIN + pdf.content_width - pdf.get_x(), 4, option.label, align="L", new_x="LMARGIN", new_y="NEXT")
    return MARGIN + pdf.content_width, pdf.get_y() - ROW + 1.5


def _room_at(pdf: _FormPDF, y: float) -> float:
    pdf.set_y(y)
    pdf.room(ROW)
    return pdf.get_y()


def _signatures(pdf: _FormPDF, champ: Champ) -> None:
    height = SIGNATURE_HEIGHT
    pdf.room(height + 2)
    y = pdf.get_y() + 1.5
    count = len(champ.signataires)
    width = (pdf.content_width - GAP * (count - 1)) / count
    for index, signataire in enumerate(champ.signataires, start=1):
        x = MARGIN + (index - 1) * (width + GAP)
        pdf.set_line_width(0.3)
        pdf.rect(x, y, width, height)
        pdf.font(9, bold=True)
        pdf.text_at(x + 2, y - 0.5, signataire)
        pdf.font(9)
        end = pdf.text_at(x + 2, y + ROW - 1, "Date :")
        pdf.line_field(
            f"{champ.id}-{index}-date", f"Date de signature : {signataire}", end + 1.5, x + width - 3, y + ROW - 1
        )
        pdf.font(8, grey=True)
        pdf.text_at(x + 2, y + 2 * ROW - 1, "Signature")
    pdf.set_y(y + height + 1)
