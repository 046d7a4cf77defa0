"""pydantic's validation errors, said in French to the person who wrote the record."""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import date, datetime
from enum import Enum
from functools import lru_cache
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from generator.records.load import Document
from generator.referentiels import FreinId, frein_labels


def field_path(loc: tuple[str | int, ...]) -> str:
    """`bassins[0].nom` for nested fields; list items of plain values are named by their field."""
    text = ""
    for index, part in enumerate(loc):
        if isinstance(part, int):
            if index + 1 < len(loc):
                text += f"[{part}]"
        else:
            text += ("." if text else "") + part
    return text


# Spaces, visible or not, and zero-width characters that slip into a field name when it is pasted.
_SPACES = re.compile("[\\s\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]")

# A field checked together with another one: when it is absent, its error points at the other.
_COMPANIONS = {"longitude": "latitude", "latitude": "longitude"}


def locate(doc: Document, error: ErrorDetails, model: type[BaseModel]) -> tuple[int, int, str, str]:
    """(line, col, field, message) for one pydantic error."""
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "missing":
        line, col = _insertion_point(doc, loc, model)
        return line, col, field_path(loc), _missing_message(doc, loc, model)
    if kind == "extra_forbidden":
        line, col = doc.position(loc, at_key=True)
        return line, col, field_path(loc), _unknown_field(loc, model)
    if len(loc) == 1 and loc[0] in _COMPANIONS and loc[0] not in doc.data and _COMPANIONS[loc[0]] in doc.data:
        line, col = doc.position((_COMPANIONS[loc[0]],), at_key=True)
    else:
        line, col = doc.position(loc)
    return line, col, field_path(loc), describe_error(error, model, doc)


def _unknown_field(loc: tuple[str | int, ...], model: type[BaseModel]) -> str:
    known = list(_model_at(model, loc[:-1]).model_fields)
    name = str(loc[-1])
    intended = _intended_field(name, known)
    if intended is None:
        return "champ inconnu (les champs possibles sont décrits dans CONTRIBUTING.md)"
    if _SPACES.sub("", name) == intended:
        return f"champ inconnu : espace ou caractère invisible dans le nom, vouliez-vous dire « {intended} » ?"
    if _latin_look_alike(name) == intended:
        letters = ", ".join(
            f"« {c} » ({_letter_name(c)})" for c in dict.fromkeys(name) if not c.isascii() and c.isalpha()
        )
        return f"champ inconnu : {letters} n'est pas une lettre latine ; retapez le nom au clavier : « {intended} »"
    return f"champ inconnu : vouliez-vous dire « {intended} » ?"


def _intended_field(name: str, known: list[str]) -> str | None:
    """The field an unknown name was meant to be: with an invisible character, a look-alike letter or a typo."""
    for candidate in (_SPACES.sub("", name), _latin_look_alike(name)):
        if candidate != name and candidate in known:
            return candidate
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return close[0] if close else None


def said_by_another(error: ErrorDetails, errors: list[ErrorDetails], model: type[BaseModel]) -> bool:
    """A missing field whose misspelt name is already reported as unknown, with this field as the fix."""
    loc = tuple(error["loc"])
    if error["type"] != "missing":
        return False
    known = list(_model_at(model, loc[:-1]).model_fields)
    return any(
        other["type"] == "extra_forbidden"
        and tuple(other["loc"][:-1]) == loc[:-1]
        and _intended_field(str(other["loc"][-1]), known) == loc[-1]
        for other in errors
    )


# Letters of other alphabets that look like latin ones, as they slip in from a copy-paste or a keyboard layout.
_LOOK_ALIKES = str.maketrans("аеорсухіјѕԁɡοαντρκ", "aeopcyxijsdgoavtpk")
_SCRIPTS = {"CYRILLIC": "lettre cyrillique", "GREEK": "lettre grecque", "LATIN": "lettre latine"}


def _latin_look_alike(name: str) -> str:
    return name.translate(_LOOK_ALIKES)


def _letter_name(char: str) -> str:
    """« lettre cyrillique o » for U+043E, as a partner can recognise it."""
    official = unicodedata.name(char, "")
    script = _SCRIPTS.get(official.split(" ")[0], "caractère")
    return f"{script} {_latin_look_alike(char)} U+{ord(char):04X}"


def _insertion_point(doc: Document, loc: tuple[str | int, ...], model: type[BaseModel]) -> tuple[int, int]:
    """The line where a missing field goes: after the field that comes before it in the model's order."""
    if len(loc) != 1:
        return doc.position(loc[:-1])
    order = list(model.model_fields)
    present = {key.value: value for key, value in doc.root.value}
    before = [present[name] for name in order[: order.index(str(loc[0]))] if name in present]
    if not before:
        return 1, 1
    end = before[-1].end_mark  # a block text ends at the start of the next line
    return (end.line + 1 if end.column == 0 else end.line + 2), 1


