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
        line, col = doc.position(loc[:-1])
        return line, col, field_path(loc), "champ obligatoire manquant"
    if kind == "extra_forbidden":
        line, col = doc.position(loc, at_key=True)
        return line, col, field_path(loc), _unknown_field(loc, model)
    if len(loc) == 1 and loc[0] in _COMPANIONS and loc[0] not in doc.data and _COMPANIONS[loc[0]] in doc.data:
        line, col = doc.position((_COMPANIONS[loc[0]],), at_key=True)
    else:
        line, col = doc.position(loc)
    return line, col, field_path(loc), _message(doc, error, model)


def _unknown_field(loc: tuple[str | int, ...], model: type[BaseModel]) -> str:
    known = list(_model_at(model, loc[:-1]).model_fields)
    name = str(loc[-1])
    visible = _SPACES.sub("", name)
    if visible != name and visible in known:
        return f"champ inconnu : espace ou caractère invisible dans le nom, vouliez-vous dire « {visible} » ?"
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f"champ inconnu : vouliez-vous dire « {close[0]} » ?"
    return "champ inconnu (les champs possibles sont décrits dans CONTRIBUTING.md)"


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


def _shown(doc: Document, loc: tuple[str | int, ...], value: Any) -> str:
    """The value as typed, or as read when it was not a single scalar; long texts shortened."""
    typed = doc.source_text(loc)
    if typed is None:
        typed = value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    return typed if len(typed) <= _QUOTE_MAX else typed[: _QUOTE_MAX - 1] + "…"


def _message(doc: Document, error: ErrorDetails, model: type[BaseModel]) -> str:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    loc = tuple(error["loc"])
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
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
        return f"« {_shown(doc, loc, value)} » n'est pas un identifiant valide : lettres minuscules sans accent, chiffres et tirets (par exemple « ccas-aurillac »)"
    if kind in ("string_too_short", "too_short"):
        if kind == "too_short" or ctx.get("min_length", 1) <= 1:
            return (
                "ne doit pas être vide"
                if kind == "string_too_short"
                else f"au moins {ctx.get('min_length', 1)} valeur attendue"
            )
        return f"trop court : au moins {ctx['min_length']} caractères"
    if kind in ("string_too_long", "too_long"):
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


def _enum_message(doc: Document, value: Any, model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    if isinstance(value, (list, dict)):
        return "une seule valeur est attendue ici, pas une liste ni un ensemble de champs"
    value = _shown(doc, loc, value)
    return f"« {value} » n'est pas une valeur autorisée{_enum_hint(_plain(value), tuple(_allowed_values(model, loc)))}"


@lru_cache(maxsize=1024)
def _enum_hint(typed: str, allowed: tuple[str, ...]) -> str:
    """What to suggest for a value out of a vocabulary (the same mistake is often made in many files)."""
    close = difflib.get_close_matches(typed, allowed, n=1, cutoff=0.6)
    if close:
        return f" : vouliez-vous dire « {close[0]} » ?"
    starting = [v for v in allowed if typed and v.startswith(typed)]
    if not starting and "--" in typed:  # a known category with a misspelt detail
        starting = [v for v in allowed if v.startswith(typed.split("--")[0] + "--")]
    if starting:
        more = ", …" if len(starting) > 4 else ""
        return f" ; valeurs commençant ainsi : {', '.join(starting[:4])}{more}"
    if len(allowed) <= 12:
        return f" (valeurs possibles : {', '.join(allowed)})"
    return " (voir la liste des valeurs dans le schéma ou CONTRIBUTING.md)"


def _plain(text: str) -> str:
    """Lower case without accents, as vocabulary values are written."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace(" ", "-")


def _allowed_values(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    names = [part for part in loc if isinstance(part, str)]
    if not names:
        return []
    owner = _model_at(model, tuple(names[:-1]))
    annotation = owner.model_fields[names[-1]].annotation
    stack = [annotation]
    while stack:
        current = stack.pop()
        if isinstance(current, type) and issubclass(current, Enum):
            return [member.value for member in current]
        stack.extend(get_args(current))
    return []
