"""The validated whole: every record loaded, checked alone and against the others, then indexed."""

from __future__ import annotations

import functools
import multiprocessing
import os
import re
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from generator.records.diagnostics import Diagnostic, Report
from generator.records.files import UnsafeFile, read_record
from generator.records.french import plural
from generator.records.load import LoadError, load_file, top_level_positions
from generator.records.messages import file_name_problem, locate, said_by_another, value_hint
from generator.records.models import RECORD_KINDS, Record, Service, Structure, Territoire
from generator.records.recovery import recover_bytes
from generator.records.zones import departement_of_postcode, touched_bassins
from generator.referentiels import cog

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


def load_catalog(
    resources: Path, shown_root: str, report: Report, today: date | None = None, checks: FileChecks | None = None
) -> Catalog:
    """Read and check every record under `resources`; problems go to `report`. With `checks` (the preview,
    checking again after each edit), a file unchanged since its last check is not read again."""
    catalog = Catalog(today=today or date.today())
    context = {"today": catalog.today}
    prefix = f"{shown_root.rstrip('/')}/" if shown_root else ""
    files: list[_RecordFile] = []
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
            if name.startswith(".") or _is_folder(entry):
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
            # A str path: a Path per file costs more than it helps here.
            files.append(_RecordFile(model, os.path.join(folder, name), stem, shown, relative))
    for file, checked in zip(files, _check_files(files, context, str(resources), catalog.today, checks), strict=True):
        model = file.model
        report.diagnostics.extend(checked.diagnostics)
        if checked.record is not None:
            getattr(catalog, model.folder)[checked.record.id] = checked.record
            catalog.sources[(model.kind, checked.record.id)] = Source(file.shown, file.relative, file.path)
        else:
            catalog._refused[model.folder].add(file.stem)
            if checked.claimed:
                catalog._claimed_by_refused.add(checked.claimed)
    _check_references(catalog, report)
    catalog.index()
    return catalog


@dataclass(frozen=True)
class _RecordFile:
    model: type[Record]
    path: str
    stem: str
    shown: str
    relative: str


# From this many files on, they are checked on every core (the check is the build's first step, alone on the
# machine): reading and validating 10,000 files takes seconds, sending their records back a tenth of that.
POOL_THRESHOLD = 2_000


