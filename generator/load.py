"""Strict YAML loading with libyaml's C parser, keeping every node's position.

The YAML 1.1 resolver of PyYAML turns `15000` into an integer and `no` into False; we keep the
resolved value (the models refuse it where a string is expected) but also the node tree, so that
every message can quote the text as typed and point at `line:col`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_SCALARS = yaml.constructor.SafeConstructor()
_TAG = "tag:yaml.org,2002:"

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
    """A file that cannot be read as one strict YAML mapping."""

    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


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


def load_file(path: Path, display_path: str | None = None) -> Document:
    """Read one record file; raise LoadError with a located French message."""
    shown = display_path or str(path)
    raw = path.read_bytes()
    return load_bytes(raw, shown)


def load_bytes(raw: bytes, shown: str) -> Document:
    text = _decode(raw)
    if not text.strip():
        raise LoadError(1, 1, "le fichier est vide : une fiche doit contenir au moins les champs obligatoires")
    try:
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
        if "&" in text or "*" in text:
            _refuse_anchors(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise LoadError(line, col, _french_problem(exc)) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) carry no mark
        raise LoadError(1, 1, f"YAML illisible : {exc}") from None
    if root is None:
        raise LoadError(1, 1, "le fichier ne contient que des commentaires : une fiche doit contenir au moins les champs obligatoires")
    if not isinstance(root, MappingNode):
        raise LoadError(root.start_mark.line + 1, root.start_mark.column + 1,
                        "le fichier doit être une suite de champs « nom: valeur », pas une liste ou une valeur seule")
    return Document(shown, _construct(root), root)


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):  # a BOM, as some Windows editors write it
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise LoadError(line, col, f"octet 0x{raw[exc.start]:02x} invalide : le fichier doit être enregistré en UTF-8") from None


def _french_problem(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or exc.context or "").strip()
    for english, french in _YAML_PROBLEMS.items():
        if problem.startswith(english):
            return f"syntaxe YAML invalide : {french}"
    return f"syntaxe YAML invalide ({problem})"


def _refuse_anchors(text: str) -> None:
    """Anchors and aliases make a record depend on distant lines: refused. Only scanned when `&` or `*` occur."""
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            raise LoadError(mark.line + 1, mark.column + 1,
                            f"alias YAML « *{event.anchor} » refusé : recopiez la valeur à cet endroit")
        if getattr(event, "anchor", None):
            raise LoadError(mark.line + 1, mark.column + 1,
                            f"ancre YAML « &{event.anchor} » refusée : les ancres et alias ne sont pas acceptés")


def _construct(node: Node) -> Any:
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise LoadError(key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                "un nom de champ doit être un simple texte")
            if key_node.tag == _TAG + "merge":
                raise LoadError(key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                "la clé de fusion « << » n'est pas acceptée : écrivez les champs en entier")
            key = key_node.value
            if key in seen:
                first = seen[key].start_mark.line + 1
                raise LoadError(key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                f"champ « {key} » en double (déjà présent ligne {first}) : gardez-en un seul")
            seen[key] = key_node
            result[key] = _construct(value_node)
        return result
    if isinstance(node, SequenceNode):
        return [_construct(item) for item in node.value]
    return _construct_scalar(node)


def _construct_scalar(node: ScalarNode) -> Any:
    tag = node.tag
    if tag == _TAG + "str":
        return node.value
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "bool":
        return _SCALARS.construct_yaml_bool(node)
    if tag == _TAG + "int":
        return _SCALARS.construct_yaml_int(node)
    if tag == _TAG + "float":
        return _SCALARS.construct_yaml_float(node)
    if tag == _TAG + "timestamp":
        try:
            return _SCALARS.construct_yaml_timestamp(node)
        except ValueError:
            raise LoadError(node.start_mark.line + 1, node.start_mark.column + 1,
                            f"« {node.value} » n'est pas une date valide (format attendu : 2026-09-30)") from None
    raise LoadError(node.start_mark.line + 1, node.start_mark.column + 1,
                    f"étiquette YAML « {tag} » non acceptée : écrivez une valeur simple")


def top_level_positions(doc: Document) -> dict[tuple[str | int, ...], tuple[int, int]]:
    """Positions of each top-level value and of the items of top-level lists, kept once the nodes are dropped."""
    positions: dict[tuple[str | int, ...], tuple[int, int]] = {(): (1, 1)}
    for key, value in doc.root.value:
        positions[(key.value,)] = (value.start_mark.line + 1, value.start_mark.column + 1)
        if isinstance(value, SequenceNode):
            for index, item in enumerate(value.value):
                positions[(key.value, index)] = (item.start_mark.line + 1, item.start_mark.column + 1)
    return positions
