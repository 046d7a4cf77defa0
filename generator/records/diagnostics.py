"""Problems found in the records, reported compiler style (`file:line:col: severity: field: message`)."""

from __future__ import annotations

import errno
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


QUOTE_MAX = 80
# A value quoted in a message (« … »), however long it was typed.
_QUOTED = re.compile(rf"« ([^«»]{{{QUOTE_MAX + 1},}}) »")


def shorten(text: str, limit: int = QUOTE_MAX) -> str:
    """A value as quoted in a message: at most `limit` characters, « … » marking the cut, on one line."""
    return one_line(text if len(text) <= limit else text[: limit - 1] + "…")


def _shorten_quotes(message: str) -> str:
    return _QUOTED.sub(lambda found: f"« {found.group(1)[: QUOTE_MAX - 1]}… »", message)


_OS_PROBLEMS = {
    errno.ENAMETOOLONG: "chemin trop long",
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.ENOTDIR: "une partie du chemin n'est pas un dossier",
    errno.EISDIR: "c'est un dossier",
    errno.EACCES: "accès refusé",
    errno.EPERM: "opération non permise",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.ENOSPC: "disque plein",
    errno.EEXIST: "existe déjà",
    errno.EADDRINUSE: "port déjà utilisé par un autre programme",
    errno.EADDRNOTAVAIL: "adresse réseau indisponible",
    errno.ELOOP: "liens symboliques en boucle",
}


def os_problem(exc: OSError) -> str:
    """A system error (a file, a folder, a port) said in French."""
    return _OS_PROBLEMS.get(exc.errno or 0) or exc.strerror or type(exc).__name__


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
        return one_line(f"{where}: {self.severity.value}: {_shorten_quotes(what)}")


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
