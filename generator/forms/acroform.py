"""Form fields (AcroForm) laid over a drawn PDF, so that the blank form can be filled in any PDF reader.

fpdf2 draws the page but writes no form field; pypdf adds them afterwards, one widget per place that
pdf.py recorded. Text is typed in Helvetica, one of the 14 fonts every PDF reader has (WinAnsi covers
French); tick marks are drawn as paths, so that no font is needed to show them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

PT_PER_MM = 72 / 25.4
CHECKED = "/Yes"  # the usual « on » state of a checkbox
PRINTABLE = 4  # annotation flag: print the field with the page
MULTILINE = 1 << 12
NO_TOGGLE_TO_OFF = 1 << 14
RADIO = 1 << 15
TEXT_APPEARANCE = "/Helv 0 Tf 0 g"  # font size 0: the reader fits the text to the field

# A one-line or multi-line text field, a checkbox, a radio button.
WidgetKind = Literal["texte", "zone", "case", "choix"]


@dataclass(frozen=True)
class Widget:
    """A field's place on a page, in mm from the page's top-left corner, as fpdf2 measures."""

    kind: WidgetKind
    name: str  # the web form's field name (a radio group shares it, a checkbox adds its option)
    label: str  # shown by readers as the field's tooltip, read by screen readers
    page: int  # 0-based
    x: float
    y: float
    width: float
    height: float
    value: str = ""  # a radio button's export value: the web form's option id


def with_fields(drawn: bytes, widgets: list[Widget]) -> bytes:
    """The drawn PDF with a form field at each widget; radio buttons of one name form one group."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(drawn)))
    helvetica = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    fields = ArrayObject()
    groups: dict[str, tuple[IndirectObject, ArrayObject]] = {}  # radio group name: its field, its buttons
    for widget in widgets:
        annotation = _annotation(widget, float(writer.pages[widget.page].mediabox.height))
        if widget.kind != "choix":
            fields.append(writer.add_annotation(widget.page, annotation).indirect_reference)
            continue
        if widget.name not in groups:
            kids = ArrayObject()
            group = writer._add_object(_radio_group(widget.name, kids))
            groups[widget.name] = (group, kids)
            fields.append(group)
        group, kids = groups[widget.name]
        annotation[NameObject("/Parent")] = group
        kids.append(writer.add_annotation(widget.page, annotation).indirect_reference)
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): fields,
            NameObject("/NeedAppearances"): BooleanObject(True),
            NameObject("/DA"): TextStringObject(TEXT_APPEARANCE),
            NameObject("/DR"): DictionaryObject(
                {NameObject("/Font"): DictionaryObject({NameObject("/Helv"): helvetica})}
            ),
        }
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _annotation(widget: Widget, page_height: float) -> DictionaryObject:
    left, top = widget.x * PT_PER_MM, page_height - widget.y * PT_PER_MM
    right, bottom = left + widget.width * PT_PER_MM, top - widget.height * PT_PER_MM
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/Rect"): ArrayObject(FloatObject(round(v, 2)) for v in (left, bottom, right, top)),
            NameObject("/F"): NumberObject(PRINTABLE),
        }
    )
    size = (right - left, top - bottom)
    if widget.kind in ("texte", "zone"):
        annotation.update(
            {
                NameObject("/FT"): NameObject("/Tx"),
                NameObject("/T"): TextStringObject(widget.name),
                NameObject("/TU"): TextStringObject(widget.label),
                NameObject("/DA"): TextStringObject(TEXT_APPEARANCE),
                NameObject("/Ff"): NumberObject(MULTILINE if widget.kind == "zone" else 0),
            }
        )
    elif widget.kind == "case":
        annotation.update(
            {
                NameObject("/FT"): NameObject("/Btn"),
                NameObject("/T"): TextStringObject(widget.name),
                NameObject("/TU"): TextStringObject(widget.label),
                NameObject("/V"): NameObject("/Off"),
                NameObject("/AS"): NameObject("/Off"),
                NameObject("/AP"): _appearances(CHECKED, _cross(*size), size),
            }
        )
    else:
        annotation.update(
            {
                NameObject("/TU"): TextStringObject(widget.label),
                NameObject("/AS"): NameObject("/Off"),
                NameObject("/AP"): _appearances(f"/{widget.value}", _dot(*size), size),
            }
        )
    return annotation


def _radio_group(name: str, kids: ArrayObject) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Btn"),
            NameObject("/T"): TextStringObject(name),
            NameObject("/Ff"): NumberObject(RADIO | NO_TOGGLE_TO_OFF),
            NameObject("/V"): NameObject("/Off"),
            NameObject("/Kids"): kids,
        }
    )


def _appearances(on: str, mark: bytes, size: tuple[float, float]) -> DictionaryObject:
    """The normal appearances of a box: its mark when `on`, nothing when off (the page draws the box)."""
    return DictionaryObject(
        {
            NameObject("/N"): DictionaryObject(
                {NameObject(on): _form_xobject(mark, size), NameObject("/Off"): _form_xobject(b"", size)}
            )
        }
    )


def _form_xobject(content: bytes, size: tuple[float, float]) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(content)
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                [FloatObject(0), FloatObject(0), FloatObject(size[0]), FloatObject(size[1])]
            ),
        }
    )
    return stream


def _cross(width: float, height: float) -> bytes:
    m = min(width, height) * 0.22
    return (
        f"q 0 g 0 G 1.1 w 1 J {m:.2f} {m:.2f} m {width - m:.2f} {height - m:.2f} l "
        f"{m:.2f} {height - m:.2f} m {width - m:.2f} {m:.2f} l S Q"
    ).encode()


def _dot(width: float, height: float) -> bytes:
    """A filled circle in the middle of the box: four Bézier quarters."""
    r, cx, cy = min(width, height) * 0.27, width / 2, height / 2
    k = r * 0.5523
    return (
        f"q 0 g {cx + r:.2f} {cy:.2f} m "
        f"{cx + r:.2f} {cy + k:.2f} {cx + k:.2f} {cy + r:.2f} {cx:.2f} {cy + r:.2f} c "
        f"{cx - k:.2f} {cy + r:.2f} {cx - r:.2f} {cy + k:.2f} {cx - r:.2f} {cy:.2f} c "
        f"{cx - r:.2f} {cy - k:.2f} {cx - k:.2f} {cy - r:.2f} {cx:.2f} {cy - r:.2f} c "
        f"{cx + k:.2f} {cy - r:.2f} {cx + r:.2f} {cy - k:.2f} {cx + r:.2f} {cy:.2f} c f Q"
    ).encode()
