"""Reading a record file safely: only a regular file inside the resources folder, and not too big.

A symlink to /dev/zero would be read until memory runs out, a FIFO would block forever, a symlink loop
raises, and a symlink leading outside the repository would publish a file nobody reviewed. Each is
refused with a French message before the file is opened; the read itself is bounded.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

from generator.records.diagnostics import os_problem
from generator.records.load import LoadError, load_bytes

# A real record is a few kilobytes; a territory of 900 communes about 10. Reading YAML costs about 35 µs a
# node here, so that 200 kB (at most some 30,000 list items) are refused or read in about a second.
# Documented in CONTRIBUTING.md.
MAX_FILE_BYTES = 200_000


class UnsafeFile(Exception):
    """A file that is not read: its message says why, in French."""


def read_record(path: str, resources_root: str) -> bytes:
    """The bytes of `path`, a file expected inside `resources_root`; raise UnsafeFile otherwise."""
    try:
        target = os.path.realpath(path, strict=True)  # raises on a loop or a dangling link
        info = os.stat(target)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeFile("lien symbolique en boucle : remplacez-le par le fichier de la fiche") from None
        if exc.errno == errno.ENOENT:
            raise UnsafeFile("lien symbolique cassé : le fichier qu'il désigne n'existe pas") from None
        raise UnsafeFile(f"fichier illisible ({os_problem(exc)})") from None
    root = os.path.realpath(resources_root)
    if os.path.commonpath([root, target]) != root:
        raise UnsafeFile(
            "lien symbolique vers un fichier hors du dossier des fiches : "
            "copiez la fiche dans le dossier au lieu d'y faire un lien"
        )
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeFile(
            "ce n'est pas un fichier ordinaire (tube, périphérique ou socket) : une fiche est un fichier texte YAML"
        )
    if info.st_size > MAX_FILE_BYTES:
        raise UnsafeFile(_too_big(info.st_size))
    # O_NONBLOCK: if the file was swapped for a FIFO since the check, opening it does not wait for a writer.
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UnsafeFile(f"fichier illisible ({os_problem(exc)})") from None
    with os.fdopen(fd, "rb") as file:
        raw = file.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise UnsafeFile(_too_big(len(raw)))
    return raw


def _too_big(size: int) -> str:
    shown = f"{size / 1_000_000:.1f} Mo".replace(".", ",") if size >= 1_000_000 else f"{size // 1000} Ko"
    return (
        f"fichier de {shown} : une fiche ne doit pas dépasser {MAX_FILE_BYTES // 1000} Ko "
        "(une fiche fait d'ordinaire quelques kilo-octets)"
    )


def record_data(path: Path, resources: Path) -> dict[str, Any] | None:
    """The data of a record file read safely, or None when it is refused or not valid YAML."""
    try:
        return load_bytes(read_record(str(path), str(resources)), str(path)).data
    except (UnsafeFile, LoadError):
        return None
