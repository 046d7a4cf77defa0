"""The catalog as open data: data·inclusion v1 objects, their CSV, our richer JSON and a GeoJSON map layer.

Pure functions: they read the validated catalog and return text; the site (`opendata`) and the
command `annuaire export` decide where it goes.

Mapping decisions (also explained to readers on the page « donnees/ »):
- a record written locally has the territory's id as `source` and `<source>--<record id>` as `id`, as
  data·inclusion's model describes it (« combinaison de l'identifiant producteur et de l'identifiant de la
  structure »); an imported record keeps the `source`, `id` and `lien_source` it was published with, so
  that the référentiel recognises its own records; `structure_id` is the structure's exported `id`.
- `thematiques` are the record's own; freins have no field in the v1 service model (which has no
  category field): they live in our JSON only, nothing is invented from them.
- A service's address, contact and hours are its own or else its structure's, filled in.
- `zone_eligibilite` is the service's own, as imported; else the INSEE codes of the communes of its
  bassins, or the département code when the service covers the whole territory.
- `lien_mobilisation` is the service's own; else its web site when it says it is mobilised online.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from functools import cached_property, lru_cache
from html.parser import HTMLParser
from typing import Any

from data_inclusion.schema import v1 as di
from pydantic import BaseModel, ValidationError

from generator.records.catalog import Catalog
from generator.records.fields import telephone_e164
from generator.records.models import ADDRESS_FIELDS, Service, Structure, place_of
from generator.referentiels import freins
from generator.site.richtext import markdown_to_html

LICENCE = "Licence Ouverte 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"

# Which files each `annuaire export --format` writes; the site publishes them all.
FORMATS: dict[str, tuple[str, ...]] = {
    "data-inclusion": ("structures.json", "services.json"),
    "csv": ("structures.csv", "services.csv"),
    "json": ("annuaire.json", "annuaire.geojson"),
}

MOBILISATION_LINK = di.ModeMobilisation.UTILISER_LIEN_MOBILISATION


def di_id(source: str, record_id: str) -> str:
    return f"{source}--{record_id}"


def source_of(catalog: Catalog, record: Structure | Service) -> str:
    return record.source or catalog.territoire_of(record).id


def exported_id(catalog: Catalog, record: Structure | Service) -> str:
    """The id the référentiel knows the record by: its original one, or ours under the territory's source."""
    return record.id_source or di_id(catalog.territoire_of(record).id, record.id)


def e164(telephone: str | None) -> str | None:
    """E.164 (« +33471454647 ») for a valid number; short numbers (« 115 ») as typed."""
    return telephone_e164(telephone) if telephone is not None else None


class _TextWriter(HTMLParser):
    """Plain text from the sanitised HTML of a description: paragraphs, « - » items, links with their address."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = ""
        self.current = ""
        self.lists: list[list] = []  # per open list: [is ordered, next number]
        self.joiner = "\n\n"  # what goes before the next block: a blank line, or a newline between items
        self.href: str | None = None
        self.link_text = ""

    def _flush(self) -> None:
        if self.current.strip():
            indent = "  " * (len(self.lists) - 1) if self.lists else ""
            self.out += (self.joiner if self.out else "") + indent + self.current.strip()
            self.joiner = "\n" if self.lists else "\n\n"
        self.current = ""

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self._flush()
            if not self.lists:
                self.joiner = "\n\n"
            self.lists.append([tag == "ol", 1])
        elif tag == "li":
            self._flush()
            current = self.lists[-1] if self.lists else [False, 1]
            self.current = f"{current[1]}. " if current[0] else "- "
            current[1] += 1
        elif tag == "br":
            self.current += "\n"
        elif tag == "a":
            self.href, self.link_text = dict(attrs).get("href"), ""

    def handle_endtag(self, tag):
        if tag in ("p", "li", "h3", "h4", "h5", "h6"):
            self._flush()
        elif tag in ("ul", "ol"):
            self._flush()
            self.lists.pop()
            if not self.lists:
                self.joiner = "\n\n"
        elif tag == "a" and self.href:
            target = self.href.split(":", 1)[1] if self.href.startswith(("mailto:", "tel:")) else self.href
            if target != self.link_text.strip():
                self.current += f" ({target})"
            self.href = None

    def handle_data(self, data):
        data = data.replace("\n", " ")  # a soft line break of the source is a space
        self.current += data
        if self.href:
            self.link_text += data

    def text(self) -> str:
        self._flush()
        return self.out


@lru_cache(maxsize=20_000)  # the export, the schema check and the quality score all read each description
def description_text(markdown: str) -> str:
    """A description's Markdown subset as plain text, keeping paragraphs and list items."""
    writer = _TextWriter()
    writer.feed(markdown_to_html(markdown))
    writer.close()
    return writer.text()


