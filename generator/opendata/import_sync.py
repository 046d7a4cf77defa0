"""Sync with the records already there: what is new, updated (which fields), unchanged or gone at the source.

An imported record is recognised by its `id_source`. On a new import, the fields data·inclusion carries
are replaced by the source's values, except those the territory curates: `LOCAL_FIELDS` (never in
data·inclusion) and the record's own `champs_locaux`. A record whose source no longer publishes it
gets `absent_de_la_source` (the date), never deleted. Unchanged records are not rewritten at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator.records.models import LOCAL_FIELDS, Service, Structure

# Chosen by the territory once the record exists, whatever the source says later.
KEPT_ON_UPDATE = {"id", "territoire", "structure", *LOCAL_FIELDS, "champs_locaux"}


@dataclass
class Outcome:
    path: Path
    notes: list[str]


@dataclass
class ImportResult:
    problems: list[str] = field(default_factory=list)
    new: list[Outcome] = field(default_factory=list)
    updated: list[Outcome] = field(default_factory=list)
    gone: list[Outcome] = field(default_factory=list)
    unchanged: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason → rows
    notes: list[str] = field(default_factory=list)

    def problem(self, where: str, severity: str, name: str, message: str) -> None:
        self.problems.append(f"{where}: {severity}: {name + ': ' if name else ''}{message}")

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def lines(self) -> list[str]:
        """Every problem, then each file written with what changed or what to check, then the summary."""
        lines = list(self.problems) + list(self.notes)
        for outcome in self.new:
            flags = f" ; à vérifier : {' ; '.join(outcome.notes)}" if outcome.notes else ""
            lines.append(f"nouvelle fiche : {outcome.path} (à relire{flags})")
        for outcome in self.updated:
            lines.append(f"mise à jour : {outcome.path} ({', '.join(outcome.notes)})")
        for outcome in self.gone:
            lines.append(f"absente de la source : {outcome.path} (gardée, à revoir)")
        skipped = ", ".join(f"{count} {reason}" for reason, count in sorted(self.skipped.items())) or "aucun"
        lines.append(
            f"Import terminé : {_count(len(self.new), 'nouvelle fiche', 'nouvelles fiches')}, "
            f"{_count(len(self.updated), 'mise à jour', 'mises à jour')}, "
            f"{_count(self.unchanged, 'inchangée', 'inchangées')}, "
            f"{_count(len(self.gone), 'absente de la source', 'absentes de la source')} ; "
            f"éléments ignorés : {skipped}."
        )
        return lines


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number <= 1 else many}"


def merged(existing: dict[str, Any], incoming: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """The record after a new import: the source's values, except the fields the territory keeps."""
    kept = KEPT_ON_UPDATE | set(existing.get("champs_locaux") or [])
    values = {}
    for name in names:
        if name == "absent_de_la_source":
            continue  # published again
        value = existing.get(name) if name in kept else incoming.get(name)
        if value is not None and value != []:
            values[name] = value
    return values


def changed_fields(before: Structure | Service, after: Structure | Service) -> list[str]:
    old, new = before.model_dump(), after.model_dump()
    return [name for name in new if old[name] != new[name]]


def flagged_gone(existing: dict[str, Any], today: date) -> dict[str, Any]:
    return {**existing, "absent_de_la_source": existing.get("absent_de_la_source") or today}
