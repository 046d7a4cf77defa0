"""`annuaire codeowners`: the forge's CODEOWNERS file, generated from the structures' `mainteneurs`.

Each structure's file and the files of its services are owned by the accounts listed in the
structure's `mainteneurs`: the forge asks them to review every change to those records. GitHub and
GitLab read the same syntax (`/path @account`; the last matching line wins).
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from generator.records.catalog import Catalog

HEADER = """\
# Fichier généré par « annuaire codeowners » à partir du champ « mainteneurs » des structures :
# ne le modifiez pas à la main. Pour relire les fiches de votre structure, ajoutez votre compte
# dans « mainteneurs » de sa fiche ; le fichier est ensuite régénéré avec « make codeowners »."""

NO_DEFAULT = """\
# Aucun responsable par défaut : les fichiers sans mainteneur sont relus par les administrateurs
# du dépôt. Pour en désigner, renseignez CODEOWNERS_DEFAUT dans le Makefile."""


def codeowners_text(catalog: Catalog, resources: Path, root: Path, default_owners: list[str]) -> str:
    """CODEOWNERS content; paths are written from `root`, the repository's top folder."""
    lines = [HEADER, ""]
    if default_owners:
        lines.append("# Responsables par défaut de tout le dépôt (CODEOWNERS_DEFAUT dans le Makefile).")
        lines.append("* " + _mentions(default_owners))
    else:
        lines.append(NO_DEFAULT)
    for structure in sorted(catalog.structures.values(), key=lambda s: s.id):
        if not structure.mainteneurs:
            continue
        owners = _mentions(structure.mainteneurs)
        lines += ["", f"# {structure.nom} ({structure.id})"]
        records = [structure, *sorted(catalog.services_of(structure.id), key=lambda s: s.id)]
        for record in records:
            path = _from_root(resources / catalog.source(record).relative, root)
            lines.append(f"/{path} {owners}")
    return "\n".join(lines) + "\n"


def _mentions(accounts: list[str]) -> str:
    return " ".join(f"@{account.removeprefix('@')}" for account in accounts)


def _from_root(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path.resolve(), root.resolve())).as_posix()


def differences(path: Path, expected: str) -> list[str]:
    """Why the committed file is out of date: a located message, then the lines to change."""
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    if current == expected:
        return []
    diff = difflib.unified_diff(
        current.splitlines(), expected.splitlines(), f"{path} (actuel)", f"{path} (attendu)", lineterm=""
    )
    return [
        f"{path}:1:1: error: fichier pas à jour avec les mainteneurs des structures : lancez « make codeowners »",
        *diff,
    ]
