"""`annuaire serve`: a local preview on 127.0.0.1, rebuilt whenever a record, a page or a template changes."""

from __future__ import annotations

import functools
import http.server
import tempfile
import threading
from pathlib import Path

import watchfiles

from generator.build import ASSETS, CONFIG, DOCS, BuildError, build_site
from generator.records.catalog import count_records, load_catalog
from generator.records.diagnostics import Report
from generator.site.page import PROJECT_ROOT, SettingsError


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
        build_site(catalog, out)
    except BuildError as exc:
        print(f"error: construction impossible : {exc}", flush=True)
        return False
    except SettingsError as exc:  # mkdocs.yml being edited: say where, keep serving the previous site
        print(exc, flush=True)
        return False
    print(f"Aperçu à jour : {count_records(catalog)}.", flush=True)
    return True


def serve(resources: Path, shown: str, port: int, stop: threading.Event | None = None) -> int:
    with tempfile.TemporaryDirectory(prefix="annuaire-apercu-") as folder:
        out = Path(folder) / "site"
        out.mkdir()
        rebuild(resources, shown, out)
        # The folder is swapped on each build: serve it by path, resolved per request.
        handler = functools.partial(_Handler, directory=str(out))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
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
