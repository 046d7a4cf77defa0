"""`annuaire diff`: what a pull request changes in the records, fiche by fiche and field by field.

The summary is Markdown, readable in a terminal and in a CI job summary. Records are compared as
read from YAML, before validation, so that a change is described even when the record has errors
(the check reports those).
"""

from __future__ import annotations

import difflib
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import yaml

from generator.contrib.schema import field_label
from generator.records.french import plural
from generator.records.load import LoadError, load_file
from generator.records.models import RECORD_KINDS

SHORT_TEXT = 80


class RevisionError(Exception):
    """The base revision cannot be read from git."""


@dataclass
class RecordChange:
    kind: str
    id: str
    name: str
    lines: list[str] = field(default_factory=list)  # one Markdown line per changed field
    details: list[str] = field(default_factory=list)  # Markdown blocks for long texts


@dataclass
class Changes:
    added: list[RecordChange] = field(default_factory=list)
    removed: list[RecordChange] = field(default_factory=list)
    modified: list[RecordChange] = field(default_factory=list)


def read_records(resources: Path) -> dict[tuple[str, str], dict[str, Any] | None]:
    """(kind, id) → the record's data, or None when the file is not readable YAML."""
    records: dict[tuple[str, str], dict[str, Any] | None] = {}
    for model in RECORD_KINDS:
        folder = resources / model.folder
        for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
            try:
                records[(model.kind, path.stem)] = load_file(path).data
            except (LoadError, OSError):
                records[(model.kind, path.stem)] = None
    return records


def compare(
    before: dict[tuple[str, str], dict[str, Any] | None], after: dict[tuple[str, str], dict[str, Any] | None]
) -> Changes:
    changes = Changes()
    for key in sorted(after.keys() - before.keys()):
        changes.added.append(RecordChange(*key, _name(key, after[key])))
    for key in sorted(before.keys() - after.keys()):
        changes.removed.append(RecordChange(*key, _name(key, before[key])))
    for key in sorted(before.keys() & after.keys()):
        old, new = before[key], after[key]
        if old == new:
            continue
        change = RecordChange(*key, _name(key, new if new is not None else old))
        if new is None:
            change.lines.append("fichier illisible : voir les erreurs de la vérification")
        elif old is None:
            change.lines.append("fichier de nouveau lisible")
            _describe_fields({}, new, change)
        else:
            _describe_fields(old, new, change)
        changes.modified.append(change)
    return changes


def _name(key: tuple[str, str], data: dict[str, Any] | None) -> str:
    nom = (data or {}).get("nom")
    return nom.strip() if isinstance(nom, str) and nom.strip() else key[1]


def _describe_fields(old: dict[str, Any], new: dict[str, Any], change: RecordChange) -> None:
    names = list(new) + [n for n in old if n not in new]
    for name in names:
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        label = _lower_first(field_label(name))
        if isinstance(before, list) and isinstance(after, list) and _plain_list(before) and _plain_list(after):
            added = [v for v in after if v not in before]
            removed = [v for v in before if v not in after]
            parts = []
            if added:
                parts.append("ajout de " + ", ".join(_inline(v) for v in added))
            if removed:
                parts.append("retrait de " + ", ".join(_inline(v) for v in removed))
            change.lines.append(f"{label} : {' ; '.join(parts) or 'ordre modifié'}")
        elif _short(before) and _short(after):
            change.lines.append(f"{label} : {_inline(before)} → {_inline(after)}")
        else:
            change.lines.append(f"{label} : modification détaillée ci-dessous")
            change.details.append(_detail_block(label, before, after))


def _plain_list(values: list[Any]) -> bool:
    return all(not isinstance(v, (list, dict)) for v in values)


def _short(value: Any) -> bool:
    if isinstance(value, (list, dict)):
        return False
    return value is None or ("\n" not in str(value).strip() and len(str(value)) <= SHORT_TEXT)


def _text(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>|~])")


