"""Strict YAML loading with libyaml's C parser, keeping every node's position.

The YAML 1.1 resolver of PyYAML turns `15000` into an integer and `no` into False; we keep the
resolved value (the models refuse it where a string is expected) but also the node tree, so that
every message can quote the text as typed and point at `line:col`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_SCALARS = yaml.constructor.SafeConstructor()
_TAG = "tag:yaml.org,2002:"
_STR, _MERGE = _TAG + "str", _TAG + "merge"

# Anchors (&), aliases (*) and tags (!) can only open a node: at the start of a line, or after one of
# `- : ? [ { ,` and blanks. Only a text where one of them may occur is read a second time, event by
# event, to find them: a Markdown *italique* inside a sentence does not cost that second pass.
_MAY_HAVE_PROPERTIES = re.compile(r"(?:^|[-:?\[{,\r\x85\u2028\u2029])[ \t]*[&*!]", re.MULTILINE)
# Each level of nesting needs one of these indicators, so a text with few of them cannot nest deeply.
_NESTING_INDICATORS = "-:?[{"
MAX_DEPTH = 100  # a record needs 4; the C composer overflows the stack somewhere between 10,000 and 100,000
# Characters libyaml's reader refuses (YAML 1.1 printable set).
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")

# libyaml's most frequent syntax problems, said in French for the person who typed them.
_YAML_PROBLEMS = {
    "mapping values are not allowed": "deux-points inattendu (une valeur contenant « : » doit être entre guillemets)",
    "did not find expected node content": "valeur attendue à cet endroit (virgule en trop ou crochet non refermé ?)",
    "but found another document": "un seul document YAML par fichier (retirez le « --- » supplémentaire)",
    "found character '\\t' that cannot start any token": "tabulation interdite : indentez avec des espaces",
    "found character that cannot start any token": "caractère inattendu en début de valeur (mettez la valeur entre guillemets)",
    "could not find expected ':'": "« : » attendu après le nom du champ",
    "did not find expected key": "indentation incohérente : champ attendu à cet endroit",
    "did not find expected '-' indicator": "indentation incohérente : élément de liste « - » attendu",
    "found unexpected end of stream": "fin de fichier inattendue (guillemet ou crochet non refermé ?)",
    "did not find expected ',' or ']'": "« , » ou « ] » attendu dans la liste entre crochets",
    "did not find expected ',' or '}'": "« , » ou « } » attendu dans le dictionnaire entre accolades",
    "found undefined tag handle": "étiquette YAML inconnue",
    "block sequence entries are not allowed in this context": "élément de liste « - » mal placé (vérifiez l'indentation)",
    "found unknown escape character": "séquence d'échappement inconnue entre guillemets doubles (utilisez des guillemets simples)",
    "control characters are not allowed": "caractère de contrôle interdit",
    "found a tab character that violates indentation": "tabulation interdite : indentez avec des espaces",
    "found a tab character where an indentation space is expected": "tabulation interdite : indentez avec des espaces",
}


class LoadError(Exception):
    """A file that cannot be read as one strict YAML mapping; `field` says where, when known (`bassins[0].nom`)."""

    def __init__(self, line: int, col: int, message: str, field: str = "", *, syntax: bool = False):
        super().__init__(message)
        self.line, self.col, self.message, self.field = line, col, message, field
        self.syntax = syntax  # a YAML syntax error: the reading may go on past its line

    def inside(self, part: str | int) -> LoadError:
        """The same error, its field named from the enclosing mapping (key) or list (index)."""
        if isinstance(part, int):  # items of a plain list are named by the list, as in messages.field_path
            if self.field:
                self.field = f"[{part}]{self.field}" if self.field.startswith("[") else f"[{part}].{self.field}"
        elif not self.field:
            self.field = part
        else:
            self.field = f"{part}{self.field}" if self.field.startswith("[") else f"{part}.{self.field}"
        return self


@dataclass
class Document:
    """A record's data and the YAML nodes it came from."""

    path: str
    data: dict[str, Any]
    root: MappingNode

    def node_at(self, loc: tuple[str | int, ...]) -> tuple[Node | None, Node | None]:
        """(key node, value node) of the deepest existing node on the path `loc`."""
        key: Node | None = None
        node: Node = self.root
        for part in loc:
            if isinstance(node, MappingNode) and isinstance(part, str):
                found = next(((k, v) for k, v in node.value if k.value == part), None)
                if found is None:
                    break
                key, node = found
            elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
                key, node = None, node.value[part]
            else:
                break
        return key, node

    def position(self, loc: tuple[str | int, ...], *, at_key: bool = False) -> tuple[int, int]:
        """1-based line and column of the value at `loc` (or of its key)."""
        key, node = self.node_at(loc)
        target = key if (at_key and key is not None) else node
        if target is None:
            return 1, 1
        mark = target.start_mark
        return mark.line + 1, mark.column + 1

    def source_text(self, loc: tuple[str | int, ...]) -> str | None:
        """The scalar exactly as typed at `loc`, if that is where the path ends."""
        _, node = self.node_at(loc)
        return node.value if isinstance(node, ScalarNode) else None


