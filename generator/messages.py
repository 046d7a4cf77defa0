"""pydantic's validation errors, said in French to the person who wrote the record."""

from __future__ import annotations

import difflib
import unicodedata
from datetime import date, datetime
from enum import Enum
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from generator.load import Document


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
    line, col = doc.position(loc)
    return line, col, field_path(loc), _message(doc, error, model)


def _unknown_field(loc: tuple[str | int, ...], model: type[BaseModel]) -> str:
    known = list(_model_at(model, loc[:-1]).model_fields)
    name = str(loc[-1])
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
        while get_origin(annotation) is not None and not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            args = [a for a in get_args(annotation) if a is not type(None)]
            annotation = args[0]
        model = annotation
    return model


def _shown(doc: Document, loc: tuple[str | int, ...], value: Any) -> str:
    typed = doc.source_text(loc)
    if typed is not None:
        return typed
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _message(doc: Document, error: ErrorDetails, model: type[BaseModel]) -> str:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    loc = tuple(error["loc"])
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "string_type":
        if isinstance(value, (list, dict)):
            return "un texte est attendu, pas une liste ni un ensemble de champs"
        typed = _shown(doc, loc, value)
        return f"« {typed} » doit être un texte : mettez la valeur entre guillemets (\"{typed}\")"
    if kind == "string_pattern_mismatch":
        if loc and loc[0] == "mainteneurs":
            return f"« {value} » n'est pas un nom de compte de la forge (lettres, chiffres, - _ . ; sans @)"
        return f"« {value} » n'est pas un identifiant valide : lettres minuscules sans accent, chiffres et tirets (par exemple « ccas-aurillac »)"
    if kind in ("string_too_short", "too_short"):
        if kind == "too_short" or ctx.get("min_length", 1) <= 1:
            return "ne doit pas être vide" if kind == "string_too_short" else f"au moins {ctx.get('min_length', 1)} valeur attendue"
        return f"trop court : au moins {ctx['min_length']} caractères"
    if kind in ("string_too_long", "too_long"):
        return f"trop long : au plus {ctx.get('max_length')} caractères"
    if kind == "enum":
        return _enum_message(value, model, loc)
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


def _enum_message(value: Any, model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    allowed = _allowed_values(model, loc)
    shown = f"« {value} » n'est pas une valeur autorisée"
    typed = _plain(str(value))
    close = difflib.get_close_matches(typed, allowed, n=1, cutoff=0.6)
    if close:
        return f"{shown} : vouliez-vous dire « {close[0]} » ?"
    starting = [v for v in allowed if typed and v.startswith(typed)]
    if not starting and "--" in typed:  # a known category with a misspelt detail
        starting = [v for v in allowed if v.startswith(typed.split("--")[0] + "--")]
    if starting:
        more = ", …" if len(starting) > 4 else ""
        return f"{shown} ; valeurs commençant ainsi : {', '.join(starting[:4])}{more}"
    if len(allowed) <= 12:
        return f"{shown} (valeurs possibles : {', '.join(allowed)})"
    return f"{shown} (voir la liste des valeurs dans le schéma ou CONTRIBUTING.md)"


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
