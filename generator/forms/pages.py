"""The annex forms of accompagnement global rendered as fillable pages and blank PDFs."""

from __future__ import annotations

from collections.abc import Iterator

from markupsafe import Markup

from generator.forms.model import formulaires, pdf_name
from generator.forms.pdf import form_pdf
from generator.records.catalog import Catalog
from generator.site.page import Page, SiteSettings
from generator.site.render import PageWriter


def form_pages(catalog: Catalog, settings: SiteSettings) -> Iterator[Page]:
    """fiches/index.md, one fillable page per form, and each blank form as a PDF."""
    writer = PageWriter(catalog, settings)
    forms = formulaires()
    yield writer.page(
        "fiches/index.md", "fiches/index.md.j2", "Fiches à imprimer", hide=("toc",), forms=forms, pdf_name=pdf_name
    )
    for form in forms:
        yield writer.page(
            f"fiches/{form.id}.md",
            "fiches/formulaire.md.j2",
            form.full_title,
            hide=("navigation", "toc"),
            description=form.resume,
            form=form,
            pdf=pdf_name(form),
            running_title=css_string(f"Accompagnement global — {form.full_title}"),
        )
        yield Page(f"fiches/{pdf_name(form)}", form_pdf(form))


def css_string(text: str) -> Markup:
    """`text` as a quoted CSS string, safe inside a <style> element (where HTML escapes are not read)."""
    escaped = "".join(f"\\{ord(char):x} " if char in '\\"<>\n' else char for char in text)
    return Markup(f'"{escaped}"')
