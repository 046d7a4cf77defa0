"""The validated whole: every record loaded, checked alone and against the others, then indexed."""

from __future__ import annotations

import difflib
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from generator.records.diagnostics import Report
from generator.records.french import plural
from generator.records.load import LoadError, load_file, top_level_positions
from generator.records.messages import locate
from generator.records.models import RECORD_KINDS, Record, Service, Structure, Territoire

STALE_AFTER_MONTHS = 12
# The structure a service file names, read from its text when the file is not valid YAML.
_STRUCTURE_LINE = re.compile(r"""^structure:[ \t]*["']?([a-z0-9-]+)["']?[ \t]*(?:#.*)?$""", re.MULTILINE)

Positions = dict[tuple[str | int, ...], tuple[int, int]]


@dataclass
class Source:
    """Where a record came from, for messages and for the « proposer une correction » link."""

    path: str  # as shown to the user
    relative: str  # from the resources folder, e.g. services/cafe-sante.yml
    file: Path | str | None = None  # read again, only when a message needs a position
    _positions: Positions | None = field(default=None, repr=False)

    @property
    def positions(self) -> Positions:
        """Positions of the top-level values and of their list items. Few records need one (cross-record
        errors and warnings), so they are not kept for every record while loading."""
        if self._positions is None:
            try:
                self._positions = top_level_positions(load_file(self.file)) if self.file else {}
            except (LoadError, OSError):  # changed since it was checked
                self._positions = {}
        return self._positions

    def at(self, *loc: str | int) -> tuple[int, int]:
        return self.positions.get(tuple(loc)) or self.positions.get(tuple(loc[:1])) or (1, 1)


@dataclass
class Catalog:
    territoires: dict[str, Territoire] = field(default_factory=dict)
    structures: dict[str, Structure] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    sources: dict[tuple[str, str], Source] = field(default_factory=dict)
    today: date = field(default_factory=date.today)

    def source(self, record: Record) -> Source:
        return self.sources[(record.kind, record.id)]

    # Lookups used by the pages and the exports.
    def structure_of(self, service: Service) -> Structure:
        return self.structures[service.structure]

    def territoire_of(self, record: Structure | Service) -> Territoire:
        structure = self.structure_of(record) if isinstance(record, Service) else record
        return self.territoires[structure.territoire]

    def bassins_of(self, service: Service) -> list[str]:
        """Bassin ids a service serves: its own list, or every bassin of its territory."""
        return service.bassins or [b.id for b in self.territoire_of(service).bassins]

    def services_of(self, structure_id: str) -> list[Service]:
        return self._services_by_structure.get(structure_id, [])

    def months_since_check(self, record: Structure | Service) -> int:
        return months_between(record.date_maj, self.today)

    def is_stale(self, record: Structure | Service) -> bool:
        return self.months_since_check(record) >= STALE_AFTER_MONTHS

    def index(self) -> None:
        by_structure: dict[str, list[Service]] = defaultdict(list)
        for service in sorted(self.services.values(), key=lambda s: s.nom.casefold()):
            by_structure[service.structure].append(service)
        self._services_by_structure = dict(by_structure)

    _services_by_structure: dict[str, list[Service]] = field(default_factory=dict)
    # Files that exist but were refused (folder → file names without .yml), and the structures named by
    # refused service files: their own errors are reported, not a second time through the references.
    _refused: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _claimed_by_refused: set[str] = field(default_factory=set)

    def _refused_file(self, folder: str, record_id: str) -> bool:
        return record_id in self._refused.get(folder, ())


def months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def load_catalog(resources: Path, shown_root: str, report: Report, today: date | None = None) -> Catalog:
    """Read and check every record under `resources`; problems go to `report`."""
    catalog = Catalog(today=today or date.today())
    context = {"today": catalog.today}
    prefix = f"{shown_root.rstrip('/')}/" if shown_root else ""
    for model in RECORD_KINDS:
        folder = resources / model.folder
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as exc:
            report.error(prefix + model.folder, 1, 1, "", f"dossier illisible ({exc.strerror or exc})")
            continue
        for entry in entries:
            name = entry.name
            if name.startswith(".") or entry.is_dir():
                continue
            relative = f"{model.folder}/{name}"
            shown = prefix + relative
            stem, dot, suffix = name.rpartition(".")
            if not dot or suffix != "yml":
                if dot and suffix.lower() in ("yml", "yaml"):
                    report.error(
                        shown,
                        1,
                        1,
                        "",
                        f"extension « .{suffix} » : renommez le fichier en "
                        f"« {stem}.yml » pour qu'il soit pris en compte",
                    )
                continue
            report.files_checked += 1
            path = os.path.join(folder, name)  # a str: a Path per file costs more than it helps here
            try:
                stored = _load_record(model, path, stem, shown, relative, catalog, report, context)
            except Exception as exc:  # a bug of ours must not hide the other files' problems, nor print a traceback
                report.error(
                    shown,
                    1,
                    1,
                    "",
                    f"erreur interne en vérifiant cette fiche ({type(exc).__name__}) : "
                    "merci de signaler ce problème avec le fichier",
                )
                stored = False
            if not stored:
                catalog._refused[model.folder].add(stem)
    _check_references(catalog, report)
    catalog.index()
    return catalog


