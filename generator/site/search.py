"""The search: Pagefind indexing the services, the structures and the written pages into the built site.

The records are small HTML documents (search_records.py for the catalog's services and structures,
search_pages.py for the pages of the docs folder); Pagefind, its own binary shipped by the pagefind_bin
wheel, splits their index into chunks that the browser fetches only when someone searches.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from itertools import chain
from pathlib import Path

from pagefind_bin import get_executable

from generator.records.catalog import Catalog
from generator.referentiels import cog
from generator.site.render import Directory
from generator.site.search_pages import page_records
from generator.site.search_records import SearchRecord, service_records, structure_records

OUTPUT = "pagefind"  # folder of the built site holding the services' index (and Pagefind's script)
OTHERS = "pagefind/autres"  # the structures' and pages' index
COMMUNES = "pagefind/communes.json"  # commune name → bassins, read by the search script on the first query


def communes_index(catalog: Catalog) -> str:
    """Every commune of every territoire (current and former names, from the COG) with the bassins that
    serve it, so that typing a commune filters on its bassin: services covering the whole territoire are
    tagged with all its bassins."""
    known = cog.communes()
    bassins: dict[str, list[str]] = {}
    for territoire in sorted(catalog.territoires.values(), key=lambda t: t.nom):
        for bassin in territoire.bassins:
            for code in bassin.communes:
                bassins.setdefault(code, []).append(f"{territoire.id}-{bassin.id}")
    rows = []
    for code, keys in sorted(bassins.items()):
        commune = known.get(code)
        if commune is None:
            continue
        rows.append([commune.nom, keys])
        rows.extend([former, keys] for former in commune.anciens_noms)
    return json.dumps({"communes": rows}, ensure_ascii=False, separators=(",", ":"))


class SearchIndexing:
    """Pagefind indexing in the background, while the engine builds the pages: the services and structures come
    from the catalog, the written pages from the docs folder given to the engine (write them first).

    Two indexes: the services alone in pagefind/, so that their ranking owes nothing to the other texts (a
    territory's long pages, the structures' lists of services); the structures and pages in pagefind/autres/,
    asked by the search script beside it. Start it with the staging folder; `finish` waits for both and puts
    them into the built site."""

    def __init__(self, catalog: Catalog, staging: Path, docs: Path, markdown_extensions: Sequence[str]):
        self.catalog = catalog
        d = Directory(catalog)
        others = chain(structure_records(catalog, d), page_records(docs, markdown_extensions))
        self._runs = [
            _PagefindRun(service_records(catalog, d), staging / "recherche-services", OUTPUT),
            _PagefindRun(others, staging / "recherche-autres", OTHERS),
        ]

    def finish(self, site: Path) -> None:
        """Wait for Pagefind, then move its indexes into `site`/pagefind with the communes' file."""
        for run in self._runs:  # the services' first: the other index goes inside its folder
            run.finish(site)
        (site / COMMUNES).write_text(communes_index(self.catalog), encoding="utf-8")

    def stop(self) -> None:
        """End Pagefind if the build stops before it is done."""
        for run in self._runs:
            run.stop()


class _PagefindRun:
    """One Pagefind process indexing `records`, written under `staging`, into `staging`/index."""

    def __init__(self, records: Iterable[SearchRecord], staging: Path, output: str):
        self.output = output
        self.index = staging / "index"
        for record in records:
            path = staging / "documents" / record.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(record.html, encoding="utf-8")
        command = [str(get_executable()), "--site", str(staging / "documents"), "--output-path", str(self.index)]
        self._process = subprocess.Popen(
            [*command, "--force-language", "fr", "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def finish(self, site: Path) -> None:
        out, err = self._process.communicate()
        if self._process.returncode != 0:
            raise SearchIndexError(" ".join((err or out).strip().splitlines()[-1:]))
        self.index.replace(site / self.output)

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.communicate()


def write_search_index(catalog: Catalog, site: Path, docs: Path, markdown_extensions: Sequence[str]) -> None:
    """Index the catalog and the pages of `docs` into `site`/pagefind, waiting for it (the benchmarks time it alone)."""
    with tempfile.TemporaryDirectory(prefix="recherche-", dir=site.parent) as folder:
        SearchIndexing(catalog, Path(folder), docs, markdown_extensions).finish(site)


class SearchIndexError(Exception):
    """Pagefind failed; the message holds its last line."""
