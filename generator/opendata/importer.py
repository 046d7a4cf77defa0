"""`annuaire import data-inclusion`: structures and services of a data·inclusion export become records.

Each row is read through the official model (`data_inclusion.schema.v1`), then through ours; a value
that either refuses is reported with its row and left out, and a row without a valid required value is skipped.
What is written goes through the project's own loader and models first, so `annuaire check` accepts it.

Decisions:
- thématiques give the freins through the référentiel's `data_inclusion` categories; a service none
  of whose thématiques maps to a frein is reported and skipped: the base lists services that lift a
  frein périphérique, and a guessed frein would send advisers to the wrong place;
- an id is the data·inclusion id without its `<source>--` prefix when that is already a kebab-case word
  (as our own export writes them), else the name in kebab-case; a number makes it unique;
- a structure with the SIRET, or the normalised name and commune, of one already known is a duplicate,
  and a service with the name and commune of one of the same structure: reported, never written;
  the services of a duplicate structure attach to the record already there;
- a service's address, contact and hours are only written where they differ from its structure's
  (the export fills them in from the structure);
- `contact_nom_prenom` (personal data), `lien_source`, `reseaux_porteurs`, `volume_horaire_hebdomadaire`
  and `nombre_semaines` have no field here and are left out.
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar, get_args, get_origin

from data_inclusion.schema import v1 as di
from pydantic import BaseModel, ValidationError

from generator.opendata.export import e164
from generator.records.catalog import Catalog
from generator.records.fields import KEBAB_CASE, format_telephone
from generator.records.french import plural
from generator.records.load import LoadError, load_bytes
from generator.records.models import ADDRESS_FIELDS, Service, Structure, Territoire, field_order, place_of
from generator.referentiels import freins

PLACEHOLDER_DESCRIPTION = "Description à rédiger : la source data·inclusion n'en donnait pas."
# Written between double quotes whatever they contain: YAML would read some of them as numbers or dates.
QUOTED = {"code_postal", "code_insee", "telephone", "siret", "horaires_accueil"}
# Values that only make sense together: refusing one leaves the other out too.
WIDTH = 100  # description lines are wrapped at this width, as a person would type them
_TOGETHER = {"latitude": ("latitude", "longitude"), "longitude": ("latitude", "longitude")}


class UnreadableExport(Exception):
    """The file cannot be read as a data·inclusion export: nothing is imported."""


@dataclass
class Row:
    where: str  # « services.csv:5 » or « services.json[3] »
    data: dict[str, Any]


@dataclass
class Written:
    path: Path
    flags: list[str]


@dataclass
class ImportResult:
    problems: list[str] = field(default_factory=list)
    written: list[Written] = field(default_factory=list)
    duplicates: int = 0
    skipped: int = 0
    without_frein: int = 0

    def problem(self, where: str, severity: str, name: str, message: str) -> None:
        self.problems.append(f"{where}: {severity}: {name + ': ' if name else ''}{message}")

    def lines(self) -> list[str]:
        """Every problem, then each file written with what to check, then the summary."""
        lines = list(self.problems)
        for written in self.written:
            flags = f" ; à vérifier : {' ; '.join(written.flags)}" if written.flags else ""
            lines.append(f"écrit : {written.path} (à relire{flags})")
        structures = sum(1 for w in self.written if w.path.parent.name == "structures")
        services = len(self.written) - structures
        lines.append(
            f"Import terminé : {plural(structures, 'structure écrite', 'structures écrites')}, "
            f"{plural(services, 'service écrit', 'services écrits')}, à relire ; "
            f"{plural(self.duplicates, 'doublon non importé', 'doublons non importés')}, "
            f"{plural(self.without_frein, 'service sans frein ignoré', 'services sans frein ignorés')}, "
            f"{plural(self.skipped, 'élément invalide ignoré', 'éléments invalides ignorés')}."
        )
        return lines


# ---------------------------------------------------------------- reading


def read_rows(path: Path, shown: str) -> list[Row]:
    """The objects of a JSON list or the rows of a CSV file, each with its location."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableExport(f"{shown}: error: fichier illisible ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableExport(f"{shown}: error: le fichier doit être encodé en UTF-8") from None
    if path.suffix.lower() == ".json" or (path.suffix.lower() != ".csv" and text.lstrip().startswith("[")):
        return _json_rows(text, shown)
    return _csv_rows(text, shown)