# The line to add for each required field, with an example (by model when it differs); `{id}` is the file's name.
_REQUIRED_EXAMPLES = {
    "id": "id: {id}",
    "nom": "nom: Épicerie sociale",
    ("Structure", "nom"): "nom: CCAS de Saint-Flour",
    ("Territoire", "nom"): "nom: Cantal",
    ("Bassin", "nom"): "nom: Bassin de Saint-Flour",
    "structure": "structure: ccas-saint-flour",
    "territoire": "territoire: cantal",
    "departement": 'departement: "15"',
    "description": "description: Ce que propose le service, en phrases courtes.",
    ("Structure", "description"): "description: Présentation de la structure, en quelques phrases.",
    "freins": "freins: [besoins-essentiels]",
    "communes": 'communes: ["15014"]',
    "date_maj": "date_maj: 2026-09-30",
}


def _missing_message(doc: Document, loc: tuple[str | int, ...], model: type[BaseModel]) -> str:
    name = str(loc[-1])
    owner = _model_at(model, tuple(part for part in loc[:-1] if isinstance(part, str))).__name__
    example = _REQUIRED_EXAMPLES.get((owner, name)) or _REQUIRED_EXAMPLES.get(name, f"{name}: …")
    stem = doc.path.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    example = example.format(id=identifiant_from(stem) or "mon-identifiant")
    where = "à cette ligne" if len(loc) == 1 else "dans cet élément"
    return f"champ obligatoire manquant : ajoutez {where} « {example} »"


def identifiant_from(text: str) -> str:
    """The identifiant a name becomes: « Épicerie sociale Saint-Flour » → epicerie-sociale-saint-flour."""
    return re.sub(r"[^a-z0-9]+", "-", _plain(text)).strip("-")


def file_name_problem(stem: str, typed_id: str) -> str | None:
    """What to do when a record's id and its file name differ, said once, with the name to give."""
    valid_stem = re.fullmatch(_IDENTIFIANT, stem) is not None
    if typed_id == stem and valid_stem:
        return None
    wanted = typed_id if re.fullmatch(_IDENTIFIANT, typed_id) else identifiant_from(typed_id)
    if wanted == stem:
        return None  # the id's own message says what to write
    if not valid_stem:
        return (
            f"le nom du fichier « {stem}.yml » doit être l'identifiant de la fiche (minuscules sans accent, "
            f"chiffres et tirets) : renommez le fichier en « {wanted}.yml »"
        )
    return (
        f"« {typed_id} » doit être identique au nom du fichier : renommez le fichier en « {wanted}.yml », "
        f"ou écrivez « id: {stem} »"
    )


_IDENTIFIANT = r"[a-z0-9]+(?:-[a-z0-9]+)*"


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel]:
    """The nested model a location points into (Territoire.bassins[0] → Bassin)."""
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[part].annotation
        while get_origin(annotation) is not None and not (
            isinstance(annotation, type) and issubclass(annotation, BaseModel)
        ):
            args = [a for a in get_args(annotation) if a is not type(None)]
            annotation = args[0]
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
    return model


_QUOTE_MAX = 80


def _shown(doc: Document | None, loc: tuple[str | int, ...], value: Any) -> str:
    """The value as typed, or as read when it was not a single scalar; long texts shortened."""
    typed = doc.source_text(loc) if doc is not None else None
    if typed is None:
        typed = value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    return typed if len(typed) <= _QUOTE_MAX else typed[: _QUOTE_MAX - 1] + "…"


