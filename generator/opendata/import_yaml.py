"""Imported values as YAML text in the project's style: flow lists, literal blocks, quotes only where needed.

Every string must read back as written: what YAML would read as a number, a date, a boolean or a
line break is quoted.
"""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date
from typing import Any

from generator.records.load import LoadError, load_bytes

# Written between double quotes whatever they contain: YAML would read some of them as numbers or dates.
QUOTED = {"code_postal", "code_insee", "telephone", "siret", "horaires_accueil"}
WIDTH = 100  # description lines are wrapped at this width, as a person would type them
# Characters YAML reads as line breaks or refuses raw, which JSON's escaping leaves as they are.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")
# Words, sentences, addresses and links YAML reads as strings without asking the loader (most of what is
# written): a letter first, then no indicator that YAML reads inside a plain scalar (« : » and « # » are
# checked apart).
_SURELY_PLAIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿŒœ][\w ,.'’()/:@+?=&%~-]*[\w.)/]")
_YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n"}


def _plain_ok(text: str) -> bool:
    """A string YAML reads back as the same string without quotes."""
    if _SURELY_PLAIN.fullmatch(text) and ": " not in text and text.lower() not in _YAML_WORDS:
        return True
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
        if len(line) <= WIDTH or "  " in line or re.match(r"\s*(?:[-*+#]|\d+[.)])\s", line) or line.endswith("\\"):
            lines.append(line)
        else:
            lines.extend(textwrap.wrap(line, WIDTH, break_long_words=False, break_on_hyphens=False))
    return "\n".join(lines)


def _item(item: str) -> str:
    return item if _plain_ok(item) and not set(item) & set(",[]{}") else _quoted(item)


def to_yaml(values: dict[str, Any], header: list[str]) -> str:
    lines = [f"# {line}" for line in header]
    for name, value in values.items():
        if value is None or value == []:
            continue
        if isinstance(value, list):
            flow = f"{name}: [{', '.join(_item(item) for item in value)}]"
            if len(flow) <= WIDTH and "\n" not in flow:
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
