"""A data·inclusion row mapped to our record's values: read through the official model, then through ours.

A value that either model refuses is reported with its row and left out; a row without a valid
required value is skipped. Decisions:
- thématiques give the freins through the référentiel's `data_inclusion` categories; a service none of
  whose thématiques maps to a frein is skipped: a guessed frein would send advisers to the wrong place;
- `zone_eligibilite` is kept as published; bassins come from it only where it names exactly their
  communes (or the whole département), else the territory chooses them (`annuaire check` says so);
- a service's address is written only where it differs from its structure's (complement included),
  its phone, e-mail and hours likewise; `lien_mobilisation` is kept as published;
- the original `source`, `id` and `lien_source` are kept, except for the territory's own records
  coming back from its export;
- `contact_nom_prenom` (personal data), `reseaux_porteurs`, `volume_horaire_hebdomadaire` and
  `nombre_semaines` have no field here and are left out.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from enum import Enum
from functools import cache, lru_cache
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.opendata.export import e164
from generator.opendata.import_input import Row, shorten
from generator.records.fields import format_telephone
from generator.records.models import ADDRESS_FIELDS, Territoire
from generator.records.zones import exact_bassins
from generator.referentiels import freins

PLACEHOLDER_DESCRIPTION = "Description à rédiger : la source data·inclusion n'en donnait pas."
# Values that only make sense together: refusing one leaves the other out too.
_TOGETHER = {"latitude": ("latitude", "longitude"), "longitude": ("latitude", "longitude")}

Report = Callable[[str, str, str, str], None]  # where, severity, field, message
Describe = Callable[[ErrorDetails], str]


class Skipped(Exception):
    """The row cannot become a record; `reason` counts it in the summary."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@cache
def _list_fields(model: type[BaseModel]) -> set[str]:
    names = set()
    for name, info in model.model_fields.items():
        if any(get_origin(arg) in (set, list) for arg in get_args(info.annotation)):
            names.add(name)
    return names


def as_list(value: Any) -> Any:
    """A CSV cell holding a list: « a,b », JSON « ["a","b"] » or PostgreSQL « {a,b} »."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith("["):
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            pass
    text = text.strip("{}[]")
    return [item.strip().strip("\"'") for item in text.split(",") if item.strip().strip("\"'")]


def validate(
    model: type[BaseModel],
    data: dict[str, Any],
    where: str,
    report: Report,
    describe: Describe,
    context: dict | None = None,
) -> tuple[BaseModel, dict[str, Any]]:
    """The model built from `data`, leaving out refused optional values or items; Skipped when a required one is refused.

    Official warnings (`avertissement`, seen when `context` asks for them) are reported as warnings and the
    value kept, as data·inclusion does.
    """
    data = dict(data)
    while True:
        try:
            return model.model_validate(data, context=context), data
        except ValidationError as exc:
            seen: set[tuple] = set()
            drop_items: dict[str, set[int]] = {}
            for error in exc.errors(include_url=False):
                error = {**error, "input": shorten(error.get("input"))}
                loc = error["loc"]
                name = str(loc[0]) if loc else ""
                index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
                if (name, index) in seen:  # a value refused by each member of a union
                    continue
                seen.add((name, index))
                message = describe(error).rstrip(".")
                if error["type"] == "avertissement":  # the schema's own severity: reported, the value kept
                    report(where, "warning", name, message)
                    context = {**(context or {}), "ignore_warnings": True}
                    continue
                if not name or model.model_fields[name].is_required():
                    report(where, "error", name, message + " : fiche ignorée")
                    raise Skipped("invalides") from None
                present = [n for n in _TOGETHER.get(name, (name,)) if n in data]
                if not present:  # nothing left to drop: the row cannot be fixed by leaving a value out
                    report(where, "error", name, message + " : fiche ignorée")
                    raise Skipped("invalides") from None
                if index is not None and isinstance(data.get(name), list):
                    drop_items.setdefault(name, set()).add(index)
                    report(where, "warning", name, message + " : valeur ignorée")
                else:
                    for dropped in present:
                        data.pop(dropped)
                    report(where, "warning", name, message + " : champ ignoré")
            for name, indexes in drop_items.items():
                kept = [item for i, item in enumerate(data[name]) if i not in indexes]
                if kept:
                    data[name] = kept
                else:
                    data.pop(name)


def official_values(row: Row, model: type[BaseModel], report: Report, describe: Describe) -> dict[str, Any]:
    """The row's values that data·inclusion's own model accepts (its warnings reported, values kept)."""
    lists = _list_fields(model)
    data = {
        k: (as_list(v) if k in lists else v.replace("\r\n", "\n") if isinstance(v, str) else v)
        for k, v in row.data.items()
        if v is not None and k in model.model_fields
    }
    record, kept = validate(model, data, row.where, report, describe, context={"ignore_warnings": False})
    return {**kept, "date_maj": record.model_dump(include={"date_maj"})["date_maj"]}


def plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def provenance(data: dict[str, Any], territoire: Territoire) -> dict[str, Any]:
    """The original source, id and link; none for the territory's own records."""
    if data.get("source") == territoire.id:
        return {}
    return {"source": data.get("source"), "id_source": data["id"], "lien_source": data.get("lien_source")}