def describe_error(error: ErrorDetails, model: type[BaseModel], doc: Document | None = None) -> str:
    """One pydantic error said in French: for a record file (`doc` gives the value as typed) or an import."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    loc = tuple(error["loc"])
    if kind == "missing":
        return "champ obligatoire manquant"
    if kind == "value_error" and "reason" in ctx:  # email-validator's refusal, in the data·inclusion models
        return f"« {_shown(doc, loc, value)} » n'est pas une adresse électronique valide (exemple : « contact@exemple.fr »)"
    if kind in ("value_error", "avertissement"):
        return str(ctx.get("error", error["msg"]))
    if kind.startswith("url"):
        return f"« {_shown(doc, loc, value)} » n'est pas une adresse web : elle doit commencer par https:// ou http://"
    if value is None and (kind.endswith("_type") or kind == "enum"):  # `nom:` with nothing after it
        return _empty_message(model, loc)
    if kind == "string_type":
        if isinstance(value, (list, dict)):
            return "un texte est attendu, pas une liste ni un ensemble de champs"
        typed = _shown(doc, loc, value)
        return f'« {typed} » doit être un texte : mettez la valeur entre guillemets ("{typed}")'
    if kind == "string_pattern_mismatch":
        if loc and loc[0] == "mainteneurs":
            return f"« {_shown(doc, loc, value)} » n'est pas un nom de compte de la forge (lettres, chiffres, - _ . ; sans @)"
        if ctx.get("pattern") != f"^{_IDENTIFIANT}$":
            return f"« {_shown(doc, loc, value)} » n'a pas le format attendu{_schema_of(model)}"
        typed = _shown(doc, loc, value)
        suggestion = identifiant_from(typed) if isinstance(value, str) else ""
        example = f"écrivez « {suggestion} »" if suggestion else "par exemple « ccas-aurillac »"
        return f"« {typed} » n'est pas un identifiant valide : lettres minuscules sans accent, chiffres et tirets ; {example}"
    if kind in ("string_too_short", "too_short"):
        minimum = ctx.get("min_length", 1)
        if not isinstance(value, str):  # a list (a text's own check may run first: then kind is too_short too)
            return f"au moins {minimum} valeur attendue"
        return "ne doit pas être vide" if minimum <= 1 else f"trop court : au moins {minimum} caractères"
    if kind in ("string_too_long", "too_long"):
        if not isinstance(value, str):
            return f"trop d'éléments : au plus {ctx.get('max_length')}"
        return f"trop long : au plus {ctx.get('max_length')} caractères"
    if kind == "enum":
        return _enum_message(doc, value, model, loc)
    if kind == "list_type":
        return "une liste est attendue, par exemple [valeur1, valeur2] ou une valeur par ligne précédée de « - »"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "une suite de champs « nom: valeur » est attendue"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"« {_shown(doc, loc, value)} » n'est pas une date au format AAAA-MM-JJ (par exemple 2026-09-30, sans guillemets)"
    if kind.startswith("float") or kind.startswith("int"):
        return f"« {_shown(doc, loc, value)} » n'est pas un nombre (par exemple 44.9264)"
    if kind.startswith("bool"):
        return f"« {_shown(doc, loc, value)} » : true ou false attendu"
    if kind == "frozen_set_type" or kind == "set_type":
        return "une liste est attendue"
    return error["msg"]


def _schema_of(model: type[BaseModel]) -> str:
    return " par le schéma data·inclusion" if model.__module__.startswith("data_inclusion") else ""


def _empty_message(model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    if loc and isinstance(loc[-1], int):
        return "élément de liste vide : complétez-le ou retirez le « - » en trop"
    names = [part for part in loc if isinstance(part, str)]
    try:
        required = _model_at(model, tuple(names[:-1])).model_fields[names[-1]].is_required()
    except (IndexError, KeyError, AttributeError, TypeError):
        required = False
    if required:
        return "valeur manquante : ce champ est obligatoire"
    return "valeur manquante : complétez le champ ou retirez la ligne"


def _enum_message(doc: Document | None, value: Any, model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    if isinstance(value, (list, dict)):
        return "une seule valeur est attendue ici, pas une liste ni un ensemble de champs"
    typed = _shown(doc, loc, value)
    return f"« {typed} » n'est pas une valeur autorisée{value_hint(typed, allowed_values(model, loc))}"


_SEE_CONTRIBUTING = " ; les valeurs possibles sont dans CONTRIBUTING.md, section « Les valeurs possibles »"


def value_hint(typed: str, allowed: dict[str, str], too_many: str = _SEE_CONTRIBUTING) -> str:
    """What to suggest for a value out of a list: the value itself when only its spelling differs, a close
    typo, or the allowed values with their French labels (`too_many` when they are too many to list)."""
    return _value_hint(_plain(typed), tuple(allowed.items()), too_many)


@lru_cache(maxsize=1024)  # the same mistake is often made in many files
def _value_hint(typed: str, allowed: tuple[tuple[str, str], ...], too_many: str) -> str:
    values = [value for value, _ in allowed]
    if typed in values:
        return f" : écrivez « {typed} »"
    close = difflib.get_close_matches(typed, values, n=1, cutoff=0.8)
    if close:
        return f" : vouliez-vous dire « {close[0]} » ?"
    starting = [v for v in values if typed and v.startswith(typed)]
    if not starting and "--" in typed:  # a known category with a misspelt detail
        starting = [v for v in values if v.startswith(typed.split("--")[0] + "--")]
    if starting:
        more = ", …" if len(starting) > 4 else ""
        return f" ; valeurs commençant ainsi : {', '.join(starting[:4])}{more}"
    if not values:
        return ""
    if len(values) <= 16:
        listed = ", ".join(f"{value} ({label})" if label else value for value, label in allowed)
        return f" ; valeurs possibles : {listed}"
    return too_many


def _plain(text: str) -> str:
    """Lower case without accents, as vocabulary values are written."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace(" ", "-")


def allowed_values(model: type[BaseModel], loc: tuple[str | int, ...]) -> dict[str, str]:
    """The values a vocabulary field accepts, each with its French label ('' when it has none)."""
    names = [part for part in loc if isinstance(part, str)]
    if not names:
        return {}
    owner = _model_at(model, tuple(names[:-1]))
    stack = [owner.model_fields[names[-1]].annotation]
    while stack:
        current = stack.pop()
        if isinstance(current, type) and issubclass(current, Enum):
            return enum_labels(current)
        stack.extend(get_args(current))
    return {}


def enum_labels(enum: type[Enum]) -> dict[str, str]:
    labels = frein_labels() if enum is FreinId else {}
    return {member.value: str(labels.get(member.value) or getattr(member, "label", "")) for member in enum}