def escape_markdown(text: str) -> str:
    """Text typed by a partner, shown as such in Markdown (no link, emphasis or HTML)."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def _inline(value: Any) -> str:
    if value is None or value == "":
        return "(vide)"
    return escape_markdown(_text(value))


def _detail_block(label: str, before: Any, after: Any) -> str:
    old, new = _block_lines(before), _block_lines(after)
    diff = list(difflib.unified_diff(old, new, "avant", "après", lineterm="", n=2))[2:]
    # Fenced with more backticks than any run in the text, so the text cannot close the block.
    longest = max((len(run) for run in re.findall(r"`+", "\n".join(diff))), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([f"<details><summary>{label}</summary>", "", f"{fence}diff", *diff, fence, "", "</details>"])


def _block_lines(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, dict)):
        return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=False).splitlines()
    return _text(value).splitlines()


def to_markdown(changes: Changes) -> str:
    counts = [
        (len(changes.modified), "fiche modifiée", "fiches modifiées"),
        (len(changes.added), "fiche ajoutée", "fiches ajoutées"),
        (len(changes.removed), "fiche supprimée", "fiches supprimées"),
    ]
    lines = ["## Modifications des fiches", ""]
    said = [plural(n, one, many) for n, one, many in counts if n]
    if not said:
        return "\n".join(lines + ["Aucune fiche n'est modifiée.", ""])
    lines += [", ".join(said) + ".", ""]
    if changes.modified:
        lines += ["### Fiches modifiées", ""]
        for change in changes.modified:
            lines.append(f"- **{_inline(change.name)}** ({change.kind} `{change.id}`)")
            lines += [f"  - {line}" for line in change.lines]
            lines += ["", *_indent_blocks(change.details)] if change.details else []
        lines.append("")
    for title, records in (("### Fiches ajoutées", changes.added), ("### Fiches supprimées", changes.removed)):
        if records:
            lines += [title, ""]
            lines += [f"- **{_inline(c.name)}** ({c.kind} `{c.id}`)" for c in records]
            lines.append("")
    return "\n".join(lines)


def _indent_blocks(blocks: list[str]) -> list[str]:
    lines = []
    for block in blocks:
        lines += [f"  {line}" if line else "" for line in block.splitlines()] + [""]
    return lines


def _lower_first(label: str) -> str:
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def checkout_revision(resources: Path, revision: str, into: Path) -> Path:
    """Extract the records folder as it was at `revision` into `into`; return the extracted folder."""
    where = resources

    def git(*args: str) -> bytes:
        result = subprocess.run(["git", "-C", str(where), *args], capture_output=True)
        if result.returncode:
            message = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise RevisionError(message[-1] if message else "git a échoué")
        return result.stdout

    try:
        prefix = git("rev-parse", "--show-prefix").decode().strip()
        top = git("rev-parse", "--show-toplevel").decode().strip()
    except FileNotFoundError:
        raise RevisionError("la commande git est introuvable") from None
    except RevisionError:
        raise RevisionError(f"« {resources} » n'est pas dans un dépôt git") from None
    where = Path(top)  # paths given to ls-tree and archive are then the repository's own
    try:
        git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except RevisionError:
        raise RevisionError(f"révision « {revision} » introuvable dans le dépôt") from None
    target = into / "avant"
    target.mkdir()
    if not git("ls-tree", "--name-only", revision, "--", prefix or "."):
        return target  # the records folder did not exist yet
    archive = git("archive", "--format=tar", revision, "--", prefix or ".")
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target / prefix if prefix else target


def diff_against_revision(resources: Path, revision: str) -> Changes:
    with tempfile.TemporaryDirectory(prefix="annuaire-diff-") as tmp:
        before = read_records(checkout_revision(resources, revision, Path(tmp)))
    return compare(before, read_records(resources))


def diff_folders(before: Path, after: Path) -> Changes:
    return compare(read_records(before), read_records(after))
