"""Fiches unchanged since the previous build are taken from it instead of being rendered again.

Each fiche gets a fingerprint of everything its page shows: its record, the records it names (structure,
partners, the structure's services), its territoire, its check date against today and its source file
(the correction link). One more fingerprint covers what every fiche shares: the generator's code, the
templates, the référentiels, the site's settings and the libraries that render. The build keeps them,
with each kind of fiche's shell and the size and date of each page written, in a manifest beside the
pages (MANIFEST). The next build renders only the fiches whose fingerprint changed; the others are
hard-linked from the previous site, whose files are never written in place (the atomic swap keeps
working, and a page edited by hand since is noticed by its size or date and rendered again). The search's
indexes are kept in the same manifest, by the fingerprint of their documents (search.py).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.records.catalog import Catalog
from generator.records.models import Service, Structure
from generator.site.page import PROJECT_ROOT, SiteSettings, fiche_path
from generator.site.render import Directory
from generator.site.stamp import produced_twice

MANIFEST = ".annuaire-empreintes.json"
_VERSION = 2
# What renders a fiche besides our own files: a new release of one of them renders again.
_LIBRARIES = ("jinja2", "markdown", "pymdown-extensions", "segno", "phonenumbers", "pydantic")
_SOURCES = (PROJECT_ROOT / "generator", PROJECT_ROOT / "site_templates")

Record = Service | Structure


def _digest(*parts: str | bytes) -> str:
    hashed = hashlib.blake2b(digest_size=16)
    for part in parts:
        hashed.update(part.encode("utf-8") if isinstance(part, str) else part)
        hashed.update(b"\0")
    return hashed.hexdigest()


def code_fingerprint(catalog: Catalog, settings: SiteSettings, local_files: bool) -> str:
    """What every fiche shares: code, templates and référentiels, settings, libraries, the territoires and
    their centres."""
    hashed = hashlib.blake2b(digest_size=16)
    for root in _SOURCES:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            hashed.update(str(path.relative_to(PROJECT_ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _LIBRARIES:
        hashed.update(f"{name}={importlib.metadata.version(name)}\0".encode())
    hashed.update(settings.model_dump_json().encode())
    hashed.update(b"index.html" if local_files else b"")
    for territoire in sorted(catalog.territoires.values(), key=lambda t: t.id):
        hashed.update(territoire.model_dump_json().encode())
    # A fiche whose hours follow the sun and that has no coordinates takes its territory's centre, which any
    # record of the territory moves.
    hashed.update(repr(sorted(Directory(catalog).territory_centres.items())).encode())
    return hashed.hexdigest()


def fiche_fingerprints(catalog: Catalog) -> dict[str, str]:
    """Page path → fingerprint of what the fiche shows, for every service and structure."""
    dumped: dict[str, str] = {}  # each structure is named by many services: dumped once

    def structure(structure_id: str) -> str:
        if structure_id not in dumped:
            dumped[structure_id] = catalog.structures[structure_id].model_dump_json()
        return dumped[structure_id]

    services = {service.id: service.model_dump_json() for service in catalog.services.values()}

    def common(record: Record) -> tuple[str, ...]:
        return (catalog.source(record).relative, str(catalog.months_since_check(record)))

    fingerprints = {}
    for service in catalog.services.values():
        named = [structure(service.structure), *(structure(p) for p in service.partenaires)]
        fingerprints[fiche_path(service.folder, service.id)] = _digest(services[service.id], *common(service), *named)
    for record in catalog.structures.values():
        listed = [services[s.id] for s in catalog.services_of(record.id)]
        fingerprints[fiche_path(record.folder, record.id)] = _digest(structure(record.id), *common(record), *listed)
    return fingerprints


@dataclass(frozen=True)
class BuiltIndex:
    """One search index of a built site (search.py): the fingerprint of the documents it was made from, and the
    size and date of each of its files (relative to its folder), to notice one changed since."""

    fingerprint: str
    files: dict[str, tuple[int, int]]


def link_unchanged(source: Path, target: Path, size: int, mtime_ns: int) -> bool:
    """Hard-link `source` to `target` if it is still the regular file of that size and date a build left (a link
    planted there is not followed); False, touching nothing, if not. Where links are refused, a copy keeps size
    and date. FileExistsError when `target` exists: nothing is overwritten."""
    try:
        status = source.lstat()
    except OSError:
        return False
    if not stat.S_ISREG(status.st_mode) or (status.st_size, status.st_mtime_ns) != (size, mtime_ns):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:  # another file system, or links refused
        shutil.copy2(source, target)
    return True


@dataclass(frozen=True)
class Written:
    """A page as the build left it: its fingerprint, and its size and date to notice a later edit."""

    fingerprint: str
    size: int
    mtime_ns: int


@dataclass
class Manifest:
    code: str = ""
    shells: dict[str, str] = field(default_factory=dict)
    pages: dict[str, Written] = field(default_factory=dict)
    indexes: dict[str, BuiltIndex] = field(default_factory=dict)  # the search's, by folder (search.py)

    @classmethod
    def read(cls, site: Path) -> Manifest:
        """The manifest of a site built here before; an empty one when there is none or it is unreadable."""
        try:
            data = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
            if data.get("version") != _VERSION:
                return cls()
            pages = {path: Written(*entry) for path, entry in data["pages"].items()}
            indexes = {
                str(folder): BuiltIndex(
                    str(index["fingerprint"]),
                    {str(f): (int(size), int(mtime)) for f, (size, mtime) in index["files"].items()},
                )
                for folder, index in data["indexes"].items()
            }
            return cls(str(data["code"]), {str(k): str(v) for k, v in data["shells"].items()}, pages, indexes)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls()

    def write(self, site: Path) -> None:
        data = {
            "version": _VERSION,
            "code": self.code,
            "shells": self.shells,
            "pages": {path: [w.fingerprint, w.size, w.mtime_ns] for path, w in sorted(self.pages.items())},
            "indexes": {
                folder: {
                    "fingerprint": index.fingerprint,
                    "files": {f: list(v) for f, v in sorted(index.files.items())},
                }
                for folder, index in sorted(self.indexes.items())
            },
        }
        (site / MANIFEST).write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")


@dataclass
class Reuse:
    """Which fiches a build renders and which it takes from the previous site `previous_site`."""

    previous_site: Path
    previous: Manifest
    code: str
    fingerprints: dict[str, str]

    @classmethod
    def plan(cls, catalog: Catalog, settings: SiteSettings, previous_site: Path, local_files: bool) -> Reuse:
        previous = Manifest.read(previous_site) if previous_site.is_dir() else Manifest()
        return cls(
            previous_site, previous, code_fingerprint(catalog, settings, local_files), fiche_fingerprints(catalog)
        )

    def _unchanged(self, path: str) -> bool:
        written = self.previous.pages.get(path)
        return (
            self.code == self.previous.code and written is not None and written.fingerprint == self.fingerprints[path]
        )

    def split(self, records: Iterable[Record]) -> tuple[list[Record], list[Record]]:
        """The records whose fiche changed (or is new), rendered while the engine runs, and the others."""
        changed: list[Record] = []
        unchanged: list[Record] = []
        for record in records:
            (unchanged if self._unchanged(fiche_path(record.folder, record.id)) else changed).append(record)
        return changed, unchanged

    def take(self, site: Path, records: Sequence[Record], shells: dict[str, str]) -> list[Record]:
        """Link into `site` the unchanged fiches whose shell is unchanged too and whose previous page is as
        written; return the records left to render (new shell, or page edited or gone since)."""
        left = []
        for record in records:
            path = fiche_path(record.folder, record.id)
            if shells[record.folder] != self.previous.shells.get(record.folder) or not self._link(path, site / path):
                left.append(record)
        return left

    def _link(self, path: str, target: Path) -> bool:
        written = self.previous.pages[path]
        try:
            return link_unchanged(self.previous_site / path, target, written.size, written.mtime_ns)
        except FileExistsError:  # the engine built a page there
            raise produced_twice(path) from None
        except OSError:
            return False

    def manifest(self, site: Path, shells: dict[str, str], indexes: dict[str, BuiltIndex]) -> Manifest:
        """The manifest of the freshly built `site`, every fiche's page and search index as written."""
        pages = {}
        for path, fingerprint in self.fingerprints.items():
            status = (site / path).stat()
            pages[path] = Written(fingerprint, status.st_size, status.st_mtime_ns)
        return Manifest(self.code, shells, pages, indexes)
