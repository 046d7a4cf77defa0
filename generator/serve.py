"""`annuaire serve`: a local preview on 127.0.0.1, rebuilt whenever a record, a page or a template changes."""

from __future__ import annotations

import functools
import http.server
import sys
import tempfile
import threading
from pathlib import Path

import watchfiles

from generator.build import ASSETS, CONFIG, DOCS, BuildError, build_site
from generator.records.catalog import count_records, load_catalog
from generator.records.diagnostics import Report, os_problem
from generator.site.page import PROJECT_ROOT


class PortUnavailable(Exception):
    """The preview cannot listen on the port asked for (a usage error)."""


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a browser that left mid-answer is no problem
            super().handle_error(request, client_address)


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the console is for the records' problems
        pass


def rebuild(resources: Path, shown: str, out: Path) -> bool:
    """Check and build; on errors print them and keep the site being served."""
    report = Report()
    catalog = load_catalog(resources, shown, report)
    for line in report.lines():
        print(line, flush=True)
    if report.failed():
        print(report.summary() + " L'aperçu garde la version précédente.", flush=True)
        return False
    try:
        build_site(catalog, resources, out)
    except BuildError as exc:
        print(f"error: construction impossible : {exc}", flush=True)
        return False
    print(f"Aperçu à jour : {count_records(catalog)}.", flush=True)
    return True


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
        rebuild(resources, shown, out)
        print(f"Aperçu sur http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C pour arrêter)", flush=True)
        watched = [resources, DOCS, ASSETS.parent, CONFIG, PROJECT_ROOT / "generator" / "referentiels"]
        try:
            for _changes in watchfiles.watch(
                *[p for p in watched if p.exists()], stop_event=stop, raise_interrupt=False
            ):
                print("Modification détectée : reconstruction…", flush=True)
                rebuild(resources, shown, out)
        finally:
            server.shutdown()
    return 0
