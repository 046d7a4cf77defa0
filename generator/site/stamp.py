"""Fiches stamped into the theme's own page shell, instead of going through the engine one by one.

The engine builds the pages people write (home, browse pages, procedure, forms) and, for each kind of
fiche, one placeholder page with markers in place of the title, the description and the content. That
page's HTML (header, palette, assets, footer: whatever the theme makes of it) becomes the shell every
fiche of that kind is stamped into, so the fiches look like the rest of the site and follow the theme.
Rendering runs on every core; the engine's cost no longer grows with the number of fiches.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from generator.records.catalog import Catalog
from generator.records.models import Service, Structure
from generator.site.page import Fiche, Page, SiteSettings, front_matter
from generator.site.render import PageWriter

FOLDERS = ("services", "structures")
PLACEHOLDER = "_gabarit"  # not a valid record id (ids are kebab-case): cannot collide with a fiche
TITLE = "ANNUAIRE-GABARIT-TITRE"
DESCRIPTION = "ANNUAIRE-GABARIT-DESCRIPTION"
BEGIN, END = "<!-- annuaire:debut-fiche -->", "<!-- annuaire:fin-fiche -->"
# Below this many fiches, starting worker processes costs more than it saves.
POOL_THRESHOLD = 400


class ShellError(Exception):
    """The engine's page for the placeholder lost its markers: the theme changed in a way not handled here; or a
    page the engine built lies where a fiche goes."""


def produced_twice(path: str) -> ShellError:
    return ShellError(f"la page « {path} » est produite deux fois (docs/ et fiches)")


def placeholder_pages() -> list[Page]:
    """One page per kind of fiche, built by the engine like any page, with the fiches' page options."""
    meta = front_matter(title=TITLE, description=DESCRIPTION, hide=["navigation", "toc"], search={"exclude": True})
    # The <h1> keeps the theme from adding its own title above the content.
    body = f"{BEGIN}\n<h1>{TITLE}</h1>\n{END}\n"
    return [Page(f"{folder}/{PLACEHOLDER}.md", meta + body) for folder in FOLDERS]


@dataclass(frozen=True)
class Shell:
    """The built placeholder page of one kind of fiche, cut around its content."""

    folder: str
    head: str
    tail: str

    @classmethod
    def read(cls, site: Path, folder: str) -> Shell:
        html = (site / folder / PLACEHOLDER / "index.html").read_text(encoding="utf-8")
        if html.count(BEGIN) != 1 or html.count(END) != 1:
            raise ShellError(f"{folder}/{PLACEHOLDER}/index.html : repères de contenu introuvables")
        head, rest = html.split(BEGIN)
        _, tail = rest.split(END)
        return cls(folder, head, tail)

    def stamp(self, fiche: Fiche) -> str:
        """The fiche's whole page: its title, description and address in the shell, its content inside."""

        def fill(part: str) -> str:
            part = part.replace(TITLE, fiche.title).replace(DESCRIPTION, fiche.description)
            return part.replace(f"{self.folder}/{PLACEHOLDER}/", f"{self.folder}/{fiche.id}/")

        return fill(self.head) + fiche.body.rstrip("\n") + fill(self.tail)

    @property
    def fingerprint(self) -> str:
        """Changes whenever the theme, the menu or the site's settings change the page around the fiches."""
        return hashlib.blake2b(f"{self.head}\0{self.tail}".encode(), digest_size=16).hexdigest()


Shells = dict[str, Shell]

# Read by the worker processes, which inherit it when they are forked: the page writer (with the catalog
# already in memory) and the folder where the fiches' contents are written.
_job: tuple[PageWriter, Path] | None = None


@dataclass(frozen=True)
class Rendered:
    """A rendered fiche (its `body` left empty) and where its content lies: bytes start:end of file `part`."""

    fiche: Fiche
    part: str
    start: int
    end: int


def _render_chunk(records: Sequence[Service | Structure], part: str) -> list[Rendered]:
    """Render `records` into one file of contents: one file per chunk, not per fiche (the disk's cost is in
    creating and removing files, the contents travel by file rather than by pipe)."""
    assert _job is not None
    writer, bodies = _job
    rendered = []
    with open(bodies / part, "wb") as contents:
        for record in records:
            fiche = writer.fiche(record)
            start = contents.tell()
            contents.write(fiche.body.encode("utf-8"))
            rendered.append(Rendered(dataclasses.replace(fiche, body=""), part, start, contents.tell()))
    return rendered