def load_file(path: Path | str, display_path: str | None = None) -> Document:
    """Read one record file; raise LoadError with a located French message."""
    shown = display_path or str(path)
    with open(path, "rb") as file:
        raw = file.read()
    return load_bytes(raw, shown)


def load_bytes(raw: bytes, shown: str) -> Document:
    text = _decode(raw)
    if not text.strip():
        raise LoadError(1, 1, "le fichier est vide : une fiche doit contenir au moins les champs obligatoires")
    try:
        if (("&" in text or "*" in text or "!" in text) and _MAY_HAVE_PROPERTIES.search(text)) or sum(
            map(text.count, _NESTING_INDICATORS)
        ) >= MAX_DEPTH:
            _refuse_properties_and_depth(text)  # before composing: the C composer recurses without limit
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = culprit_mark(exc)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise LoadError(line, col, _french_problem(exc, _char_at(text, line, col)), syntax=True) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(text, exc) from None
    except yaml.YAMLError as exc:
        raise LoadError(1, 1, f"syntaxe YAML invalide ({_one_line(str(exc))})") from None
    if root is None:
        raise LoadError(
            1,
            1,
            "le fichier ne contient que des commentaires : une fiche doit contenir au moins les champs obligatoires",
        )
    if not isinstance(root, MappingNode):
        raise LoadError(
            root.start_mark.line + 1,
            root.start_mark.column + 1,
            "le fichier doit être une suite de champs « nom: valeur », pas une liste ou une valeur seule",
        )
    return Document(shown, _construct(root), root)


def culprit_mark(exc: yaml.MarkedYAMLError):
    """Where the person should look: a key without its « : » is found only on the next line, so point at the key."""
    if (exc.problem or "").startswith("could not find expected ':'") and exc.context_mark is not None:
        return exc.context_mark
    return exc.problem_mark or exc.context_mark


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):  # a BOM, as some Windows editors write it
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8")) + 1  # in characters, as editors count
        raise LoadError(
            line, col, f"octet 0x{raw[exc.start]:02x} invalide : le fichier doit être enregistré en UTF-8"
        ) from None


def _french_problem(exc: yaml.MarkedYAMLError, found: str = "") -> str:
    problem = (exc.problem or exc.context or "").strip()
    if found == "\t" and problem.startswith("found character"):
        return "syntaxe YAML invalide : tabulation interdite : indentez avec des espaces"
    for english, french in _YAML_PROBLEMS.items():
        if problem.startswith(english):
            return f"syntaxe YAML invalide : {french}"
    return f"syntaxe YAML invalide ({_one_line(problem)})"


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _reader_error(text: str, exc: yaml.reader.ReaderError) -> LoadError:
    """libyaml's reader refuses control characters; say which one and where."""
    found = _NOT_PRINTABLE.search(text)
    if found is None:
        return LoadError(1, 1, f"YAML illisible ({_one_line(str(exc))})")
    line, col = _line_col(text, found.start())
    return LoadError(
        line,
        col,
        f"caractère de contrôle U+{ord(found.group()):04X} interdit : retirez-le (il vient souvent d'un copier-coller)",
    )


def _char_at(text: str, line: int, col: int) -> str:
    """The character at a 1-based position, counting line breaks as libyaml does ('' past the end)."""
    start = 0
    if line > 1:
        for number, found in enumerate(_LINE_BREAK.finditer(text), start=2):
            if number == line:
                start = found.end()
                break
        else:
            return ""
    index = start + col - 1
    return text[index] if index < len(text) else ""


