"""Shared fixtures: the repository's folders, a site built once per session and served on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from generator.cli import main

REPO = Path(__file__).resolve().parents[1]
RESOURCES = REPO / "resources"
CONTRACT_EXAMPLES = REPO.parent / "shared" / "contract" / "examples"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass


def serve_folder(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `folder` on 127.0.0.1 on a free port, in a daemon thread."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site built from resources/ (the shipped sample data), once per test session."""
    out = tmp_path_factory.mktemp("site") / "site"
    assert main(["build", "--resources", str(RESOURCES), "--out", str(out)]) == 0
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
    from playwright.sync_api import sync_playwright

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
