"""Problems found in the records, reported compiler style (`file:line:col: severity: field: message`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
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
        return f"{where}: {self.severity.value}: {what}"


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
        files = _plural(self.files_checked, "fichier vérifié", "fichiers vérifiés")
        if not errors and not warnings:
            return f"{files} : aucune erreur."
        return f"{files} : {_plural(errors, 'erreur', 'erreurs')}, {_plural(warnings, 'avertissement', 'avertissements')}."


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count <= 1 else many}"