def _json_rows(text: str, shown: str) -> list[Row]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableExport(f"{shown}:{exc.lineno}:{exc.colno}: error: JSON invalide ({exc.msg})") from None
    if not isinstance(data, list):
        raise UnreadableExport(f"{shown}: error: une liste d'objets data·inclusion est attendue ([{{…}}, {{…}}])")
    return [Row(f"{shown}[{index}]", item) for index, item in enumerate(data)]


def _csv_rows(text: str, shown: str) -> list[Row]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    if not reader.fieldnames or not {"id", "nom"} <= set(reader.fieldnames):
        raise UnreadableExport(f"{shown}:1: error: en-tête CSV data·inclusion attendu (colonnes id, nom, date_maj…)")
    rows = []
    start = 2
    try:
        for record in reader:
            data = {key: (value if value != "" else None) for key, value in record.items() if key is not None}
            rows.append(Row(f"{shown}:{start}", data))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableExport(f"{shown}:{reader.line_num}: error: CSV illisible ({exc})") from None
    return rows


def _list_fields(model: type[BaseModel]) -> set[str]:
    names = set()
    for name, info in model.model_fields.items():
        if any(get_origin(arg) in (set, list) for arg in get_args(info.annotation)):
            names.add(name)
    return names


def _as_list(value: Any) -> Any:
    """A CSV cell holding a list: « a,b », JSON « ["a","b"] » or PostgreSQL « {a,b} »."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith("["):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            pass
    text = text.strip("{}[]")
    return [item.strip().strip("\"'") for item in text.split(",") if item.strip().strip("\"'")]


# ---------------------------------------------------------------- validation


def _official_message(error: dict) -> str:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "missing":
        return "champ obligatoire manquant"
    if kind == "value_error" and "reason" in ctx:
        return f"« {value} » n'est pas une adresse électronique valide"
    if kind in ("value_error", "avertissement"):
        return str(ctx.get("error", error["msg"]))
    if kind == "enum":
        return f"« {value} » n'est pas une valeur du vocabulaire data·inclusion"
    if kind.startswith("url"):
        return f"« {value} » n'est pas une adresse web"
    if kind.startswith("float") or kind.startswith("int"):
        return f"« {value} » n'est pas un nombre"
    if kind.startswith("date"):
        return f"« {value} » n'est pas une date au format AAAA-MM-JJ"
    if kind in ("string_too_short", "string_too_long", "string_pattern_mismatch", "literal_error"):
        return f"« {value} » n'a pas le format attendu par le schéma data·inclusion"
    if kind.endswith("_type"):
        return f"« {value} » n'est pas du type attendu"
    return error["msg"]


def _our_message(error: dict) -> str:
    if error["type"] == "value_error":
        return str((error.get("ctx") or {}).get("error", error["msg"]))
    if error["type"] == "missing":
        return "champ obligatoire manquant"
    return f"« {error.get('input')} » refusé ({error['msg']})"


_Model = TypeVar("_Model", bound=BaseModel)


def _validate(
    model: type[_Model],
    data: dict[str, Any],
    where: str,
    result: ImportResult,
    describe,
    context: dict | None = None,
) -> tuple[_Model, dict[str, Any]] | None:
    """The model built from `data`, leaving out refused optional values or items; None when a required one is refused."""
    data = dict(data)
    while True:
        try:
            return model.model_validate(data, context=context), data
        except ValidationError as exc:
            seen: set[tuple] = set()
            drop_items: dict[str, set[int]] = {}
            for error in exc.errors(include_url=False):
                loc = error["loc"]
                name = str(loc[0]) if loc else ""
                index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
                if (name, index) in seen:  # a value refused by each member of a union
                    continue
                seen.add((name, index))
                if not name or model.model_fields[name].is_required():
                    result.problem(where, "error", name, describe(error).rstrip(".") + " : fiche ignorée")
                    result.skipped += 1
                    return None
                message = describe(error).rstrip(".")
                present = [n for n in _TOGETHER.get(name, (name,)) if n in data]
                if not present:  # nothing left to drop: the row cannot be fixed by leaving a value out
                    result.problem(where, "error", name, message + " : fiche ignorée")
                    result.skipped += 1
                    return None
                if index is not None and isinstance(data.get(name), list):
                    drop_items.setdefault(name, set()).add(index)
                    result.problem(where, "warning", name, message + " : valeur ignorée")
                else:
                    for dropped in present:
                        data.pop(dropped)
                    result.problem(where, "warning", name, message + " : champ ignoré")
            for name, indexes in drop_items.items():
                kept = [item for i, item in enumerate(data[name]) if i not in indexes]
                if kept:
                    data[name] = kept
                else:
                    data.pop(name)


# ---------------------------------------------------------------- naming


def slug(text: str) -> str:
    """Lower case, accents dropped, any other character a hyphen (« d’action » and « d'action » alike)."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe").replace("æ", "ae"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def normalised(text: str | None) -> str:
    return slug(text or "").replace("-", " ")


def new_id(source_id: str, nom: str, taken: set[str]) -> str:
    """The producer's own id when it already reads as ours (« udaf-cantal »), else the name's; unique in `taken`."""
    local = source_id.split("--", 1)[1] if "--" in source_id else source_id
    base = local if re.fullmatch(KEBAB_CASE, local) and re.search(r"[a-z]", local) else slug(nom)
    base = base[:110].strip("-") or "fiche"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    taken.add(candidate)
    return candidate


# ---------------------------------------------------------------- writing


def _plain_ok(text: str) -> bool:
    """A string YAML reads back as the same string without quotes."""
    if not text or text != text.strip() or "\n" in text or ": " in text or " #" in text or text.endswith(":"):
        return False
    if text[0] in "-?:,[]{}#&*!|>'\"%@`" or any(ord(c) < 32 for c in text):
        return False
    try:
        return load_bytes(f"v: {text}\n".encode(), "").data.get("v") == text
    except LoadError:
        return False


def _scalar(name: str, value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if name not in QUOTED and _plain_ok(value):
        return value
    return _quoted(value)


# Characters YAML reads as line breaks or refuses raw, which JSON's escaping leaves as they are.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")


def _quoted(value: str) -> str:
    """A double-quoted YAML string: JSON's escapes, plus \\uXXXX for what YAML alone would misread."""
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def _block(value: str) -> str | None:
    """A multi-line text as a literal block, when YAML keeps it exactly."""
    lines = value.split("\n")
    if (
        lines[0].startswith(" ")
        or any(ord(c) < 32 and c not in "\t\n" for c in value)
        or _YAML_UNSAFE.search(value)
        or any(line != line.rstrip() for line in lines)
    ):
        return None
    return "|\n" + "\n".join(f"  {line}" if line else "" for line in lines)


def _wrapped(markdown: str) -> str:
    """A description's long lines wrapped (a line break inside a Markdown paragraph reads as a space)."""
    lines = []
    for line in markdown.split("\n"):
        if len(line) <= WIDTH or "  " in line or re.match(r"\s*(?:[-*+]|\d+[.)])\s", line):
            lines.append(line)
        else:
            lines.extend(textwrap.wrap(line, WIDTH, break_long_words=False, break_on_hyphens=False))
    return "\n".join(lines)


def to_yaml(values: dict[str, Any], header: list[str]) -> str:
    lines = [f"# {line}" for line in header]
    for name, value in values.items():
        if value is None or value == []:
            continue
        if isinstance(value, list):
            flow = f"{name}: [{', '.join(value)}]"
            if all(_plain_ok(item) and not set(item) & set(",[]{}") for item in value) and len(flow) <= WIDTH:
                lines.append(flow)
            else:
                lines.append(f"{name}:")
                lines.extend(f"  - {item if _plain_ok(item) else _quoted(item)}" for item in value)
        elif (
            name == "description"
            and (block := _block(_wrapped(value)))
            or isinstance(value, str)
            and "\n" in value
            and (block := _block(value))
        ):
            lines.append(f"{name}: {block}")
        else:
            lines.append(f"{name}: {_scalar(name, value)}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- import


class Importer:
    def __init__(
        self, catalog: Catalog, territoire: Territoire, resources: Path, shown_root: str, today: date | None = None
    ):
        self.catalog, self.territoire, self.resources, self.shown_root = catalog, territoire, resources, shown_root
        self.today = today or date.today()
        self.result = ImportResult()
        self.taken = {
            kind: set(catalog.structures if kind == "structures" else catalog.services)
            | {p.stem for p in (resources / kind).glob("*.yml")}
            for kind in ("structures", "services")
        }
        self.structure_ids: dict[str, str] = {}  # data·inclusion id → our id
        self.structures: dict[str, dict[str, Any]] = {
            our_id: s.model_dump() for our_id, s in catalog.structures.items()
        }
        self.by_category = {frein.data_inclusion: frein.id for frein in freins()}
        self.pending: list[tuple[str, dict[str, Any], list[str], str]] = []

    def run(self, rows: list[Row]) -> ImportResult:
        for row in rows:  # structures first: services refer to them
            if not isinstance(row.data, dict):
                self.result.problem(row.where, "error", "", "un objet { … } est attendu : élément ignoré")
                self.result.skipped += 1
            elif "structure_id" not in row.data:
                self._structure(row)
        for row in rows:
            if isinstance(row.data, dict) and "structure_id" in row.data:
                self._service(row)
        for kind, values, flags, where in self.pending:
            self._write(kind, values, flags, where)
        return self.result

    # A data·inclusion row read through the official model: the values kept, or None.
    def _official(self, row: Row, model: type[di.Structure] | type[di.Service]) -> dict[str, Any] | None:
        lists = _list_fields(model)
        data = {
            k: (_as_list(v) if k in lists else v.replace("\r\n", "\n") if isinstance(v, str) else v)
            for k, v in row.data.items()
            if v is not None
        }
        checked = _validate(model, data, row.where, self.result, _official_message)
        return None if checked is None else {**checked[1], "date_maj": checked[0].date_maj}

    def _ours(self, model: type[BaseModel], values: dict[str, Any], where: str) -> dict[str, Any] | None:
        """The values our model accepts, as it holds them (numbers as numbers, vocabulary as text)."""
        values = {k: v for k, v in values.items() if v is not None and v != []}
        checked = _validate(model, values, where, self.result, _our_message, context={"today": self.today})
        if checked is None:
            return None
        record, kept = checked
        return {name: _plain(value) for name, value in record.model_dump(include=set(kept)).items()}

    def _structure(self, row: Row) -> None:
        data = self._official(row, di.Structure)
        if data is None:
            return
        flags = []
        description = data.get("description")
        if not description:
            description = PLACEHOLDER_DESCRIPTION
            flags.append("pas de description dans la source : à rédiger")
        values = {
            "id": None,
            "nom": data["nom"].strip(),
            "territoire": self.territoire.id,
            "siret": data.get("siret"),
            "description": description,
            **{name: data.get(name) for name in ADDRESS_FIELDS},
            "telephone": data.get("telephone"),
            "courriel": data.get("courriel"),
            "site_web": data.get("site_web"),
            "horaires_accueil": data.get("horaires_accueil"),
            "accessibilite_lieu": data.get("accessibilite_lieu"),
            "date_maj": data["date_maj"],
        }
        duplicate = self._duplicate_structure(values)
        if duplicate:
            existing, why = duplicate
            self.structure_ids[data["id"]] = existing
            self.result.duplicates += 1
            self.result.problem(
                row.where,
                "warning",
                "",
                f"structure « {values['nom']} » : doublon de « {existing} » "
                f"({why}) : non importée, ses services s'y rattachent",
            )
            return
        values["id"] = new_id(data["id"], values["nom"], self.taken["structures"])
        checked = self._ours(Structure, values, row.where)
        if checked is None:
            self.taken["structures"].discard(values["id"])
            return
        _national_phone(checked)
        self.structure_ids[data["id"]] = checked["id"]
        self.structures[checked["id"]] = checked
        self.pending.append(("structures", checked, flags, f"{row.where}, identifiant data·inclusion « {data['id']} »"))

    def _duplicate_structure(self, values: dict[str, Any]) -> tuple[str, str] | None:
        for our_id, other in self.structures.items():
            if values["siret"] and other.get("siret") == values["siret"]:
                return our_id, f"même SIRET {values['siret']}"
            if normalised(other["nom"]) == normalised(values["nom"]) and normalised(other.get("commune")) == normalised(
                values.get("commune")
            ):
                return our_id, "même nom et même commune"
        return None

    def _structure_of(self, data: dict[str, Any]) -> str | None:
        source_id = data["structure_id"]
        if source_id in self.structure_ids:
            return self.structure_ids[source_id]
        local = slug(source_id.split("--", 1)[1] if "--" in source_id else source_id)
        return local if local in self.catalog.structures else None

    def _service(self, row: Row) -> None:
        data = self._official(row, di.Service)
        if data is None:
            return
        structure_id = self._structure_of(data)
        if structure_id is None:
            self.result.problem(
                row.where,
                "error",
                "structure_id",
                f"structure « {data['structure_id']} » introuvable dans le fichier et dans la base : service ignoré",
            )
            self.result.skipped += 1
            return
        flags: list[str] = []
        thematiques = sorted(data.get("thematiques") or [])
        categories = {t.split("--")[0] for t in thematiques}
        found = [f.id for f in freins() if f.data_inclusion in categories]
        if not found:
            self.result.problem(
                row.where,
                "warning",
                "thematiques",
                "aucune thématique ne correspond à un frein "
                f"({', '.join(thematiques) or 'aucune thématique'}) : service ignoré, à saisir à la main s'il lève un frein",
            )
            self.result.without_frein += 1
            return
        unmapped = sorted(categories - set(self.by_category))
        if unmapped:
            flags.append(f"thématiques hors freins gardées telles quelles : {', '.join(unmapped)}")
        bassins = self._bassins(data.get("zone_eligibilite"), flags)
        structure = self.structures[structure_id]
        values = {
            "id": None,
            "structure": structure_id,
            "nom": data["nom"].strip(),
            "description": data["description"],
            "freins": found,
            "type": data.get("type"),
            "thematiques": thematiques,
            "publics": sorted(data.get("publics") or []),
            "publics_precisions": data.get("publics_precisions"),
            "conditions_acces": data.get("conditions_acces"),
            "frais": data.get("frais"),
            "frais_precisions": data.get("frais_precisions"),
            "modes_accueil": sorted(data.get("modes_accueil") or []),
            "modes_mobilisation": sorted(data.get("modes_mobilisation") or []),
            "mobilisable_par": sorted(data.get("mobilisable_par") or []),
            "mobilisation_precisions": data.get("mobilisation_precisions"),
            "bassins": bassins,
            **_own_place(data, structure),
            "date_maj": data["date_maj"],
        }
        duplicate = self._duplicate_service(values)
        if duplicate:
            self.result.duplicates += 1
            self.result.problem(
                row.where,
                "warning",
                "",
                f"service « {values['nom']} » : doublon de « {duplicate} » "
                "(même nom, même commune, même structure) : non importé",
            )
            return
        values["id"] = new_id(data["id"], values["nom"], self.taken["services"])
        checked = self._ours(Service, values, row.where)
        if checked is None:
            self.taken["services"].discard(values["id"])
            return
        _national_phone(checked)
        self.pending.append(("services", checked, flags, f"{row.where}, identifiant data·inclusion « {data['id']} »"))

    def _bassins(self, zone: list[str] | None, flags: list[str]) -> list[str]:
        """Bassins whose communes the zone names; none (the whole territory) for the département or wider."""
        if not zone or self.territoire.departement in zone or "france" in zone or "99100" in zone:
            return []
        codes = set(zone)
        bassins = [b.id for b in self.territoire.bassins if codes & set(b.communes)]
        if not bassins:
            flags.append(
                f"zone d'éligibilité ({', '.join(zone)}) hors des bassins du territoire : tout le territoire retenu"
            )
        return bassins

    def _duplicate_service(self, values: dict[str, Any]) -> str | None:
        commune = normalised(values.get("commune") or self.structures[values["structure"]].get("commune"))
        candidates = [
            (s.id, s.nom, place_of(s, self.catalog.structures[s.structure])["commune"])
            for s in self.catalog.services.values()
            if s.structure == values["structure"]
        ]
        candidates += [
            (v["id"], v["nom"], v.get("commune") or self.structures[v["structure"]].get("commune"))
            for kind, v, _, _ in self.pending
            if kind == "services" and v["structure"] == values["structure"]
        ]
        for our_id, nom, other_commune in candidates:
            if normalised(nom) == normalised(values["nom"]) and normalised(other_commune) == commune:
                return our_id
        return None

    def _write(self, kind: str, values: dict[str, Any], flags: list[str], where: str) -> None:
        model = Structure if kind == "structures" else Service
        header = [f"Importé de data·inclusion le {self.today.isoformat()} : à relire", f"Source : {where}"]
        header += [f"À vérifier : {flag}" for flag in flags]
        text = to_yaml({name: values.get(name) for name in field_order(model)}, header)
        relative = f"{kind}/{values['id']}.yml"
        shown = f"{self.shown_root.rstrip('/')}/{relative}"
        try:  # what is written must read back through the project's loader and model
            model.model_validate(load_bytes(text.encode("utf-8"), shown).data, context={"today": self.today})
        except (LoadError, ValidationError) as exc:
            self.result.problem(where, "error", "", f"fiche non écrite, relue invalide ({exc}) : signalez-le")
            self.result.skipped += 1
            return
        path = self.resources / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8") as out:  # "x": never overwrite a file
                out.write(text)
        except OSError as exc:  # a file created meanwhile, a read-only folder…
            self.result.problem(where, "error", "", f"« {shown} » non écrit ({exc.strerror})")
            self.result.skipped += 1
            return
        self.result.written.append(Written(Path(shown), flags))


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _own_place(data: dict[str, Any], structure: dict[str, Any]) -> dict[str, Any]:
    """The address and contact of a service that differ from its structure's."""
    own: dict[str, Any] = {}
    if any(
        normalised(str(data.get(n) or "")) != normalised(str(structure.get(n) or ""))
        for n in ("adresse", "code_postal", "commune")
    ):
        own.update({name: data.get(name) for name in ADDRESS_FIELDS})
    if data.get("telephone") and e164(data["telephone"]) != e164(structure.get("telephone")):
        own["telephone"] = data["telephone"]
    for name in ("courriel", "horaires_accueil"):
        if data.get(name) and data[name] != structure.get(name):
            own[name] = data[name]
    link = data.get("lien_mobilisation")
    if link and link != structure.get("site_web"):
        own["site_web"] = link
    return own


def _national_phone(values: dict[str, Any]) -> None:
    """Phones as the project writes them (« 04 71 45 46 47 »), not E.164."""
    if values.get("telephone"):
        values["telephone"] = format_telephone(values["telephone"])


def import_files(
    paths: list[tuple[Path, str]],
    catalog: Catalog,
    territoire: Territoire,
    resources: Path,
    shown_root: str,
    today: date | None = None,
) -> ImportResult:
    """Read every file first (an unreadable one stops everything), then import their rows."""
    rows = [row for path, shown in paths for row in read_rows(path, shown)]
    return Importer(catalog, territoire, resources, shown_root, today).run(rows)
