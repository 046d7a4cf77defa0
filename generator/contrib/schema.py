"""JSON Schemas of the record kinds, generated from the pydantic models, for editors and CI.

A partner's editor (VS Code, the forges' web IDE) reads them through the `# yaml-language-server:
$schema=…` line of each record: completion of field names and allowed values, French help on hover.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import Any

from data_inclusion.schema import v1 as di

from generator.records.models import RECORD_KINDS, Bassin, Record, field_labels
from generator.referentiels import FreinId, frein_labels

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
DEFAULT_OUT = "schemas"

_KIND_TITLES = {"territoire": "Fiche territoire", "structure": "Fiche structure", "service": "Fiche service"}
_ENUM_TITLES = {
    FreinId.__name__: "Frein périphérique",
    di.TypeService.__name__: "Type de service",
    di.Thematique.__name__: "Thématique",
    di.Public.__name__: "Public",
    di.Frais.__name__: "Frais",
    di.ModeAccueil.__name__: "Mode d'accueil",
    di.ModeMobilisation.__name__: "Mode de mobilisation",
    di.PersonneMobilisatrice.__name__: "Personne mobilisatrice",
}
_ENUMS: dict[str, type[Enum]] = {
    enum.__name__: enum
    for enum in (
        FreinId,
        di.TypeService,
        di.Thematique,
        di.Public,
        di.Frais,
        di.ModeAccueil,
        di.ModeMobilisation,
        di.PersonneMobilisatrice,
    )
}


def field_label(name: str) -> str:
    """The French label of a field (schema titles, skeleton comments, the change summary of a pull request)."""
    return field_labels().get(name, name.replace("_", " ").capitalize())


def value_labels(enum: type[Enum]) -> dict[str, str]:
    """Allowed value → its French label (and the data·inclusion definition when there is one)."""
    if enum is FreinId:
        return frein_labels()
    # data·inclusion's enums carry a label and a description (its package has no type information).
    members: Iterable[Any] = enum
    labels = {}
    for member in members:
        text = member.label
        if getattr(member, "description", None) and member.description != member.label:
            text += f" — {member.description}"
        labels[member.value] = text
    return labels


def record_schema(model: type[Record]) -> dict[str, Any]:
    """The JSON Schema of one record kind, titled and described in French."""
    schema = model.model_json_schema()
    _lift_branch_help(schema)
    for name, definition in schema.get("$defs", {}).items():
        if name in _ENUMS:
            definition["title"] = _ENUM_TITLES[name]
            labels = value_labels(_ENUMS[name])
            # Not JSON Schema vocabulary: VS Code and yaml-language-server show it beside each value.
            definition["enumDescriptions"] = [labels[value] for value in definition["enum"]]
        elif name == Bassin.__name__:
            definition["title"] = "Bassin d'emploi"
            _lift_branch_help(definition)
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": _KIND_TITLES[model.kind],
        **{key: value for key, value in schema.items() if key != "title"},
    }


def _lift_branch_help(schema: dict[str, Any]) -> None:
    for prop in schema.get("properties", {}).values():
        # An optional field's help sits in its non-null branch: editors show the property's own.
        branch = next((b for b in prop.get("anyOf", []) if "description" in b), None)
        for key in ("description", "examples"):
            if branch is not None and key in branch and key not in prop:
                prop[key] = branch[key]


def schema_text(model: type[Record]) -> str:
    return json.dumps(record_schema(model), ensure_ascii=False, indent=2) + "\n"


def schema_files() -> dict[str, str]:
    """File name → content, for every record kind."""
    return {f"{model.kind}.schema.json": schema_text(model) for model in RECORD_KINDS}


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_files().items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def outdated_schemas(out: Path) -> list[str]:
    """One compiler-style line per schema file of `out` that differs from the models."""
    return [
        f"{out / name}:1:1: error: schéma absent ou pas à jour : lancez « annuaire schema --out {out} »"
        for name, text in schema_files().items()
        if not (out / name).is_file() or (out / name).read_text(encoding="utf-8") != text
    ]
