"""The search: Pagefind indexing the services, the structures and the written pages into the built site.

The records are small HTML documents (search_records.py for the catalog's services and structures,
search_pages.py for the pages of the docs folder); Pagefind, its own binary shipped by the pagefind_bin
wheel, splits their index into chunks that the browser fetches only when someone searches.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import zlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePosixPath

from pagefind_bin import get_executable

from generator.records.catalog import Catalog
from generator.records.diagnostics import os_problem
from generator.referentiels import cog
from generator.site.render import Directory
from generator.site.reuse import BuiltIndex, link_unchanged
from generator.site.search_pages import page_records
from generator.site.search_records import SearchRecord, service_records, structure_records

OUTPUT = "pagefind"  # folder of the built site holding the services' index (and Pagefind's script)
OTHERS = "pagefind/autres"  # the structures' and pages' index
SHARD_SIZE = 20_000  # services per Pagefind index: its memory, not the visitor's download, sets it
COMMUNES = "pagefind/communes.json"  # commune name → bassins, read by the search script on the first query
# Pagefind and how it is called: a new version indexes anew, even documents that did not change.
_PAGEFIND = f"pagefind_bin={importlib.metadata.version('pagefind_bin')} --force-language fr"


def communes_index(catalog: Catalog, shards: Sequence[str] = ()) -> str:
    """The services' other indexes (`shards`, folders of pagefind/), then every commune of every territoire
    (current and former names, from the COG) with the bassins that serve it, so that typing a commune filters on
    its bassin: services covering the whole territoire are tagged with all its bassins."""
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
    return json.dumps({"index": list(shards), "communes": rows}, ensure_ascii=False, separators=(",", ":"))


class SearchIndexing:
    """Pagefind indexing in the background while the build goes on: the services from the start (they come from the
    catalog), then the structures and the written pages once the docs folder given to the engine is written
    (`add_pages`).

    The services alone in pagefind/, so that their ranking owes nothing to the other texts (a territory's long
    pages, the structures' lists of services); the structures and pages in pagefind/autres/, asked by the search
    script beside it. Pagefind holds a whole index in memory (about 80 KB per service): beyond SHARD_SIZE
    services, they are spread by their id over parts of about that size, pagefind/ then pagefind/services-2/,
    -3/…, which the search script merges into the first, and the indexes are made one after the other. Start it
    with the staging folder; `finish` waits for them and puts them into the built site.

    An index whose documents are those of the previous build (`previous`, the indexes of `previous_site`) is
    taken from it by hard links instead of being made again: after one edit, only the index holding the edited
    service is made anew (Pagefind cannot update an index)."""

    def __init__(
        self,
        catalog: Catalog,
        staging: Path,
        previous_site: Path | None = None,
        previous: Mapping[str, BuiltIndex] | None = None,
    ):
        self.catalog = catalog
        self.staging = staging
        self._previous_site = previous_site
        self._previous = previous or {}
        self._directory = Directory(catalog)
        services = list(service_records(catalog, self._directory))
        # Each service's part follows from its id alone: editing, renaming or adding a service changes one part,
        # whose index alone is made again by the next build (the others are taken, see BuiltIndex).
        shards: list[list[SearchRecord]] = [[] for _ in range(max(1, -(-len(services) // SHARD_SIZE)))]
        for record in services:
            shards[zlib.crc32(record.path.encode()) % len(shards)].append(record)
        self.shards = [f"services-{n}" for n in range(2, len(shards) + 1)]
        self._runs = [
            _PagefindRun(shards[0], staging / "recherche-services", OUTPUT),
            *(
                _PagefindRun(shard, staging / f"recherche-{name}", f"{OUTPUT}/{name}")
                for name, shard in zip(self.shards, shards[1:], strict=True)
            ),
        ]
        self.built: dict[str, BuiltIndex] = {}  # what `finish` put into the site, for the next build
        self._stopped = False
        self._starting = threading.Lock()  # a run is started, or the indexing stopped, never both at once
        self._failure: SearchIndexError | OSError | None = None
        # This thread has the documents written, indexed and removed (_PagefindRun): the build goes on meanwhile.
        self._thread = threading.Thread(target=self._index_one_after_the_other, args=(self._runs[:],), daemon=True)
        self._thread.start()

    def add_pages(self, docs: Path, markdown_extensions: Sequence[str]) -> None:
        """Index the structures and the Markdown pages of `docs` (written by then) after the services."""
        records = [*structure_records(self.catalog, self._directory), *page_records(docs, markdown_extensions)]
        run = _PagefindRun(records, self.staging / "recherche-autres", OTHERS)
        self._runs.append(run)
        services = self._thread

        def after_the_services() -> None:
            services.join()
            if self._failure is None:
                self._index_one_after_the_other([run])

        self._thread = threading.Thread(target=after_the_services, daemon=True)
        self._thread.start()

    def _index_one_after_the_other(self, runs: Sequence[_PagefindRun]) -> None:
        for run in runs:
            try:
                built = self._previous.get(run.output)
                if self._previous_site is not None and built is not None and run.take(self._previous_site, built):
                    continue
                run.write_documents()
                with self._starting:
                    if self._stopped:
                        return
                    run.start()
                run.wait()
                run.remove_documents()
            except (SearchIndexError, OSError) as exc:
                self._failure = exc
                return

    def finish(self, site: Path) -> None:
        """Wait for Pagefind, then move its indexes into `site`/pagefind with the communes' file (which names the
        services' other indexes)."""
        assert any(run.output == OTHERS for run in self._runs), "add_pages first"
        self._thread.join()
        if isinstance(self._failure, OSError):
            raise SearchIndexError(f"Pagefind n'a pas pu être lancé ({os_problem(self._failure)})")
        if self._failure is not None:
            raise self._failure
        self.built = {}
        for run in self._runs:  # the services' first: the other indexes go inside its folder
            self.built[run.output] = BuiltIndex(run.fingerprint, _files(run.index))
            run.index.replace(site / run.output)
        (site / COMMUNES).write_text(communes_index(self.catalog, self.shards), encoding="utf-8")

    def stop(self) -> None:
        """End Pagefind if the build stops before it is done."""
        with self._starting:
            self._stopped = True
            for run in self._runs:
                run.stop()
        self._thread.join()


class _PagefindRun:
    """One Pagefind process indexing `records`, written under `staging`, into `staging`/index.

    The documents are written and removed by a child process: the build's own thread goes on meanwhile (a thread
    of this process would wait for the interpreter's lock between one file and the next)."""

    def __init__(self, records: Sequence[SearchRecord], staging: Path, output: str):
        self.records = records
        self.output = output
        hashed = hashlib.blake2b(_PAGEFIND.encode(), digest_size=16)
        for record in records:
            hashed.update(f"\0{record.path}\0{record.html}".encode())
        self.fingerprint = hashed.hexdigest()
        self.index = staging / "index"
        self.documents = staging / "documents"
        self._process: subprocess.Popen[str] | None = None
        self._child: int | None = None  # the process writing or removing the documents
        self._stopping = threading.Lock()
        self._stopped = False

    def write_documents(self) -> None:
        self._in_child(self._write_documents)

    def _write_documents(self) -> None:
        folders = {self.documents}
        for record in self.records:
            path = self.documents / record.path
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            path.write_text(record.html, encoding="utf-8")
        self.documents.mkdir(parents=True, exist_ok=True)

    def take(self, previous_site: Path, built: BuiltIndex) -> bool:
        """Link the previous site's index into `index` when it was made from the same documents and none of its
        files changed since; else leave nothing behind and say so."""
        if built.fingerprint != self.fingerprint:
            return False
        source = previous_site / self.output
        return self._in_child(lambda: _link_index(source, built.files, self.index))

    def remove_documents(self) -> None:
        self._in_child(lambda: shutil.rmtree(self.documents, ignore_errors=True))

    def _in_child(self, work: Callable[[], bool | None]) -> bool:
        """Run `work` in a forked process, which has the records already: whether it did it (False when it says
        so); its disk error is told here.

        A bare fork, not multiprocessing's: the child does nothing but `work` before it ends, neither flushing nor
        closing the standard streams, whose locks another thread of the build may hold."""
        read, write = os.pipe()
        with self._stopping:  # forked and known at once: `stop` kills it, or it is not started
            if self._stopped:
                os.close(read)
                os.close(write)
                return False
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    code = 3 if work() is False else 0
                except OSError as exc:
                    os.write(write, os_problem(exc).encode())
                finally:  # whatever happens (an interruption too), the child ends here
                    os._exit(code)
            self._child = pid
        os.close(write)
        with os.fdopen(read, "rb") as pipe:
            problem = pipe.read().decode()
        with self._stopping:  # reaped and forgotten at once: `stop` never signals a number the system gave again
            _, status = os.waitpid(pid, 0)
            self._child = None
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 3):
            raise SearchIndexError(f"documents à indexer non écrits ou effacés ({problem or 'écriture interrompue'})")
        return code == 0

    def start(self) -> None:
        command = [str(get_executable()), "--site", str(self.documents), "--output-path", str(self.index)]
        self._process = subprocess.Popen(
            [*command, "--force-language", "fr", "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def wait(self) -> None:
        assert self._process is not None
        out, err = self._process.communicate()
        if self._process.returncode != 0:
            raise SearchIndexError(" ".join((err or out).strip().splitlines()[-1:]))

    def stop(self) -> None:
        with self._stopping:
            self._stopped = True
            if self._child is not None:
                os.kill(self._child, signal.SIGKILL)
        if self._process is not None and self._process.poll() is None:
            self._process.kill()


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file under `folder` (relative path → size and date)."""
    files = {}
    for root, _, names in os.walk(folder):
        for name in names:
            status = os.stat(os.path.join(root, name))
            files[os.path.relpath(os.path.join(root, name), folder)] = (status.st_size, status.st_mtime_ns)
    return files


def _link_index(source: Path, files: Mapping[str, tuple[int, int]], target: Path) -> bool:
    """Hard-link each of `files` from `source` into `target` if every one is as the previous build left it (see
    link_unchanged); else remove what was linked and return False."""
    for relative, (size, mtime_ns) in files.items():
        parts = PurePosixPath(relative).parts
        inside = parts and not PurePosixPath(relative).is_absolute() and ".." not in parts  # not a hand-edited path
        if not inside or not link_unchanged(source / relative, target / relative, size, mtime_ns):
            shutil.rmtree(target, ignore_errors=True)
            return False
    return True


def write_search_index(catalog: Catalog, site: Path, docs: Path, markdown_extensions: Sequence[str]) -> None:
    """Index the catalog and the pages of `docs` into `site`/pagefind, waiting for it (the benchmarks time it alone)."""
    with tempfile.TemporaryDirectory(prefix="recherche-", dir=site.parent) as folder:
        indexing = SearchIndexing(catalog, Path(folder))
        indexing.add_pages(docs, markdown_extensions)
        indexing.finish(site)


class SearchIndexError(Exception):
    """Pagefind failed; the message holds its last line."""
