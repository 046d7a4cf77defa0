"""Reading a record past its YAML syntax errors, so that one check lists every problem of a file.

A syntax error stops libyaml. Each error is reported, then its line is repaired the way the person
obviously meant (a tab turned into spaces, `frais:payant` into `frais: payant`, a description line
indented like the lines above it) or, failing that, set aside; the file is read again and its other
fields are checked. A repair or a setting aside is kept only if the reading then goes further down the
file, so the loop always ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

from generator.records.load import Document, LoadError, culprit_mark, load_bytes

MAX_REPAIRS = 30  # beyond that many broken lines, the file is better rewritten than listed
_BREAKS = re.compile("(\r\n|[\n\r\x85\u2028\u2029])")  # the line breaks libyaml counts
_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)[ \t]*:(?:[ \t]|$)")
# `frais:payant`: a field name, a colon and the value without the space YAML needs (not `https://`).
_NO_SPACE = re.compile(r"^(?P<indent>[ \t]*)(?P<key>[A-Za-z_][A-Za-z0-9_]*):(?P<value>[^\s/].*)$")


@dataclass
class Recovered:
    """What could be read of a file: its document (None if nothing could be read) and its syntax problems."""

    document: Document | None
    problems: list[LoadError] = field(default_factory=list)
    set_aside: set[str] = field(default_factory=set)  # fields whose line was removed: not « missing »


def recover_bytes(raw: bytes, shown: str) -> Recovered:
    recovered = Recovered(None)
    parts: list[str] | None = None
    while True:
        try:
            recovered.document = load_bytes(raw, shown)
            return recovered
        except LoadError as exc:
            error = exc
        repair = None
        if error.syntax and len(recovered.problems) < MAX_REPAIRS:
            if parts is None:  # load_bytes has checked the encoding
                parts = _BREAKS.split(raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8"))
            repair = _repair(parts, error)
        if repair is None:
            recovered.problems.append(error)
            return recovered
        parts, problem, removed_key = repair
        recovered.problems.append(problem)
        if removed_key:
            recovered.set_aside.add(removed_key)
        raw = "".join(parts).encode("utf-8")


def _repair(parts: list[str], error: LoadError) -> tuple[list[str], LoadError, str] | None:
    """The first change of the faulty line after which libyaml reads further, with the problem to report."""
    index = 2 * (error.line - 1)  # parts alternate lines and line breaks
    if index >= len(parts):
        return None
    for changed, problem, removed_key in _candidates(parts, index, error):
        next_line = _first_error_line("".join(changed))
        if next_line is None or next_line > error.line:
            return changed, problem, removed_key
    return None


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _candidates(parts: list[str], index: int, error: LoadError) -> Iterator[tuple[list[str], LoadError, str]]:
    line = parts[index]
    if line.startswith(("---", "...")):
        return  # a second document: what follows is not this record's
    indent = _indent_of(line)
    above_index = _index_above(parts, index)
    above = parts[above_index] if above_index is not None else ""
    if above_index is not None and above.count("[") > above.count("]"):
        opened = _KEY.match(above)
        problem = LoadError(
            above_index // 2 + 1,
            len(above.rstrip()) + 1,
            "crochet « [ » non refermé : ajoutez « ] » à la fin de la liste",
            opened.group(1) if opened else "",
        )
        yield _with(parts, above_index, above.rstrip() + "]"), problem, ""
    if "\t" in indent:
        for spaces in dict.fromkeys([_indent_of(above).replace("\t", "  "), "  ", ""]):
            yield _with(parts, index, spaces + line[len(indent) :]), error, ""
    if found := _NO_SPACE.match(line):
        key, value = found["key"], found["value"]
        problem = LoadError(
            error.line,
            len(found["indent"]) + len(key) + 2,
            f"une espace est attendue après les deux-points : écrivez « {key}: {value.strip()} »",
            key,
        )
        yield _with(parts, index, f"{found['indent']}{key}: {value}"), problem, ""
    if (found := _KEY.match(line)) and ": " in (value := line[found.end() :].strip()) and value[0] not in "\"'[{|>":
        key = found.group(1)
        problem = LoadError(
            error.line,
            error.col,
            f'une valeur contenant « : » doit être entre guillemets : écrivez « {key}: "{value}" »',
            key,
        )
        yield _with(parts, index, f'{line[: found.end()].rstrip()} "{value}"'), problem, ""
    owner = _owning_key(parts, index)
    if owner and not indent and not _KEY.match(line):
        owner_key, owner_line = owner
        problem = LoadError(
            error.line,
            1,
            f"cette ligne continue le texte de « {owner_key} » (ligne {owner_line}) : décalez-la de deux espaces "
            "vers la droite, comme les lignes au-dessus",
            owner_key,
        )
        continuation = _indent_of(above) if above.startswith((" ", "\t")) else "  "
        yield _with(parts, index, continuation + line), problem, ""
    # Set the line aside, with the lines indented under it (a text or a list that belongs to it).
    changed = _with(parts, index, "")
    following = index + 2
    while following < len(parts) and parts[following].startswith((" ", "\t")) and len(indent) == 0:
        changed[following] = ""
        following += 2
    key = _KEY.match(line)
    yield changed, error, key.group(1) if key and not indent else ""


def _with(parts: list[str], index: int, line: str) -> list[str]:
    changed = list(parts)
    changed[index] = line
    return changed


def _index_above(parts: list[str], index: int) -> int | None:
    """The index of the closest line above that holds something other than a comment."""
    for above in range(index - 2, -1, -2):
        if parts[above].strip() and not parts[above].lstrip().startswith("#"):
            return above
    return None


def _owning_key(parts: list[str], index: int) -> tuple[str, int] | None:
    """The top-level field whose text a non-indented line seems to continue (`description: |` above it)."""
    for above in range(index - 2, -1, -2):
        text = parts[above]
        if not text.strip() or text.lstrip().startswith("#") or text.startswith((" ", "\t")):
            continue
        key = _KEY.match(text)
        value = text[key.end() :].strip() if key else ""
        if key and (value.startswith(("|", ">")) or " " in value) and not value.startswith(("[", "{", '"', "'")):
            return key.group(1), above // 2 + 1  # a text, on several lines or in words
        return None
    return None


def _first_error_line(text: str) -> int | None:
    try:
        yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = culprit_mark(exc)
        return mark.line + 1 if mark else 1
    except yaml.YAMLError:
        return 1
    return None
