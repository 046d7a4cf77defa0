"""Shared fixtures: the repository's folders, a site built once per session and served on 127.0.0.1."""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import re
import shutil
import sys
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from generator.cli import main
from generator.records.catalog import Catalog, load_catalog
from generator.records.diagnostics import Report

REPO = Path(__file__).resolve().parents[1]
# The records a territory publishes: only tests/test_resources.py reads them (a territory replaces them).
RESOURCES = REPO / "resources"
# The tests' own sample: a copy of the demonstration data once shipped in resources/ (Cantal, Rhône).
SAMPLE_RECORDS = REPO / "tests" / "data" / "demo"
CONTRACT_EXAMPLES = REPO.parent / "shared" / "contract" / "examples"
# A copy of the contract's example records, the base of most test folders, so that the suite runs from a
# clone of this repository alone; test_cli_check keeps it identical to the contract's when shared/ is beside.
EXAMPLE_RECORDS = REPO / "tests" / "data" / "contrat"
# Records laid over the contract's examples: a demonstration territory, varied publics, bassins and
# freins, a stale fiche, partners, and a service whose text is hostile markup.
VARIED_RECORDS = REPO / "tests" / "data" / "site-varie"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


BROWSER_FIXTURES = {"browser", "page"}


@pytest.hookimpl(tryfirst=True)  # before `-m` selects on the marks
def pytest_collection_modifyitems(items):
    """Every test that drives Chromium is marked `browser`: `pytest -m "not browser"` is the fast loop."""
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a page left mid-download (a new query) is no error
            super().handle_error(request, client_address)


def serve_folder(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `folder` on 127.0.0.1 on a free port, in a daemon thread."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def resources_from_examples(dest: Path, *overlays: Path) -> Path:
    """A resources folder at `dest`: the contract's examples, then each overlay folder's records over them."""
    shutil.copytree(EXAMPLE_RECORDS, dest)
    for overlay in overlays:
        for kind in ("territoires", "structures", "services"):
            if (overlay / kind).is_dir():
                shutil.copytree(overlay / kind, dest / kind, dirs_exist_ok=True)
    return dest


def load(resources: Path) -> Catalog:
    """The validated records of a folder, as `annuaire build` sees them (the test fails on any error)."""
    report = Report()
    catalog = load_catalog(resources, str(resources), report)
    assert not report.failed(), "\n".join(report.lines())
    return catalog


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The records of tests/data/demo (the demonstration sample)."""
    return load(SAMPLE_RECORDS)


@pytest.fixture(scope="session")
def varied_resources(tmp_path_factory) -> Path:
    return resources_from_examples(tmp_path_factory.mktemp("varie") / "resources", VARIED_RECORDS)


@pytest.fixture(scope="session")
def varied_catalog(varied_resources) -> Catalog:
    return load(varied_resources)


@pytest.fixture(scope="session")
def varied_site(varied_resources) -> Path:
    """The site built from the contract's examples and tests/data/site-varie, once per test session."""
    out = varied_resources.parent / "site"
    assert main(["build", "--resources", str(varied_resources), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def varied_url(varied_site) -> str:
    server, url = serve_folder(varied_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site built from tests/data/demo (the demonstration sample), once per test session."""
    out = tmp_path_factory.mktemp("site") / "site"
    assert main(["build", "--resources", str(SAMPLE_RECORDS), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    server, url = serve_folder(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium de Debian absent (/usr/bin/chromium) : `make test` l'installe en root")
    from playwright.sync_api import expect, sync_playwright

    # `expect` waits until its condition holds: a longer limit costs nothing, and spares a loaded machine.
    expect.set_options(timeout=20_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


# --- Running `annuaire` in-process on record files written by the test -----------------------------

# The compiler-style line of the contract: `path:line:col: error|warning: [field: ]message`.
DIAGNOSTIC_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>[1-9][0-9]*):(?P<col>[1-9][0-9]*): (?P<severity>error|warning): (?P<rest>\S.*)$"
)
SUMMARY_LINE = re.compile(
    r"^[0-9]+ fichiers? vérifiés? : (?:aucune erreur|[0-9]+ erreurs?, [0-9]+ avertissements?)\."
    r"(?: \(--strict : les avertissements comptent comme des erreurs\))?$"
)
# The quality line that `check` prints first, before the problems (generator/opendata/quality.py).
INFO_LINE = re.compile(r"^Qualité des fiches : ")
TODAY = date(2026, 11, 1)  # the date the `today` fixture freezes
# A minimal valid service of the contract's examples, for tests that write one and alter it.
MINIMAL_SERVICE = (
    "id: atelier-test\n"
    "structure: udaf-cantal\n"
    "nom: Atelier budget\n"
    "description: Un atelier collectif pour apprendre à tenir son budget.\n"
    "freins: [difficultes-financieres]\n"
    "date_maj: 2026-10-01\n"
)


@dataclass
class CliRun:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    @property
    def diagnostics(self) -> list[str]:
        return [line for line in self.lines if DIAGNOSTIC_LINE.match(line)]


def run_cli(*argv: str | Path) -> CliRun:
    """`annuaire ARGV…` in this process; stdout, stderr and the exit code (argparse's SystemExit included)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(arg) for arg in argv])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return CliRun(code, out.getvalue(), err.getvalue())


def write_record(resources: Path, folder: str, record_id: str, content: str | bytes) -> Path:
    """Write `<resources>/<folder>/<record_id>.yml` (text as UTF-8, bytes as they are)."""
    path = resources / folder / f"{record_id}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


@pytest.fixture
def examples(tmp_path, monkeypatch) -> Path:
    """A copy of the contract's example records in `resources/` of a temporary folder, which becomes the
    current folder: the CLI then shows paths as `resources/services/….yml`."""
    resources = tmp_path / "resources"
    shutil.copytree(EXAMPLE_RECORDS, resources)
    monkeypatch.chdir(tmp_path)
    return resources


@pytest.fixture
def today(monkeypatch) -> date:
    """Freeze the date `annuaire check` compares `date_maj` with (future dates, stale records) to TODAY."""
    import generator.records.catalog

    class FrozenDate(date):
        @classmethod
        def today(cls) -> date:
            return TODAY

    monkeypatch.setattr(generator.records.catalog, "date", FrozenDate)
    return TODAY
