"""Each annex form as a blank A4 PDF, drawn with fpdf2 from the same data as its web page.

Lines to write on, boxes to tick, frames to sign: what the web page prints when left empty.
The text is set in DejaVu Sans, from Debian's fonts-dejavu-core when the machine has it (a dependency of
fontconfig, so of Chromium); otherwise in the PDF core font Helvetica, whose text is limited to latin-1.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from generator.forms.model import Champ, Formulaire, Option

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
DEJAVU_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}

MARGIN = 14.0  # mm
ROW = 7.5  # height of a line to write on
BOX = 3.2  # side of a tick box
GAP = 4.0  # between fields of a row
GREY = (90, 90, 90)
WIDTHS = {"pleine": 1.0, "demi": 0.5, "tiers": 1 / 3}
ONE_LINE = {"texte", "date", "telephone", "courriel", "structure", "bassin", "oui-non"}

# Typographic characters outside latin-1, for the core-font fallback.
LATIN1 = str.maketrans(
    {"œ": "oe", "Œ": "OE", "’": "'", "…": "...", "—": "-", "–": "-", "≥": ">=", "≤": "<=", "\u202f": " "}
)


class _FormPDF(FPDF):
    def __init__(self, fonts: Path | None):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.unicode = fonts is not None and all((fonts / name).is_file() for name in DEJAVU_FILES.values())
        if fonts is not None and self.unicode:
            for style, name in DEJAVU_FILES.items():
                self.add_font("DejaVu", style, str(fonts / name))
        self.family = "DejaVu" if self.unicode else "helvetica"

    @property
    def content_width(self) -> float:
        return self.w - 2 * MARGIN

    def t(self, text: str) -> str:
        if self.unicode:
            return text
        return text.translate(LATIN1).encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float, bold: bool = False, grey: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.set_text_color(*(GREY if grey else (0, 0, 0)))

    def room(self, height: float) -> None:
        """Start a new page unless `height` fits below the cursor (a row is never split)."""
        if self.get_y() + height > self.h - MARGIN:
            self.add_page()

    def text_at(self, x: float, y: float, text: str) -> float:
        """Write one line whose baseline sits at the bottom of a ROW starting at y; return its end x."""
        self.set_xy(x, y + ROW - 5.5)
        self.cell(text=self.t(text))
        return self.get_x()

    def rule(self, x1: float, x2: float, y: float) -> None:
        self.set_draw_color(0, 0, 0)
        self.set_line_width(0.2)
        if x2 - x1 > 2:
            self.line(x1, y + ROW - 1.6, x2, y + ROW - 1.6)

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
        self.multi_cell(self.content_width, size * 0.45, self.t(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(after)


def form_pdf(form: Formulaire, fonts: Path | None = DEJAVU) -> bytes:
    """The blank form, on at most two A4 pages."""
    pdf = _FormPDF(fonts)
    pdf.set_title(pdf.t(form.full_title))
    pdf.set_lang("fr")
    pdf.set_creator("Base de ressources sociales")
    pdf.add_page()
    pdf.paragraph("Accompagnement global — fiche annexe", 8, grey=True, after=0.5)
    pdf.paragraph(form.titre, 15, bold=True, after=0.3)
    pdf.paragraph(form.sous_titre, 11, after=2)
    for section in form.sections:
        pdf.room(7 + ROW)
        pdf.ln(1.5)
        pdf.set_fill_color(228, 232, 242)
        pdf.font(10.5, bold=True)
        pdf.cell(pdf.content_width, 6, pdf.t(section.titre), fill=True, new_x="LMARGIN", new_y="NEXT")
        if section.aide:
            pdf.ln(0.8)
            pdf.paragraph(section.aide, 8, grey=True, after=0)
        _fields(pdf, section.champs)
    return bytes(pdf.output())


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
    """One labelled line (or Oui / Non boxes) in a cell of a row; keeps the cursor's y."""
    pdf.font(9)
    end = pdf.text_at(x, y, champ.label + " :")
    if champ.type == "oui-non":
        end = pdf.option(end + 2, y, "Oui")
        pdf.option(end + 4, y, "Non")
    else:
        pdf.rule(end + 1.5, x + width, y)
    pdf.set_xy(MARGIN, y)


def _block(pdf: _FormPDF, champ: Champ) -> None:
    right = MARGIN + pdf.content_width
    if champ.type == "zone":
        pdf.room(ROW * (champ.lignes + 1))
        y = pdf.get_y()
        pdf.font(9)
        pdf.rule(pdf.text_at(MARGIN, y, champ.label + " :") + 1.5, right, y)
        for line in range(champ.lignes - 1):
            pdf.rule(MARGIN, right, y + ROW * (line + 1))
        pdf.set_y(y + ROW * champ.lignes)
    elif champ.type in ("cases", "choix"):
        _options(pdf, champ)
    elif champ.type == "signatures":
        _signatures(pdf, champ.signataires)
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
        for _ in range(3):
            pdf.room(ROW)
            pdf.rule(MARGIN, right, pdf.get_y())
            pdf.set_y(pdf.get_y() + ROW)


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
        label_width = max(pdf.get_string_width(pdf.t(o.label)) for o in champ.choices) + BOX + 4
        for option in champ.choices:
            y = _room_at(pdf, y)
            pdf.option(MARGIN, y, option.label, round_)
            pdf.rule(MARGIN + label_width, right, y)
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
            x, y = _flow_option(pdf, option, x, y, round_, indent=4 if groupe else 0)
        if groupe:
            x = right
    pdf.set_y(y + ROW)


def _flow_option(pdf: _FormPDF, option: Option, x: float, y: float, round_: bool, indent: float) -> tuple[float, float]:
    """Place one box and its label after x, on the next line when it does not fit; return the next x, y."""
    right = MARGIN + pdf.content_width
    needed = BOX + 1.2 + pdf.get_string_width(pdf.t(option.label)) + (45 if option.precision else 0)
    if x > MARGIN and x + needed > right:
        x, y = MARGIN + indent, _room_at(pdf, y + ROW)
    end = pdf.option(x, y, option.label, round_)
    if option.precision:
        pdf.rule(pdf.text_at(end + 3, y, option.precision + " :") + 1.5, right, y)
        return right, y  # the line takes the rest of the row: the next option goes below
    return end + 5, y


def _room_at(pdf: _FormPDF, y: float) -> float:
    pdf.set_y(y)
    pdf.room(ROW)
    return pdf.get_y()


def _signatures(pdf: _FormPDF, signataires: list[str]) -> None:
    height = 30.0
    pdf.room(height + 2)
    y = pdf.get_y() + 1.5
    width = (pdf.content_width - GAP * (len(signataires) - 1)) / len(signataires)
    for index, signataire in enumerate(signataires):
        x = MARGIN + index * (width + GAP)
        pdf.set_line_width(0.3)
        pdf.rect(x, y, width, height)
        pdf.font(9, bold=True)
        pdf.text_at(x + 2, y - 0.5, signataire)
        pdf.font(9)
        pdf.rule(pdf.text_at(x + 2, y + ROW - 1, "Date :") + 1.5, x + width - 3, y + ROW - 1)
        pdf.font(8, grey=True)
        pdf.text_at(x + 2, y + 2 * ROW - 1, "Signature")
    pdf.set_y(y + height + 1)
