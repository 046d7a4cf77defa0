"""`annuaire new`: a commented skeleton of a new record, every field explained in French.

The comments come from the JSON Schema (itself generated from the models), so the skeleton lists
exactly the fields and values that `annuaire check` accepts.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from generator.contrib.schema import DEFAULT_OUT, field_label, record_schema
from generator.records.fields import Identifiant
from generator.records.files import record_data
from generator.records.models import Record, Service, Structure, field_order

KINDS: dict[str, type[Record]] = {"structure": Structure, "service": Service}
WIDTH = 100

_HOW_TO = """\
Comment remplir cette fiche :
- les champs obligatoires viennent d'abord : écrivez la valeur après « : » ;
- pour utiliser un champ facultatif, retirez le « # » au début de sa ligne, puis écrivez la valeur ;
- un texte s'écrit entre guillemets ("…"), une liste entre crochets ([valeur1, valeur2]) ;
- les lignes qui commencent par « # » sont des explications : gardez-les ou supprimez-les ;
- vérifiez la fiche avec « annuaire check » (sur la forge, la vérification est automatique)."""


class SkeletonError(Exception):
    """The skeleton cannot be written; `usage` tells a wrong argument (exit 2) from a refusal (exit 1)."""

    def __init__(self, message: str, usage: bool):
        super().__init__(message)
        self.usage = usage


def check_id(record_id: str) -> None:
    try:
        TypeAdapter(Identifiant).validate_python(record_id)
    except ValidationError:
        raise SkeletonError(
            f"« {record_id} » n'est pas un identifiant valide : lettres minuscules sans accent, chiffres et "
            "tirets, par exemple « atelier-budget-aurillac »",
            usage=True,
        ) from None


def schema_reference(path: Path, kind: str) -> str:
    """The editor line pointing from a record file to its schema in the repository's schemas/."""
    target = Path.cwd() / DEFAULT_OUT / f"{kind}.schema.json"
    relative = os.path.relpath(target, path.resolve().parent)
    return f"# yaml-language-server: $schema={Path(relative).as_posix()}"


def write_skeleton(kind: str, record_id: str, resources: Path) -> Path:
    check_id(record_id)
    model = KINDS[kind]
    path = resources / model.folder / f"{record_id}.yml"
    if path.exists():
        raise SkeletonError(
            f"{path}:1:1: error: cette fiche existe déjà : modifiez-la plutôt que d'en créer une nouvelle", usage=False
        )
    if path.is_symlink():  # a dangling link: writing through it would create a file elsewhere
        raise SkeletonError(f"« {path} » est un lien symbolique cassé : supprimez-le d'abord", usage=True)
    if path.parent.exists() and not path.parent.is_dir():
        raise SkeletonError(f"« {path.parent} » existe et n'est pas un dossier", usage=True)
    text = skeleton_text(model, record_id, _hints(resources), date.today(), schema_reference(path, kind))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # "x": never overwrite a file created meanwhile
        out.write(text)
    return path


def skeleton_text(model: type[Record], record_id: str, hints: dict[str, str], today: date, schema_line: str) -> str:
    schema = record_schema(model)
    properties, defs = schema["properties"], schema.get("$defs", {})
    required = set(schema.get("required", []))
    order = field_order(model)
    lines = [schema_line, *_comment(f"{schema['title']} « {record_id} ». {schema['description']}"), "#"]
    lines += _comment(_HOW_TO)
    lines += ["", "# ===== Champs obligatoires =====", ""]
    for name in [n for n in order if n in required]:
        lines += _field(name, properties[name], defs, hints, required=True)
        lines.append(_required_value(name, properties[name], record_id, today))
        lines.append("")
    lines += ["# ===== Champs facultatifs : retirez le « # » pour les utiliser =====", ""]
    for name in [n for n in order if n not in required]:
        lines += _field(name, properties[name], defs, hints, required=False)
        lines.append(f"# {name}: {_example(properties[name])}".rstrip())
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _field(name: str, prop: dict[str, Any], defs: dict[str, Any], hints: dict[str, str], required: bool) -> list[str]:
    is_list = _is_list(prop)
    status = "obligatoire" if required else "facultatif"
    if is_list:
        status += ", une ou plusieurs valeurs" if required else ", une liste"
    lines = _comment(f"{field_label(name)} ({status}). {prop.get('description', '')}".strip())
    enum = _enum(prop, defs)
    if enum is not None:
        lines.append("# Valeurs possibles :")
        lines += [
            f"#   {value} : {label}" for value, label in zip(enum["enum"], enum["enumDescriptions"], strict=False)
        ]
    if name in hints:
        lines += _comment(hints[name])
    if name == "description":
        lines += _comment(
            "Pour plusieurs lignes, écrivez « description: | » puis le texte sur les lignes suivantes, "
            "décalé de deux espaces."
        )
    return lines


def _required_value(name: str, prop: dict[str, Any], record_id: str, today: date) -> str:
    if name == "id":
        return f"id: {record_id}"
    if prop.get("format") == "date":
        return f"{name}: {today.isoformat()}"
    return f"{name}: []" if _is_list(prop) else f'{name}: ""'


def _example(prop: dict[str, Any]) -> str:
    if _is_list(prop):
        return "[]"
    examples = prop.get("examples")
    if examples:
        return json.dumps(examples[0], ensure_ascii=False)
    if any(branch.get("type") == "number" for branch in prop.get("anyOf", [])):
        return ""
    return '""'


def _is_list(prop: dict[str, Any]) -> bool:
    return prop.get("type") == "array"


def _enum(prop: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any] | None:
    for candidate in [prop, prop.get("items", {}), *prop.get("anyOf", [])]:
        ref = candidate.get("$ref", "")
        if ref.startswith("#/$defs/") and "enum" in defs.get(ref.removeprefix("#/$defs/"), {}):
            return defs[ref.removeprefix("#/$defs/")]
    return None


# French puts a space before « : ; » and inside « » : never break a line there.
_NO_BREAK = re.compile(r" (?=[:;»])|(?<=«) ")


def _comment(text: str) -> list[str]:
    lines = []
    for paragraph in text.splitlines():
        wrapped = textwrap.wrap(
            _NO_BREAK.sub("\u00a0", paragraph),
            WIDTH - 2,
            break_on_hyphens=False,
            subsequent_indent="  " if paragraph.startswith("-") else "",
        )
        lines += [f"# {line.replace(chr(0xA0), ' ')}" for line in wrapped] or ["#"]
    return lines


def _hints(resources: Path) -> dict[str, str]:
    """The ids a new record may refer to, read from the records already there (unreadable ones skipped)."""
    territoires = _records(resources / "territoires")
    structures = _records(resources / "structures")
    hints = {}
    if territoires:
        hints["territoire"] = "Territoires existants : " + ", ".join(sorted(territoires)) + "."
        bassins = [
            f"{tid} : " + ", ".join(str(b.get("id")) for b in _list(data.get("bassins")) if isinstance(b, dict))
            for tid, data in sorted(territoires.items())
        ]
        hints["bassins"] = "Bassins par territoire : " + " ; ".join(bassins) + "."
    if structures:
        hints["structure"] = "Structures existantes : " + ", ".join(sorted(structures)) + "."
        hints["partenaires"] = "Mêmes identifiants que pour « structure »."
    return hints


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _records(folder: Path) -> dict[str, dict[str, Any]]:
    found = {}
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        if (data := record_data(path, folder.parent)) is not None:
            found[path.stem] = data
    return found
