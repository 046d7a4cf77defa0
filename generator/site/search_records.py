"""The search's records made from the catalog: one small HTML document per service and per structure.

Records are made from the catalog, not the built fiches, so the search does not depend on how (or by which
engine) the fiches are rendered. Weights rank a match in the name above one in the structure, the commune,
the description and, lowest, the everyday words of the service's freins (referentiels/mots_courants.yml).

Services carry the filters of the `annuaire/` page (frein, bassin, public, commune). Structures and pages go
into an index of their own (search.py), their `type` meta naming what a result is (recherche.js).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape

from data_inclusion.schema import v1 as di

from generator.records.catalog import Catalog
from generator.referentiels import frein_labels, mots_courants
from generator.site.render import Directory
from generator.site.richtext import plain_text

# « l'hébergement », « d'enfant » index and match as « hébergement », « enfant »: the elided article is no word.
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)

WEIGHT_NAME = 10
WEIGHT_STRUCTURE = 6
WEIGHT_COMMUNE = 4
WEIGHT_FREINS = 2
WEIGHT_WORDS = 0.5  # everyday words: they find the service, they do not outrank a service that names the thing
WEIGHT_SERVICES = 2  # a structure's services: « SPIP » names the structure, « logement » one of its services

SUMMARY_LENGTH = 160  # characters of a structure's description shown in a result

# The `type` meta of the records that are not services (recherche.js labels them « Structure », « Page »).
TYPE_STRUCTURE = "structure"
TYPE_PAGE = "page"


@dataclass(frozen=True)
class SearchRecord:
    # The document's file in the folder Pagefind reads, which makes its URL: « accompagnement-global/index.html »
    # is /accompagnement-global/. Services and structures are linked by their `id` meta (recherche.js), so their
    # documents lie flat, « services/cafe-sante.html »: no folder each, creating folders is slow at scale.
    path: str
    html: str


def without_elisions(text: str) -> str:
    return _ELISION.sub("", text)


def sort_key(text: str) -> str:
    """Accent-free lower case, so that « École » sorts among the e."""
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))


def block(text: str | None, weight: float | None = None) -> str:
    if not text:
        return ""
    attribute = f' data-pagefind-weight="{weight}"' if weight is not None else ""
    return f"<p{attribute}>{escape(without_elisions(text))}</p>"


def title(text: str, weight: float = WEIGHT_NAME) -> str:
    return f'<h1 data-pagefind-weight="{weight}">{escape(without_elisions(text))}</h1>'


def tag(kind: str, name: str, value: str) -> str:
    """A hidden meta, filter or sort value of the record (kind: « meta », « filter », « sort »)."""
    return f'<span data-pagefind-{kind}="{name}[data-v]" data-v="{escape(value)}"></span>'


def document(path: str, parts: list[str]) -> SearchRecord:
    html = '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"></head><body>'
    return SearchRecord(path, html + "".join(parts) + "</body></html>")


def service_records(catalog: Catalog, d: Directory | None = None) -> Iterator[SearchRecord]:
    d = d or Directory(catalog)
    labels = frein_labels()
    words = mots_courants()
    for service in d.services:
        structure = catalog.structure_of(service)
        contact = d.contact_of(service)
        frein_ids = [f.value for f in service.freins]
        everyday = words.of(frein_ids, [t.value for t in service.thematiques])
        meta = {
            "title": service.nom,
            "id": service.id,
            "structure": structure.sigle or structure.nom,
            "commune": contact.commune or "",
            "telephone": contact.telephone_affiche or "",
            "telephone_lien": contact.telephone_lien or "",
            "freins": " · ".join(labels[f] for f in frein_ids),
            "horaires_osm": contact.horaires or "",
            "horaires_lieu": d.sun_position(service, contact),
        }
        filters = [("frein", f) for f in frein_ids]
        filters += [("bassin", b.key) for b in d.bassins_of(service)]
        filters += [("public", p.value) for p in service.publics or [di.Public.TOUS_PUBLICS]]
        if contact.commune:  # where it is: a commune typed alone lists those first
            filters.append(("commune", contact.commune))
        parts = [
            title(service.nom),
            block(" ".join(filter(None, [structure.sigle, structure.nom])), WEIGHT_STRUCTURE),
            block(contact.commune, WEIGHT_COMMUNE),
            block(" ".join(labels[f] for f in frein_ids), WEIGHT_FREINS),
            block(service.description),  # its Markdown marks are punctuation to Pagefind: no need to render it
            block(service.publics_precisions),
            block(" · ".join(everyday), WEIGHT_WORDS),
            *(tag("meta", name, value) for name, value in meta.items() if value),
            *(tag("filter", name, value) for name, value in filters),
            tag("sort", "nom", sort_key(service.nom)),
        ]
        yield document(f"services/{service.id}.html", parts)


def summary(text: str, length: int = SUMMARY_LENGTH) -> str:
    """The start of `text`, cut after a word, for a result's line."""
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def structure_records(catalog: Catalog, d: Directory | None = None) -> Iterator[SearchRecord]:
    """One record per structure fiche: its name and sigle, its commune, its description (the start of it shown
    in the results), the names of its services."""
    d = d or Directory(catalog)
    for structure in d.structures:
        commune = structure.commune or ""
        description = plain_text(structure.description)
        meta = {
            "title": structure.nom,
            "id": structure.id,
            "sigle": structure.sigle or "",
            "commune": commune,
            "resume": summary(description),
            "type": TYPE_STRUCTURE,
        }
        parts = [
            title(structure.nom),
            block(structure.sigle, WEIGHT_NAME),
            block(commune, WEIGHT_COMMUNE),
            block(description),
            block(" · ".join(s.nom for s in catalog.services_of(structure.id)), WEIGHT_SERVICES),
            *(tag("meta", name, value) for name, value in meta.items() if value),
        ]
        yield document(f"structures/{structure.id}.html", parts)
