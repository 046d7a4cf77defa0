"""The check's problems in the forms CI services read: GitHub workflow commands, GitLab Code Quality.

GitHub turns `::error file=…,line=…,col=…::message` lines of a job's output into annotations on the
faulty lines of the pull request; GitLab shows a Code Quality report (Code Climate JSON) in the
merge request.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from generator.records.diagnostics import Diagnostic, Report, Severity

_GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_commands(report: Report) -> list[str]:
    lines = []
    for d in sorted(report.diagnostics):
        props = f"file={_escape_property(d.path)},line={d.line},col={d.col}"
        if d.field:
            props += f",title={_escape_property(d.field)}"
        lines.append(f"::{d.severity.value} {props}::{_escape_data(d.message)}")
    return lines


def gitlab_code_quality(report: Report) -> str:
    """Code Climate issues; a fingerprint stays the same while the problem does, even if lines move."""
    seen: Counter[tuple[str, str, str]] = Counter()
    issues = []
    for d in sorted(report.diagnostics):
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