def _values(items: Iterable) -> list[str] | None:
    """data·inclusion's sets as sorted lists; an empty list is no value (the schema asks for at least one)."""
    values = sorted(item.value for item in items)
    return values or None


def zone_eligibilite(catalog: Catalog, service: Service) -> list[str]:
    territoire = catalog.territoire_of(service)
    if service.zone_eligibilite:
        return list(service.zone_eligibilite)
    if not service.bassins:
        return [territoire.departement]
    communes = {code for bassin in territoire.bassins if bassin.id in service.bassins for code in bassin.communes}
    return sorted(communes)


def structure_object(catalog: Catalog, structure: Structure) -> dict[str, Any]:
    values = {
        "source": source_of(catalog, structure),
        "id": exported_id(catalog, structure),
        "lien_source": structure.lien_source,
        "nom": structure.nom,
        "date_maj": structure.date_maj.isoformat(),
        "description": description_text(structure.description),
        "siret": structure.siret,
        **{name: getattr(structure, name) for name in ADDRESS_FIELDS},
        "telephone": e164(structure.telephone),
        "courriel": structure.courriel,
        "site_web": structure.site_web,
        "horaires_accueil": structure.horaires_accueil,
        "accessibilite_lieu": structure.accessibilite_lieu,
    }
    return {name: values.get(name) for name in di.Structure.model_fields}


def service_object(catalog: Catalog, service: Service) -> dict[str, Any]:
    structure = catalog.structure_of(service)
    place = place_of(service, structure)
    values = {
        "source": source_of(catalog, service),
        "structure_id": exported_id(catalog, structure),
        "id": exported_id(catalog, service),
        "lien_source": service.lien_source,
        "nom": service.nom,
        "description": description_text(service.description),
        "date_maj": service.date_maj.isoformat(),
        "type": service.type.value if service.type else None,
        "thematiques": _values(service.thematiques),
        "frais": service.frais.value if service.frais else None,
        "frais_precisions": service.frais_precisions,
        "publics": _values(service.publics),
        "publics_precisions": service.publics_precisions,
        "conditions_acces": service.conditions_acces,
        **{name: place[name] for name in ADDRESS_FIELDS},
        "telephone": e164(place["telephone"]),
        "courriel": place["courriel"],
        "modes_accueil": _values(service.modes_accueil),
        "zone_eligibilite": zone_eligibilite(catalog, service),
        # The v1 service has no web site field: a site is its mobilisation link when the service says so.
        "lien_mobilisation": service.lien_mobilisation
        or (place["site_web"] if MOBILISATION_LINK in service.modes_mobilisation else None),
        "modes_mobilisation": _values(service.modes_mobilisation),
        "mobilisable_par": _values(service.mobilisable_par),
        "mobilisation_precisions": service.mobilisation_precisions,
        "horaires_accueil": place["horaires_accueil"],
    }
    return {name: values.get(name) for name in di.Service.model_fields}


class Exported:
    """The data·inclusion objects of a catalog's records, sorted by id, each made once for every file and the
    official schema's check (at ten thousand services, making them twice cost a second)."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    @cached_property
    def structure_records(self) -> list[tuple[Structure, dict[str, Any]]]:
        records = sorted(self.catalog.structures.values(), key=lambda s: s.id)
        return [(s, structure_object(self.catalog, s)) for s in records]

    @cached_property
    def service_records(self) -> list[tuple[Service, dict[str, Any]]]:
        records = sorted(self.catalog.services.values(), key=lambda s: s.id)
        return [(s, service_object(self.catalog, s)) for s in records]

    @property
    def structures(self) -> list[dict[str, Any]]:
        return [values for _, values in self.structure_records]

    @property
    def services(self) -> list[dict[str, Any]]:
        return [values for _, values in self.service_records]


def official_problems(catalog: Catalog, exported: Exported | None = None) -> list[tuple[Structure | Service, str]]:
    """Records whose exported object the official model refuses or warns about, with the verdict and reason in French.

    The schema's own severity is kept: an `avertissement` (a name ending with a full stop…) is not a refusal.
    """
    exported = exported or Exported(catalog)
    problems: list[tuple[Structure | Service, str]] = []
    checks: list[tuple[Structure | Service, dict[str, Any], type[BaseModel]]] = [
        (s, values, di.Structure) for s, values in exported.structure_records
    ]
    checks += [(s, values, di.Service) for s, values in exported.service_records]
    for record, values, model in checks:
        try:
            model.model_validate(values, context={"ignore_warnings": False})
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            verdict = (
                "avertissement du schéma officiel"
                if all(e["type"] == "avertissement" for e in errors)
                else "refusé par le schéma officiel"
            )
            reasons = "; ".join(f"{'.'.join(map(str, e['loc']))} : {e['msg']}" for e in errors)
            problems.append((record, f"{verdict} : {reasons}"))
    return problems


def lost_freins(service: Service) -> list[str]:
    """Freins of a service that its thématiques do not carry into data·inclusion (no thématique of their category)."""
    categories = {thematique.value.split("--")[0] for thematique in service.thematiques}
    by_id = {frein.id: frein for frein in freins()}
    return [f.value for f in service.freins if by_id[f.value].data_inclusion not in categories]


# A spreadsheet runs a cell starting with one of these as a formula (OWASP « CSV injection »).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def csv_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: a leading apostrophe before a formula start.

    Plain numbers (a longitude « -1.55 », a phone number « +33471454647 ») run nothing and stay as they are.
    """
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return csv_safe(",".join(value))  # codes and vocabulary values never contain a comma
    return csv_safe(str(value))