def _line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of `text[index]`, counting line breaks as libyaml does."""
    line, start = 1, 0
    for found in _LINE_BREAK.finditer(text, 0, index):
        line, start = line + 1, found.end()
    return line, index - start + 1


def _typed_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _refuse_properties_and_depth(text: str) -> None:
    """Refuse anchors, aliases and explicit tags, and nesting deeper than MAX_DEPTH, reading the events once.

    Anchors and aliases make a record depend on distant lines; a tag such as `!!str` or `!!float` changes
    what a value means far from the person reading it. Neither is needed to write a record.
    """
    depth = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        mark = event.start_mark
        assert mark is not None  # libyaml marks every event
        if isinstance(event, yaml.AliasEvent):
            raise LoadError(
                mark.line + 1,
                mark.column + 1,
                f"alias YAML « *{event.anchor} » refusé : recopiez la valeur à cet endroit",
            )
        if anchor := getattr(event, "anchor", None):
            raise LoadError(
                mark.line + 1,
                mark.column + 1,
                f"ancre YAML « &{anchor} » refusée : les ancres et alias ne sont pas acceptés",
            )
        if tag := getattr(event, "tag", None):
            raise LoadError(
                mark.line + 1,
                mark.column + 1,
                f"étiquette YAML « {_typed_tag(tag)} » refusée : écrivez la valeur seule "
                "(entre guillemets si c'est un texte)",
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise LoadError(
                    mark.line + 1,
                    mark.column + 1,
                    f"plus de {MAX_DEPTH} niveaux d'imbrication : une fiche ne contient que des champs, "
                    "des listes et, pour les bassins, des listes de champs",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _construct(node: Node) -> Any:
    """Python values of a node tree; plain texts, the most frequent values, take the shortest path."""
    if node.__class__ is ScalarNode:
        return node.value if node.tag == _STR else _construct_scalar(node)
    if node.__class__ is MappingNode:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode:
                raise LoadError(
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    "un nom de champ doit être un simple texte",
                )
            if key_node.tag == _MERGE:
                raise LoadError(
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    "la clé de fusion « << » n'est pas acceptée : écrivez les champs en entier",
                )
            key = key_node.value
            if key in result:
                first = next(k for k, _ in node.value if k.value == key).start_mark.line + 1
                raise LoadError(
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    f"champ en double (déjà présent ligne {first}) : gardez-en un seul",
                    key,
                )
            if value_node.__class__ is ScalarNode and value_node.tag == _STR:
                result[key] = value_node.value
                continue
            try:
                result[key] = _construct(value_node)
            except LoadError as exc:
                raise exc.inside(key) from None
        return result
    items = []
    for index, item in enumerate(node.value):
        if item.__class__ is ScalarNode and item.tag == _STR:
            items.append(item.value)
            continue
        try:
            items.append(_construct(item))
        except LoadError as exc:
            raise exc.inside(index) from None
    return items


def _construct_scalar(node: ScalarNode) -> Any:
    tag = node.tag
    if tag == _TAG + "str":
        return node.value
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "bool":
        return _SCALARS.construct_yaml_bool(node)
    if tag == _TAG + "int" or tag == _TAG + "float":
        try:
            return _SCALARS.construct_yaml_int(node) if tag == _TAG + "int" else _SCALARS.construct_yaml_float(node)
        except (ValueError, OverflowError):  # « 0b_ », « 0x_ », or more than 4,300 digits
            raise LoadError(
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                f"« {_short(node.value)} » n'est pas un nombre valide : mettez la valeur entre guillemets "
                "si c'est un texte",
            ) from None
    if tag == _TAG + "timestamp":
        try:
            return _SCALARS.construct_yaml_timestamp(node)
        except (ValueError, OverflowError):  # 2026-02-30, or a time zone of 25 hours
            raise LoadError(
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                f"« {node.value} » n'est pas une date valide (format attendu : 2026-09-30)",
            ) from None
    raise LoadError(
        node.start_mark.line + 1,
        node.start_mark.column + 1,
        f"étiquette YAML « {_typed_tag(tag)} » refusée : écrivez la valeur seule",
    )


def top_level_positions(doc: Document) -> dict[tuple[str | int, ...], tuple[int, int]]:
    """Positions of each top-level value and of the items of top-level lists, kept once the nodes are dropped."""
    positions: dict[tuple[str | int, ...], tuple[int, int]] = {(): (1, 1)}
    for key, value in doc.root.value:
        positions[(key.value,)] = (value.start_mark.line + 1, value.start_mark.column + 1)
        if isinstance(value, SequenceNode):
            for index, item in enumerate(value.value):
                positions[(key.value, index)] = (item.start_mark.line + 1, item.start_mark.column + 1)
    return positions