def structure_values(data: dict[str, Any], territoire: Territoire, flags: list[str]) -> dict[str, Any]:
    description = data.get("description")
    if not description:
        description = PLACEHOLDER_DESCRIPTION
        flags.append("pas de description dans la source : à rédiger")
    return {
        "id": None,
        "nom": data["nom"].strip(),
        "territoire": territoire.id,
        "siret": data.get("siret"),
        "description": description,
        **{name: data.get(name) for name in ADDRESS_FIELDS},
        "telephone": data.get("telephone"),
        "courriel": data.get("courriel"),
        "site_web": data.get("site_web"),
        "horaires_accueil": data.get("horaires_accueil"),
        "accessibilite_lieu": data.get("accessibilite_lieu"),
        "date_maj": data["date_maj"],
        **provenance(data, territoire),
    }


def freins_of(thematiques: list[str], where: str, report: Report, flags: list[str]) -> list[str]:
    categories = {t.split("--")[0] for t in thematiques}
    found = [f.id for f in freins() if f.data_inclusion in categories]
    if not found:
        report(
            where,
            "warning",
            "thematiques",
            "aucune thématique ne correspond à un frein "
            f"({', '.join(thematiques) or 'aucune thématique'}) : service ignoré, à saisir à la main s'il lève un frein",
        )
        raise Skipped("sans frein")
    unmapped = sorted(categories - {f.data_inclusion for f in freins()})
    if unmapped:
        flags.append(f"thématiques hors freins gardées telles quelles : {', '.join(unmapped)}")
    return found


def bassins_of_zone(territoire: Territoire, zone: list[str] | None, flags: list[str]) -> list[str]:
    if not zone:
        return []
    exact = exact_bassins(territoire, zone)
    if exact is None:
        flags.append(
            f"zone d'éligibilité ({shorten(', '.join(zone))}) gardée telle quelle ; elle ne correspond exactement "
            "à aucun bassin : choisissez les bassins où montrer le service"
        )
        return []
    return exact


def service_values(
    data: dict[str, Any], structure_id: str, structure: dict[str, Any], territoire: Territoire, found: list[str], flags
) -> dict[str, Any]:
    return {
        "id": None,
        "structure": structure_id,
        "nom": data["nom"].strip(),
        "description": data["description"],
        "freins": found,
        "type": data.get("type"),
        "thematiques": sorted(data.get("thematiques") or []),
        "publics": sorted(data.get("publics") or []),
        "publics_precisions": data.get("publics_precisions"),
        "conditions_acces": data.get("conditions_acces"),
        "frais": data.get("frais"),
        "frais_precisions": data.get("frais_precisions"),
        "modes_accueil": sorted(data.get("modes_accueil") or []),
        "modes_mobilisation": sorted(data.get("modes_mobilisation") or []),
        "mobilisable_par": sorted(data.get("mobilisable_par") or []),
        "mobilisation_precisions": data.get("mobilisation_precisions"),
        "bassins": bassins_of_zone(territoire, data.get("zone_eligibilite"), flags),
        "zone_eligibilite": data.get("zone_eligibilite") or [],
        "lien_mobilisation": data.get("lien_mobilisation"),
        **own_place(data, structure),
        "date_maj": data["date_maj"],
        **provenance(data, territoire),
    }


def own_place(data: dict[str, Any], structure: dict[str, Any]) -> dict[str, Any]:
    """The address and contact of a service that differ from its structure's."""
    own: dict[str, Any] = {}
    if any(
        normalised(str(data.get(n) or "")) != normalised(str(structure.get(n) or ""))
        for n in ("adresse", "complement_adresse", "code_postal", "commune")
    ):
        own.update({name: data.get(name) for name in ADDRESS_FIELDS})
    if data.get("telephone") and e164(data["telephone"]) != e164(structure.get("telephone")):
        own["telephone"] = data["telephone"]
    for name in ("courriel", "horaires_accueil"):
        if data.get(name) and data[name] != structure.get(name):
            own[name] = data[name]
    return own


def national_phone(values: dict[str, Any]) -> None:
    """Phones as the project writes them (« 04 71 45 46 47 »), not E.164."""
    if values.get("telephone"):
        values["telephone"] = format_telephone(values["telephone"])


# ---------------------------------------------------------------- naming


@lru_cache(maxsize=65_536)  # communes and structure names come back with every service
def slug(text: str) -> str:
    """Lower case, accents dropped, any other character a hyphen (« d’action » and « d'action » alike)."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe").replace("æ", "ae"))
    plain_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain_text).strip("-")


def normalised(text: str | None) -> str:
    return slug(text or "").replace("-", " ")


def new_id(source_id: str, nom: str, taken: set[str], own: bool = False) -> str:
    """A readable file name, unique in `taken`.

    The territory's own records keep their id; others get the name's slug and a short suffix drawn from
    the original id (the same at every import), which the record keeps in `id_source`.
    """
    local = source_id.split("--", 1)[1] if "--" in source_id else source_id
    if own and re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", local) and re.search(r"[a-z]", local):
        base = local[:110].strip("-")
    else:
        suffix = hashlib.sha256(source_id.encode("utf-8", "surrogatepass")).hexdigest()[:6]
        base = f"{slug(nom)[:60].strip('-') or 'fiche'}-{suffix}"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    taken.add(candidate)
    return candidate
