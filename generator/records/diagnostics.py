"""Problems found in the records, reported compiler style (`file:line:col: severity: field: message`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from generator.records.french import plural

# A problem is one line whatever the value it quotes: line breaks, control characters and invisible ones
# (non-breaking or zero-width spaces, byte order marks) are shown escaped (« a\nb », « \xa0id »), as a
# compiler would.
_INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\xa0\xad\u061c\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\ufff9-\ufffb]"
)
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(found: re.Match) -> str:
    char = found.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def one_line(text: str) -> str:
    return _INVISIBLE.sub(_escape, text)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: Severity
    field: str
    message: str

    def format(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        return one_line(f"{where}: {self.severity.value}: {what}")


@dataclass
class Report:
    """Every problem found in one run, errors and warnings apart."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files_checked: int = 0

    def error(self, path: str, line: int, col: int, field_name: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(path, line, col, Severity.ERROR, field_name, message))

    def warning(self, path: str, line: int, col: int, field_name: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(path, line, col, Severity.WARNING, field_name, message))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def lines(self) -> list[str]:
        return [d.format() for d in sorted(self.diagnostics)]

    def summary(self) -> str:
        errors, warnings = len(self.errors), len(self.warnings)
        files = plural(self.files_checked, "fichier vérifié", "fichiers vérifiés")
        if not errors and not warnings:
            return f"{files} : aucune erreur."
        return f"{files} : {plural(errors, 'erreur')}, {plural(warnings, 'avertissement')}."
