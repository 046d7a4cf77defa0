"""The site's « donnees/ » folder: the open data files, the page that describes them and the quality page."""

from __future__ import annotations

from collections.abc import Iterator

from data_inclusion.schema import v1 as di

from generator.opendata.export import (
    FORMATS,
    LICENCE,
    LICENCE_URL,
    Exported,
    di_id,
    export_files,
    lost_freins,
    official_problems,
)
from generator.opendata.quality import CRITERIA, LOW_SCORE, assess_all, percent, quality_csv
from generator.records.catalog import Catalog
from generator.records.models import Service, Structure
from generator.referentiels import frein_labels
from generator.site.page import Page, SiteSettings
from generator.site.render import PageWriter

QUALITY_FILE = "donnees/qualite.csv"  # the quality page's table in full
FILES = {
    "structures.json": ("JSON", "Structures au format data·inclusion v1 (liste d'objets)."),
    "services.json": ("JSON", "Services au format data·inclusion v1 (liste d'objets)."),
    "structures.csv": ("CSV", "Les mêmes structures, une ligne par structure, colonnes du schéma data·inclusion."),
    "services.csv": ("CSV", "Les mêmes services, une ligne par service, colonnes du schéma data·inclusion."),
    "annuaire.json": (
        "JSON",
        "Format propre à l'annuaire, plus riche : freins, bassins, partenaires, "
        "sigles, périodicité, description en Markdown, territoires et référentiel des freins.",
    ),
    "annuaire.geojson": ("GeoJSON", "Structures et services qui ont des coordonnées, en points (carte)."),
}


def _summary(description: str | None) -> str:
    """The first paragraph of an official field description."""
    return (description or "").split("\n\n")[0].strip()


# Official fields without a description of their own, said in our words.
_NOTES = {
    "contact_nom_prenom": "Nom et prénom d'une personne à contacter : jamais renseigné ici (aucune donnée personnelle).",
    "code_postal": "Code postal (5 chiffres).",
    "code_insee": "Code officiel géographique (INSEE) de la commune.",
    "modes_accueil": "Modes d'accueil : en présentiel, à distance.",
}


def _fields(model, ours=None) -> list[tuple[str, str]]:
    """Each field and the first paragraph of its description (the official one, else ours)."""
    rows = []
    for name, info in model.model_fields.items():
        fallback = _NOTES.get(name) or (
            ours.model_fields[name].description if ours and name in ours.model_fields else None
        )
        rows.append((name, _summary(info.description or fallback)))
    return rows


def open_data_pages(catalog: Catalog, settings: SiteSettings) -> Iterator[Page]:
    exported = Exported(catalog)
    for name, content in export_files(catalog, exported=exported).items():
        yield Page(f"donnees/{name}", content)
    writer = PageWriter(catalog, settings)
    yield writer.page(
        "donnees/index.md",
        "donnees.md.j2",
        "Données ouvertes",
        hide=("navigation",),
        description="Les fiches de l'annuaire en données ouvertes, au format data·inclusion et en CSV, sous Licence Ouverte 2.0.",
        files=FILES,
        formats=FORMATS,
        licence=LICENCE,
        licence_url=LICENCE_URL,
        structure_fields=_fields(di.Structure, Structure),
        service_fields=_fields(di.Service, Service),
        own_structure_fields=_fields(Structure),
        own_service_fields=_fields(Service),
        example_id=_example_id(catalog),
    )
    qualities = assess_all(catalog)
    yield Page(QUALITY_FILE, quality_csv(qualities))
    mean = sum(q.score for q in qualities) / len(qualities) if qualities else None
    yield writer.page(
        "donnees/qualite.md",
        "qualite.md.j2",
        "Qualité des données",
        search=False,
        hide=("navigation",),
        qualities=qualities,
        mean=mean,
        low_score=LOW_SCORE,
        criteria=CRITERIA,
        percent=percent,
        low=[q for q in qualities if q.score < LOW_SCORE],
        lost=[(s, lost) for s in sorted(catalog.services.values(), key=lambda s: s.id) if (lost := lost_freins(s))],
        refused=sorted(official_problems(catalog, exported), key=lambda p: (p[0].kind, p[0].id)),
        frein_labels=frein_labels(),
    )


def _example_id(catalog: Catalog) -> str:
    """An `id` of the data·inclusion files made of this territory's own records (the first structure's)."""
    structure = min(catalog.structures.values(), key=lambda s: s.id, default=None)
    return di_id(structure.territoire, structure.id) if structure else di_id("territoire", "structure")