def _load_record(
    model: type[Record],
    path: str,
    stem: str,
    shown: str,
    relative: str,
    catalog: Catalog,
    report: Report,
    context: dict,
) -> bool:
    """Check one file; store its record and return True if it is valid."""
    try:
        doc = load_file(path, shown)
    except LoadError as exc:
        report.error(shown, exc.line, exc.col, exc.field, exc.message)
        if model is Service and (claimed := _claimed_structure(path)):
            catalog._claimed_by_refused.add(claimed)
        return False
    except OSError as exc:
        report.error(shown, 1, 1, "", f"fichier illisible ({exc.strerror or exc})")
        return False
    try:
        record = model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            line, col, name, message = locate(doc, error, model)
            report.error(shown, line, col, name, message)
        if model is Service and isinstance(doc.data.get("structure"), str):
            catalog._claimed_by_refused.add(doc.data["structure"])
        return False
    source = Source(shown, relative, path)
    expected_id = stem
    if record.id != expected_id:
        line, col = source.at("id")
        report.error(
            shown, line, col, "id", f"« {record.id} » doit être identique au nom du fichier (« {expected_id} »)"
        )
        if isinstance(record, Service):
            catalog._claimed_by_refused.add(record.structure)
        return False
    store: dict[str, Record] = getattr(catalog, model.folder)
    store[record.id] = record
    catalog.sources[(model.kind, record.id)] = source
    return True


def _claimed_structure(path: str) -> str | None:
    try:
        with open(path, "rb") as file:
            found = _STRUCTURE_LINE.search(file.read().decode("utf-8", "replace"))
    except OSError:
        return None
    return found.group(1) if found else None


def _check_references(catalog: Catalog, report: Report) -> None:
    for territoire in catalog.territoires.values():
        _check_territoire(catalog, territoire, report)
    services_per_structure: dict[str, int] = defaultdict(int)
    for service in catalog.services.values():
        services_per_structure[service.structure] += 1
        _check_service(catalog, service, report)
    for structure in catalog.structures.values():
        source = catalog.source(structure)
        if structure.territoire in catalog.territoires:
            _warn_postcode(catalog, structure, catalog.territoires[structure.territoire], report)
        elif not catalog._refused_file("territoires", structure.territoire):
            line, col = source.at("territoire")
            report.error(
                source.path, line, col, "territoire", _unknown("territoire", structure.territoire, catalog.territoires)
            )
        if not services_per_structure.get(structure.id) and structure.id not in catalog._claimed_by_refused:
            report.warning(source.path, 1, 1, "", "aucun service ne se rattache à cette structure")
        _warn_stale(catalog, structure, report)


def _check_territoire(catalog: Catalog, territoire: Territoire, report: Report) -> None:
    source = catalog.source(territoire)
    seen: set[str] = set()
    for index, bassin in enumerate(territoire.bassins):
        if bassin.id in seen:
            line, col = source.at("bassins", index)
            report.error(
                source.path, line, col, f"bassins[{index}].id", f"bassin « {bassin.id} » déjà défini dans ce territoire"
            )
        seen.add(bassin.id)


def _check_service(catalog: Catalog, service: Service, report: Report) -> None:
    source = catalog.source(service)
    structure = catalog.structures.get(service.structure)
    if structure is None and not catalog._refused_file("structures", service.structure):
        line, col = source.at("structure")
        report.error(source.path, line, col, "structure", _unknown("structure", service.structure, catalog.structures))
    for index, partner in enumerate(service.partenaires):
        if partner not in catalog.structures and not catalog._refused_file("structures", partner):
            line, col = source.at("partenaires", index)
            report.error(source.path, line, col, "partenaires", _unknown("structure", partner, catalog.structures))
    territoire = catalog.territoires.get(structure.territoire) if structure else None
    if territoire is not None:
        known = {b.id: b for b in territoire.bassins}
        for index, bassin in enumerate(service.bassins):
            if bassin not in known:
                line, col = source.at("bassins", index)
                report.error(
                    source.path,
                    line,
                    col,
                    "bassins",
                    _unknown("bassin", bassin, known, f" dans le territoire « {territoire.id} »"),
                )
        _warn_postcode(catalog, service, territoire, report)
    _warn_stale(catalog, service, report)


def _unknown(what: str, value: str, known, where: str = "") -> str:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    hint = f" : vouliez-vous dire « {close[0]} » ?" if close else ""
    return f"{what} « {value} » introuvable{where}{hint}"


def _departement_of_postcode(code_postal: str) -> str:
    if code_postal.startswith("97") or code_postal.startswith("98"):
        return code_postal[:3]
    if code_postal.startswith("20"):  # Corse: 20xxx for both 2A and 2B
        return "2A" if int(code_postal) < 20200 else "2B"
    return code_postal[:2]


def _warn_postcode(catalog: Catalog, record: Structure | Service, territoire: Territoire, report: Report) -> None:
    if record.code_postal and _departement_of_postcode(record.code_postal) != territoire.departement:
        source = catalog.source(record)
        line, col = source.at("code_postal")
        report.warning(
            source.path,
            line,
            col,
            "code_postal",
            f"« {record.code_postal} » est hors du département {territoire.departement} du territoire « {territoire.id} »",
        )


def _warn_stale(catalog: Catalog, record: Structure | Service, report: Report) -> None:
    months = catalog.months_since_check(record)
    if months >= STALE_AFTER_MONTHS:
        source = catalog.source(record)
        line, col = source.at("date_maj")
        report.warning(source.path, line, col, "date_maj", f"fiche non vérifiée depuis {months} mois")


def count_records(catalog: Catalog) -> str:
    services, structures = len(catalog.services), len(catalog.structures)
    return f"{plural(services, 'service')}, {plural(structures, 'structure')}"