def _check_files(
    files: list[_RecordFile], context: dict, resources_root: str, today: date, checks: FileChecks | None
) -> list[CheckedFile]:
    """What checking each of `files` found, in their order."""
    if checks is not None:  # the preview: only the files changed since the last check are read, here
        return [
            checks.checked(f.path, today, functools.partial(_checked_file, f, context, resources_root)) for f in files
        ]
    jobs = os.cpu_count() or 1
    if jobs == 1 or len(files) < POOL_THRESHOLD:
        return _check_chunk(files, context, resources_root)
    size = -(-len(files) // (jobs * 4))  # four chunks per worker: one slow chunk does not hold the others
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    # fork: the workers start at once, with the référentiels already loaded.
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        found = pool.map(_check_chunk, chunks, [context] * len(chunks), [resources_root] * len(chunks))
        return [checked for chunk in found for checked in chunk]


def _check_chunk(files: list[_RecordFile], context: dict, resources_root: str) -> list[CheckedFile]:
    return [_checked_file(f, context, resources_root) for f in files]


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a symlink loop: read_record says so, located
        return False


@dataclass(frozen=True)
class CheckedFile:
    """What checking one file found: its problems, its record when valid, else the structure it names (so that
    the structure is not also said to have no service)."""

    diagnostics: list[Diagnostic]
    record: Record | None = None
    claimed: str | None = None


FileStamp = tuple[int, ...]


class FileChecks:
    """Files checked before, each with what was found, as long as the file and the day are the same."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[FileStamp, CheckedFile]] = {}

    def checked(self, path: str, today: date, check: Callable[[], CheckedFile]) -> CheckedFile:
        """What `check` found in the file the last time, if neither the file nor the day changed since."""
        stamp = self._stamp(path, today)
        kept = self._kept.get(path)
        if stamp is not None and kept is not None and kept[0] == stamp:
            return kept[1]
        found = check()
        if stamp is not None:
            self._kept[path] = (stamp, found)
        return found

    @staticmethod
    def _stamp(path: str, today: date) -> FileStamp | None:
        """Size, dates and inode of the file and of the link that may name it: any write changes one."""
        try:
            link, target = os.lstat(path), os.stat(path)
        except OSError:
            return None
        parts = (link.st_ino, link.st_mtime_ns, target.st_ino, target.st_size, target.st_mtime_ns, target.st_ctime_ns)
        return (*parts, today.toordinal())


def _checked_file(file: _RecordFile, context: dict, resources_root: str) -> CheckedFile:
    """Check one file, finding every problem in it."""
    found = Report()
    shown = file.shown
    try:
        record, claimed = _load_record(file.model, file.path, file.stem, shown, found, context, resources_root)
    except Exception as exc:  # a bug of ours must not hide the other files' problems, nor print a traceback
        found.error(
            shown,
            1,
            1,
            "",
            f"erreur interne en vérifiant cette fiche ({type(exc).__name__}) : "
            "merci de signaler ce problème avec le fichier",
        )
        record, claimed = None, None
    return CheckedFile(found.diagnostics, record, claimed)


def _load_record(
    model: type[Record], path: str, stem: str, shown: str, report: Report, context: dict, resources_root: str
) -> tuple[Record | None, str | None]:
    """The file's record if it is valid, else the structure a refused service names; problems go to `report`."""
    try:
        raw = read_record(path, resources_root)
    except UnsafeFile as exc:
        report.error(shown, 1, 1, "", str(exc))
        return None, None
    recovered = recover_bytes(raw, shown)
    for problem in recovered.problems:
        report.error(shown, problem.line, problem.col, problem.field, problem.message)
    doc = recovered.document
    if doc is None:
        return None, _claimed_structure(path) if model is Service else None
    record = None
    try:
        record = model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        for error in errors:
            if error["type"] == "missing" and error["loc"][0] in recovered.set_aside:
                continue  # its line was reported as unreadable
            if said_by_another(error, errors, model):
                continue
            line, col, name, message = locate(doc, error, model)
            report.error(shown, line, col, name, message)
    if isinstance(typed_id := doc.data.get("id"), str) and (misnamed := file_name_problem(stem, typed_id)):
        line, col = doc.position(("id",))
        report.error(shown, line, col, "id", misnamed)
        record = None
    if record is None or recovered.problems:
        claimed = doc.data.get("structure")
        return None, claimed if model is Service and isinstance(claimed, str) else None
    if record.id in RESERVED_IDS.get(model.folder, ()):
        line, col = doc.position(("id",))
        report.error(
            shown, line, col, "id", f"« {record.id} » est réservé par le site : choisissez un autre identifiant"
        )
        return None, None
    return record, None


def _claimed_structure(path: str) -> str | None:
    try:
        with open(path, "rb") as file:
            found = _STRUCTURE_LINE.search(file.read().decode("utf-8", "replace"))
    except OSError:
        return None
    return found.group(1) if found else None


def _check_references(catalog: Catalog, report: Report) -> None:
    keys: dict[str, tuple[str, str]] = {}
    for territoire in sorted(catalog.territoires.values(), key=lambda t: t.id):
        _check_territoire(catalog, territoire, report, keys)
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
        _warn_gone(catalog, structure, report)


def bassin_key(territoire_id: str, bassin_id: str) -> str:
    """The name of a bassin's pages (« cantal-aurillac »): unique over all territories, checked below."""
    return f"{territoire_id}-{bassin_id}"


# Page names the site uses itself: a record with such an id would be written over them.
RESERVED_IDS = {"structures": {"index"}}


def _check_territoire(
    catalog: Catalog, territoire: Territoire, report: Report, keys: dict[str, tuple[str, str]]
) -> None:
    source = catalog.source(territoire)
    seen: set[str] = set()
    bassin_of_commune: dict[str, str] = {}
    for index, bassin in enumerate(territoire.bassins):
        line, col = source.at("bassins", index)
        if bassin.id in seen:
            report.error(
                source.path, line, col, f"bassins[{index}].id", f"bassin « {bassin.id} » déjà défini dans ce territoire"
            )
        seen.add(bassin.id)
        key = bassin_key(territoire.id, bassin.id)
        other_territoire, other_bassin = keys.setdefault(key, (territoire.id, bassin.id))
        if other_territoire != territoire.id:
            report.error(
                source.path,
                line,
                col,
                f"bassins[{index}].id",
                f"le bassin « {bassin.id} » aurait la même page (bassins/{key}) que le bassin « {other_bassin} » "
                f"du territoire « {other_territoire} » : renommez l'un des deux",
            )
        for commune in bassin.communes:
            first = bassin_of_commune.setdefault(commune, bassin.id)
            if first != bassin.id:
                report.error(
                    source.path,
                    line,
                    col,
                    f"bassins[{index}].communes",
                    f"la commune « {commune} » est déjà dans le bassin « {first} » de ce territoire : "
                    "une commune appartient à un seul bassin",
                )
    _check_communes(source, territoire, report)


def _check_communes(source: Source, territoire: Territoire, report: Report) -> None:
    """Every bassin commune is a current commune of the territoire's département, in the COG."""
    known = cog.communes()
    doc = None
    for index, bassin in enumerate(territoire.bassins):
        for rank, code in enumerate(bassin.communes):
            commune = known.get(code)
            if commune is None:
                message = f"{code} n'existe pas dans le code officiel géographique"
            elif commune.departement != territoire.departement:
                where = cog.departement_de(territoire.departement)
                message = f"{code} ({commune.nom}) n'est pas une commune {where} ({territoire.departement})"
            else:
                continue
            if doc is None:  # positions of nested values: the file is read again, only when there is a problem
                doc = load_file(source.file, source.path) if source.file else None
            line, col = doc.position(("bassins", index, "communes", rank)) if doc else source.at("bassins", index)
            report.error(source.path, line, col, f"bassins[{index}].communes", message)


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
        _warn_zone(catalog, service, territoire, report)
    _warn_stale(catalog, service, report)
    _warn_gone(catalog, service, report)


def _unknown(what: str, value: str, known: dict, where: str = "") -> str:
    """A reference to a record that does not exist, with the close typo or the records it may name."""
    labels = {record_id: getattr(record, "nom", "") for record_id, record in known.items()}
    return f"{what} « {value} » introuvable{where}{value_hint(value, labels, too_many='')}"


def _warn_postcode(catalog: Catalog, record: Structure | Service, territoire: Territoire, report: Report) -> None:
    if record.code_postal and departement_of_postcode(record.code_postal) != territoire.departement:
        source = catalog.source(record)
        line, col = source.at("code_postal")
        report.warning(
            source.path,
            line,
            col,
            "code_postal",
            f"« {record.code_postal} » est hors du département {territoire.departement} du territoire « {territoire.id} »",
        )


def _warn_zone(catalog: Catalog, service: Service, territoire: Territoire, report: Report) -> None:
    """Bassins and zone_eligibilite must point at the same part of the territoire (both are published)."""
    if not service.zone_eligibilite:
        return
    touched = touched_bassins(territoire, service.zone_eligibilite)
    if touched is not None and sorted(touched) != sorted(service.bassins):
        reached = ", ".join(touched) if touched else "tout le territoire"
        _warn_at(
            catalog,
            service,
            "bassins" if service.bassins else "zone_eligibilite",
            "bassins",
            f"la zone d'éligibilité ({', '.join(service.zone_eligibilite)}) touche {reached}, "
            f"les bassins disent {', '.join(service.bassins) or 'tout le territoire'} : accordez-les",
            report,
        )


def _warn_gone(catalog: Catalog, record: Structure | Service, report: Report) -> None:
    if record.absent_de_la_source:
        _warn_at(
            catalog,
            record,
            "absent_de_la_source",
            "absent_de_la_source",
            f"absente de l'export « {record.source} » lors de l'import du {record.absent_de_la_source.isoformat()} : "
            "à revoir (supprimer la fiche, ou retirer ce champ si elle est toujours juste)",
            report,
        )


def _warn_at(catalog: Catalog, record: Record, at: str, name: str, message: str, report: Report) -> None:
    source = catalog.source(record)
    line, col = source.at(at)
    report.warning(source.path, line, col, name, message)


def _warn_stale(catalog: Catalog, record: Structure | Service, report: Report) -> None:
    months = catalog.months_since_check(record)
    if months >= STALE_AFTER_MONTHS:
        source = catalog.source(record)
        line, col = source.at("date_maj")
        report.warning(source.path, line, col, "date_maj", f"fiche non vérifiée depuis {months} mois")


def count_records(catalog: Catalog) -> str:
    services, structures = len(catalog.services), len(catalog.structures)
    return f"{plural(services, 'service')}, {plural(structures, 'structure')}"
