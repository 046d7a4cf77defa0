"""The check's problems in the forms CI services read: GitHub workflow commands, GitLab Code Quality.

GitHub turns `::error file=…,line=…,col=…::message` lines of a job's output into annotations on the
faulty lines of the pull request; GitLab shows a Code Quality report (Code Climate JSON) in the
merge request. On a pull request, only the files it changes get annotations: the problems of other
partners' records (a record not checked for a year…) go to the job summary, where they do not look like
the author's to fix.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.contrib.changes import Changes, Records, changes_since, mentions_of_removed
from generator.records.diagnostics import Diagnostic, Report, Severity
from generator.records.load import LoadError, load_file
from generator.records.models import RECORD_KINDS

_GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor"}

Concerns = Callable[[Diagnostic], bool] | None


@dataclass
class ChangeScope:
    """What a pull request changes since its base revision: record files, and records removed."""

    prefix: str  # how the check shows the resources folder, e.g. « resources/ »
    files: set[str]  # relative to the resources folder: services/x.yml
    changes: Changes
    records: Records  # as they are now, read before validation (a refused record's text counts too)

    @classmethod
    def since(cls, resources: Path, shown_root: str, revision: str) -> ChangeScope:
        prefix = f"{shown_root.rstrip('/')}/" if shown_root else ""
        changes, files, records = changes_since(resources, revision)
        return cls(prefix, files, changes, records)

    def concerns(self, diagnostic: Diagnostic) -> bool:
        return diagnostic.path.removeprefix(self.prefix) in self.files

    def warn_mentions_of_removed(self, resources: Path, report: Report) -> None:
        """A record whose description still names a removed record: its page would mislead."""
        texts = {
            key: data["description"]
            for key, data in self.records.items()
            if data and isinstance(data.get("description"), str)
        }
        folders = {model.kind: model.folder for model in RECORD_KINDS}
        for (kind, stem), removed in mentions_of_removed(self.changes, texts):
            relative = f"{folders[kind]}/{stem}.yml"
            try:
                line, col = load_file(resources / relative).position(("description",))
            except (LoadError, OSError):
                line, col = 1, 1
            report.warning(
                self.prefix + relative,
                line,
                col,
                "description",
                f"cite encore « {removed.name} » ({removed.kind} supprimé dans cette demande) : "
                "retirez-le de la description ou remplacez-le",
            )
            self.files.add(relative)  # the author's to fix, though the file was not changed


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_commands(report: Report, concerns: Concerns = None) -> list[str]:
    lines = []
    for d in sorted(report.diagnostics):
        if concerns is not None and not concerns(d):
            continue
        props = f"file={_escape_property(d.path)},line={d.line},col={d.col}"
        if d.field:
            props += f",title={_escape_property(d.field)}"
        lines.append(f"::{d.severity.value} {props}::{_escape_data(d.message)}")
    return lines


def github_summary(report: Report, concerns: Callable[[Diagnostic], bool]) -> str:
    """The problems of the files the pull request does not change, for the job summary (Markdown)."""
    others = [d for d in sorted(report.diagnostics) if not concerns(d)]
    if not others:
        return ""
    lines = [
        "### Autres fiches",
        "",
        "Ces fiches ne sont pas modifiées par cette demande ; leurs problèmes sont signalés à leurs mainteneurs, "
        "vous n'avez rien à y faire.",
        "",
    ]
    lines += [f"- `{d.path}` ligne {d.line} : {d.severity.value} : {_markdown(d)}" for d in others]
    return "\n".join(lines) + "\n\n"


def _markdown(d: Diagnostic) -> str:
    text = f"{d.field} : {d.message}" if d.field else d.message
    return text.replace("\n", " ").replace("|", "\\|").replace("<", "&lt;")


def gitlab_code_quality(report: Report, concerns: Concerns = None) -> str:
    """Code Climate issues; a fingerprint stays the same while the problem does, even if lines move."""
    seen: Counter[tuple[str, str, str]] = Counter()
    issues = []
    for d in sorted(report.diagnostics):
        if concerns is not None and not concerns(d):
            continue
        key = (d.path, d.field, d.message)
        seen[key] += 1
        issues.append(_issue(d, hashlib.sha256("\0".join([*key, str(seen[key])]).encode()).hexdigest()))
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


def _issue(d: Diagnostic, fingerprint: str) -> dict:
    return {
        "type": "issue",
        "check_name": f"annuaire-{d.severity.value}",
        "description": f"{d.field}: {d.message}" if d.field else d.message,
        "categories": ["Bug Risk"],
        "severity": _GITLAB_SEVERITY[d.severity],
        "fingerprint": fingerprint,
        "location": {"path": d.path, "lines": {"begin": d.line}},
    }