class Rendering:
    """Fiche contents rendered into `bodies`, by worker processes on every core when there are many, so that
    they are ready when the engine has built the shells: start it before running the engine."""

    def __init__(
        self,
        catalog: Catalog,
        settings: SiteSettings,
        bodies: Path,
        records: Sequence[Service | Structure] | None = None,
        jobs: int | None = None,
    ):
        global _job
        if records is None:
            records = [*catalog.services.values(), *catalog.structures.values()]
        bodies.mkdir(parents=True, exist_ok=True)
        self.bodies = bodies
        self._pool: ProcessPoolExecutor | None = None
        _job = (PageWriter(catalog, settings), bodies)
        jobs = jobs or os.cpu_count() or 1
        if jobs == 1 or len(records) < POOL_THRESHOLD:
            self._rendered = _render_chunk(records, "0")
            return
        size = max(50, len(records) // (jobs * 8))
        # fork: the workers share the catalog already in memory instead of receiving it.
        self._pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
        self._parts = [
            self._pool.submit(_render_chunk, records[i : i + size], str(i // size))
            for i in range(0, len(records), size)
        ]

    def stamp(self, site: Path, shells: Shells, replace: bool = False) -> None:
        """Write each rendered fiche into its shell in `site`, by the workers when there are (creating ten thousand
        folders and files is slow on some disks: two processes halve the wait). A fiche may replace a page only
        when `replace` is set (the preview updating its own fiches)."""
        if self._pool is None:
            _stamp_part(site, shells, self.bodies, self._rendered, replace)
            return
        pool = self._pool
        stamped = [pool.submit(_stamp_part, site, shells, self.bodies, part.result(), replace) for part in self._parts]
        for done in stamped:
            done.result()
        self.close()

    def close(self) -> None:
        global _job
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        _job = None


def read_shells(site: Path) -> Shells:
    """The shells of the freshly built `site`; their placeholder pages are removed from it."""
    shells = {folder: Shell.read(site, folder) for folder in FOLDERS}
    for folder in FOLDERS:
        shutil.rmtree(site / folder / PLACEHOLDER)
    return shells


def _stamp_part(site: Path, shells: Shells, bodies: Path, rendered: Sequence[Rendered], replace: bool) -> None:
    contents, part = b"", None
    for r in rendered:
        if r.part != part:  # one chunk's file after the other: read once each
            contents, part = (bodies / r.part).read_bytes(), r.part
        fiche = dataclasses.replace(r.fiche, body=contents[r.start : r.end].decode("utf-8"))
        target = site / fiche.path
        if replace:  # written beside, then renamed: a preview being served never shows half a page
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(".index.html.tmp")
            partial.write_text(shells[fiche.folder].stamp(fiche), encoding="utf-8")
            os.replace(partial, target)
            continue
        try:
            target.parent.mkdir(parents=True)  # one call per fiche: its folder is new, unless taken
        except FileExistsError:
            if target.exists():
                raise produced_twice(fiche.path) from None
        target.write_text(shells[fiche.folder].stamp(fiche), encoding="utf-8")


def restamp(
    catalog: Catalog, settings: SiteSettings, site: Path, shells: Shells, records: Sequence[Service | Structure]
) -> None:
    """Render and stamp a few fiches straight into a built site (the preview, after an edit)."""
    with tempfile.TemporaryDirectory(prefix="annuaire-fiches-") as bodies:
        Rendering(catalog, settings, Path(bodies), records, jobs=1).stamp(site, shells, replace=True)


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def add_to_sitemap(site: Path, site_url: str | None, fiches: list[tuple[str, str]]) -> None:
    """The engine's sitemap lists the placeholders, not the fiches: list the fiches instead. Without the
    site's public address the engine writes an empty sitemap: it is removed."""
    sitemap = site / "sitemap.xml"
    if not site_url:
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            (site / name).unlink(missing_ok=True)
        return
    if not sitemap.is_file():
        return
    ElementTree.register_namespace("", SITEMAP_NS)
    tree = ElementTree.parse(sitemap)
    root = tree.getroot()
    for url in list(root):
        loc = url.find(f"{{{SITEMAP_NS}}}loc")
        if loc is not None and f"/{PLACEHOLDER}/" in (loc.text or ""):
            root.remove(url)
    base = site_url.rstrip("/") + "/"
    for path, date_maj in sorted(fiches):
        url = ElementTree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ElementTree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = base + path.removesuffix("index.html")
        ElementTree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = date_maj
    tree.write(sitemap, encoding="utf-8", xml_declaration=True)
    compressed = site / "sitemap.xml.gz"
    if compressed.exists():
        compressed.write_bytes(gzip.compress(sitemap.read_bytes(), mtime=0))