def to_csv(objects: list[dict[str, Any]], model: type[BaseModel]) -> str:
    """One row per object, the official model's fields as columns; lists joined by commas; no formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = list(model.model_fields)
    writer.writerow(columns)
    for values in objects:
        writer.writerow([_cell(values.get(name)) for name in columns])
    return buffer.getvalue()


def annuaire_json(catalog: Catalog) -> dict[str, Any]:
    """Our own format: every field of the records, freins, bassins and partners included."""
    structures, services = [], []
    for structure in sorted(catalog.structures.values(), key=lambda s: s.id):
        structures.append(
            {
                **structure.model_dump(mode="json"),
                "data_inclusion_id": exported_id(catalog, structure),
            }
        )
    for service in sorted(catalog.services.values(), key=lambda s: s.id):
        services.append(
            {
                **service.model_dump(mode="json"),
                "data_inclusion_id": exported_id(catalog, service),
                "bassins_desservis": catalog.bassins_of(service),
                "zone_eligibilite": zone_eligibilite(catalog, service),
            }
        )
    return {
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "date_export": catalog.today.isoformat(),
        "freins": [
            {"id": f.id, "label": f.label, "data_inclusion": f.data_inclusion, "diagnostic": f.diagnostic}
            for f in freins()
        ],
        "territoires": [t.model_dump(mode="json") for t in sorted(catalog.territoires.values(), key=lambda t: t.id)],
        "structures": structures,
        "services": services,
    }


def geojson(catalog: Catalog) -> dict[str, Any]:
    """Structures and services that have coordinates, as GeoJSON points (longitude first)."""
    features = []
    for structure in sorted(catalog.structures.values(), key=lambda s: s.id):
        if structure.latitude is not None and structure.longitude is not None:
            features.append(
                _point(
                    structure.longitude,
                    structure.latitude,
                    {
                        "fiche": "structure",
                        "id": structure.id,
                        "nom": structure.nom,
                        "sigle": structure.sigle,
                        "commune": structure.commune,
                        "telephone": structure.telephone,
                        "territoire": structure.territoire,
                    },
                )
            )
    for service in sorted(catalog.services.values(), key=lambda s: s.id):
        place = place_of(service, catalog.structure_of(service))
        if place["latitude"] is not None:
            features.append(
                _point(
                    place["longitude"],
                    place["latitude"],
                    {
                        "fiche": "service",
                        "id": service.id,
                        "nom": service.nom,
                        "structure": service.structure,
                        "commune": place["commune"],
                        "telephone": place["telephone"],
                        "freins": [f.value for f in service.freins],
                        "bassins": catalog.bassins_of(service),
                    },
                )
            )
    return {"type": "FeatureCollection", "features": features}


def _point(longitude: float, latitude: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
        "properties": properties,
    }


def _json(data: Any) -> str:
    """One object per line (readable, diff-friendly, and written by json's fast C encoder, which indenting is not)."""

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    def block(value: Any) -> str:
        if isinstance(value, list) and value:
            return "[\n" + ",\n".join(dumps(item) for item in value) + "\n]"
        return dumps(value)

    if isinstance(data, dict):
        return "{\n" + ",\n".join(f"{dumps(key)}: {block(value)}" for key, value in data.items()) + "\n}\n"
    return block(data) + "\n"


def export_files(
    catalog: Catalog, formats: Iterable[str] = tuple(FORMATS), exported: Exported | None = None
) -> dict[str, str]:
    """File name → content, for the chosen formats."""
    wanted = {name for fmt in formats for name in FORMATS[fmt]}
    exported = exported or Exported(catalog)
    makers = {
        "structures.json": lambda: _json(exported.structures),
        "services.json": lambda: _json(exported.services),
        "structures.csv": lambda: to_csv(exported.structures, di.Structure),
        "services.csv": lambda: to_csv(exported.services, di.Service),
        "annuaire.json": lambda: _json(annuaire_json(catalog)),
        "annuaire.geojson": lambda: _json(geojson(catalog)),
    }
    return {name: make() for name, make in makers.items() if name in wanted}
