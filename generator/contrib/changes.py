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
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import yaml

from generator.contrib.schema import field_label
from generator.records.files import record_data
from generator.records.french import plural
from generator.records.horaires import OpeningHoursError, horaires_en_clair
from generator.records.models import RECORD_KINDS
from generator.referentiels import frein_labels

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


Records = dict[tuple[str, str], dict[str, Any] | None]


def read_records(resources: Path) -> Records:
    """(kind, id) → the record's data, or None when the file is not readable YAML."""
    records: dict[tuple[str, str], dict[str, Any] | None] = {}
    for model in RECORD_KINDS:
        folder = resources / model.folder
        for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
            records[(model.kind, path.stem)] = record_data(path, resources)
    return records


def compare(
    before: dict[tuple[str, str], dict[str, Any] | None], after: dict[tuple[str, str], dict[str, Any] | None]
) -> Changes:
    changes = Changes()
    for key in sorted(after.keys() - before.keys()):
        changes.added.append(RecordChange(*key, _name(key, after[key]), _outline(key, after[key], after, before)))
    for key in sorted(before.keys() - after.keys()):
        changes.removed.append(RecordChange(*key, _name(key, before[key]), _outline(key, before[key], before, after)))
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


def _outline(key: tuple[str, str], data: dict[str, Any] | None, records: Records, others: Records) -> list[str]:
    """What a reviewer needs to know of an added or removed record: its structure, freins and contact."""
    if data is None:
        return ["fichier illisible : voir les erreurs de la vérification"]
    lines = []
    structure_id = data.get("structure")
    if key[0] == "service" and isinstance(structure_id, str):
        structure = records.get(("structure", structure_id)) or others.get(("structure", structure_id))
        lines.append(f"structure : {_inline(_name(('structure', structure_id), structure))} (`{structure_id}`)")
    if isinstance(data.get("freins"), list):
        labels = frein_labels()
        lines.append("freins : " + ", ".join(_inline(labels.get(str(f), f)) for f in data["freins"]))
    for name in ("commune", "telephone", "courriel", "site_web", "horaires_accueil"):
        value = data.get(name)
        if value is None or value == "":
            continue
        shown = "; ".join(_hours_in_words(value)) if name == "horaires_accueil" else _text(value)
        lines.append(f"{_lower_first(field_label(name))} : {escape_markdown(shown)}")
    if key[0] == "service" and not any(data.get(n) for n in ("telephone", "courriel", "site_web")):
        lines.append("contact : celui de la structure")
    return lines


def _hours_in_words(value: Any) -> list[str]:
    """Opening hours as the site shows them (« Du lundi au vendredi : 9 h – 12 h »), or as typed if invalid."""
    try:
        return horaires_en_clair(str(value))
    except (ValueError, OpeningHoursError):
        return [_text(value)]


def _describe_fields(old: dict[str, Any], new: dict[str, Any], change: RecordChange) -> None:
    names = list(new) + [n for n in old if n not in new]
    for name in names:
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        label = _lower_first(field_label(name))
        if isinstance(before, list) or isinstance(after, list):  # a list added or removed whole: its items
            before, after = before if before is not None else [], after if after is not None else []
        if isinstance(before, list) and isinstance(after, list) and _plain_list(before) and _plain_list(after):
            added = [v for v in after if v not in before]
            removed = [v for v in before if v not in after]
            parts = []
            if added:
                parts.append("ajout de " + ", ".join(_inline(v) for v in added))
            if removed:
                parts.append("retrait de " + ", ".join(_inline(v) for v in removed))
            change.lines.append(f"{label} : {' ; '.join(parts) or 'ordre modifié'}")
        elif name == "horaires_accueil" and _short(before) and _short(after):
            was, now = ("; ".join(_hours_in_words(v)) if v else "" for v in (before, after))
            change.lines.append(f"{label} : {_inline(was)} → {_inline(now)}")
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
            for change in records:
                lines.append(f"- **{_inline(change.name)}** ({change.kind} `{change.id}`)")
                lines += [f"  - {line}" for line in change.lines]
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
    if revision.startswith("-"):  # git would read it as an option (`--output=…` writes a file)
        raise RevisionError(f"révision « {revision} » invalide : une révision ne commence pas par « - »")

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


def changes_since(resources: Path, revision: str) -> tuple[Changes, set[str], Records]:
    """The changes since `revision`, the record files (relative to `resources`, e.g. services/x.yml) added,
    changed or removed, and the records as they are now."""
    with tempfile.TemporaryDirectory(prefix="annuaire-diff-") as tmp:
        before = checkout_revision(resources, revision, Path(tmp))
        files = {
            relative
            for relative in _record_files(before) | _record_files(resources)
            if not (before / relative).is_file()
            or not (resources / relative).is_file()
            or (before / relative).read_bytes() != (resources / relative).read_bytes()
        }
        after = read_records(resources)
        return compare(read_records(before), after), files, after


def _record_files(resources: Path) -> set[str]:
    return {
        f"{model.folder}/{path.name}"
        for model in RECORD_KINDS
        if (resources / model.folder).is_dir()
        for path in (resources / model.folder).iterdir()
        if path.is_file()
    }


def mentions_of_removed(
    changes: Changes, texts: dict[tuple[str, str], str]
) -> list[tuple[tuple[str, str], RecordChange]]:
    """(record key, removed record) for each text that still names a removed record, by its name or its id."""
    found = []
    for removed in changes.removed:
        names = {_folded(removed.name), _folded(removed.id)}
        for key, text in texts.items():
            folded = _folded(text)
            if any(name and name in folded for name in names):
                found.append((key, removed))
    return found


def _folded(text: str) -> str:
    """Lower case, without accents nor typographic apostrophes: « Aide alimentaire d’urgence » matches."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())
