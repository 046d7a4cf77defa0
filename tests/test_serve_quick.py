"""Under `annuaire serve`, an edited fiche is stamped into the preview before the rest of the site is rebuilt."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from queue import Empty, Queue

from conftest import EXAMPLE_RECORDS, REPO
from test_serve import _free_port, _wait_for

FICHE = "services/point-conseil-budget-aurillac/"


def _lines(process: subprocess.Popen) -> Queue:
    lines: Queue = Queue()

    def read() -> None:
        for line in process.stdout:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    return lines


def _next_line_with(lines: Queue, expected: str, timeout: float = 60) -> tuple[str, list[str]]:
    """Wait for a printed line holding `expected`; also return the lines printed before it."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.2)
        except Empty:
            continue
        if expected in line:
            return line, seen
        seen.append(line)
    raise AssertionError(f"« {expected} » non affiché en {timeout} s ; affiché : {seen}")


def test_an_edited_fiche_is_served_before_the_full_rebuild(tmp_path):
    resources = tmp_path / "resources"
    shutil.copytree(EXAMPLE_RECORDS, resources)
    record = resources / "services" / "point-conseil-budget-aurillac.yml"
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--resources", str(resources), "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = _lines(process)
    url = f"http://127.0.0.1:{port}/{FICHE}"
    try:
        _next_line_with(lines, "Aperçu sur http://127.0.0.1")
        _wait_for(url, "<h1>Point conseil budget</h1>")
        record.write_text(
            record.read_text(encoding="utf-8").replace("nom: Point conseil budget", "nom: Point budget renouvelé"),
            encoding="utf-8",
        )
        _next_line_with(lines, "Fiche à jour : Point budget renouvelé ; reconstruction du reste…")
        # The fiche is already served while the site is still being rebuilt around it.
        page = urllib.request.urlopen(url, timeout=5).read().decode()
        assert "<h1>Point budget renouvelé</h1>" in page
        assert "<title>Point budget renouvelé - " in page and 'class="md-header' in page
        _next_line_with(lines, "Aperçu à jour : 1 service, 1 structure.")
        assert "<h1>Point budget renouvelé</h1>" in urllib.request.urlopen(url, timeout=5).read().decode()
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    assert "Traceback" not in output
