"""`annuaire serve`: a local preview on 127.0.0.1, rebuilt whenever a record, a page or a template changes."""

from __future__ import annotations

import functools
import http.server
import queue
import sys
import tempfile
import threading
from pathlib import Path

import watchfiles

from generator.build import ASSETS, CONFIG, DOCS, BuildError, build_site, read_config, settings_from
from generator.records.catalog import Catalog, FileChecks, count_records, load_catalog
from generator.records.diagnostics import Report, os_problem
from generator.records.models import Service, Structure
from generator.site.page import PROJECT_ROOT, SettingsError
from generator.site.stamp import Shells, restamp


class PortUnavailable(Exception):
    """The preview cannot listen on the port asked for (a usage error)."""


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a browser that left mid-answer is no problem
            super().handle_error(request, client_address)


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the console is for the records' problems
        pass


def rebuild(
    resources: Path, shown: str, out: Path, changed: set[Path], shells: Shells | None, checks: FileChecks
) -> Shells | None:
    """Check (the files changed since the last check only) and build; on errors print them and keep the site
    being served. Returns the new shells.

    When only fiches changed and a build already stands, their pages are stamped into the served site first,
    within a second or two even at 10,000 services, then the whole site is rebuilt for the lists."""
    report = Report()
    catalog = load_catalog(resources, shown, report, checks=checks)
    for line in report.lines():
        print(line, flush=True)
    if report.failed():
        print(report.summary() + " L'aperçu garde la version précédente.", flush=True)
        return shells
    edited = _edited_records(catalog, changed) if shells else []
    try:
        if shells and edited:
            restamp(catalog, settings_from(read_config()), out, shells, edited)
            print(f"Fiche à jour : {', '.join(r.nom for r in edited[:3])} ; reconstruction du reste…", flush=True)
        shells = build_site(catalog, resources, out)
    except BuildError as exc:
        print(f"error: construction impossible : {exc}", flush=True)
        return shells
    except SettingsError as exc:  # mkdocs.yml being edited: say where, keep serving the previous site
        print(exc, flush=True)
        return shells
    print(f"Aperçu à jour : {count_records(catalog)}.", flush=True)
    return shells


def _edited_records(catalog: Catalog, changed: set[Path]) -> list[Service | Structure]:
    """The records whose file changed, and the services shown on a changed structure's fiche."""
    files = {path.resolve() for path in changed}
    edited: list[Service | Structure] = []
    for (kind, record_id), source in catalog.sources.items():
        if source.file is None or Path(source.file).resolve() not in files:
            continue
        if kind == "service":
            edited.append(catalog.services[record_id])
        elif kind == "structure":
            edited.append(catalog.structures[record_id])
            edited.extend(catalog.services_of(record_id))
    return list({(type(r), r.id): r for r in edited}.values())


def serve(resources: Path, shown: str, port: int, stop: threading.Event | None = None) -> int:
    with tempfile.TemporaryDirectory(prefix="annuaire-apercu-") as folder:
        out = Path(folder) / "site"
        out.mkdir()
        # The folder is swapped on each build: serve it by path, resolved per request. The port is taken
        # before the first build, so that a busy port is said at once.
        handler = functools.partial(_Handler, directory=str(out))
        try:
            server = _Server(("127.0.0.1", port), handler)
        except OSError as exc:
            raise PortUnavailable(
                f"le port {port} est indisponible ({os_problem(exc)}) : essayez --port {port + 1}"
            ) from None
        threading.Thread(target=server.serve_forever, daemon=True).start()
        watched = [resources, DOCS, ASSETS.parent, CONFIG, PROJECT_ROOT / "generator" / "referentiels"]
        stopping = stop or threading.Event()
        edits: queue.Queue[set[Path]] = queue.Queue()
        # Watching starts before the first build: a record saved while it runs is seen, not lost.
        threading.Thread(target=_watch, args=(watched, stopping, edits), daemon=True).start()
        try:
            checks = FileChecks()
            shells = rebuild(resources, shown, out, set(), None, checks)
            print(f"Aperçu sur http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C pour arrêter)", flush=True)
            while not stopping.is_set():
                try:
                    changed = edits.get(timeout=0.2)
                except queue.Empty:
                    continue
                while not edits.empty():  # several saves since the last build: one rebuild
                    changed |= edits.get_nowait()
                print("Modification détectée : reconstruction…", flush=True)
                shells = rebuild(resources, shown, out, changed, shells, checks)
        except KeyboardInterrupt:
            pass
        finally:
            stopping.set()
            server.shutdown()
    return 0


def _watch(paths: list[Path], stopping: threading.Event, edits: queue.Queue[set[Path]]) -> None:
    for changes in watchfiles.watch(*[p for p in paths if p.exists()], stop_event=stopping, raise_interrupt=False):
        edits.put({Path(path) for _, path in changes})
