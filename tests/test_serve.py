"""`annuaire serve` rebuilds the preview when a record changes, and keeps it when the change is wrong."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import EXAMPLE_RECORDS, REPO

FICHE = "services/point-conseil-budget-aurillac/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, expected: str, timeout: float = 40) -> str:
    deadline = time.monotonic() + timeout
    body = ""
    while time.monotonic() < deadline:
        try:
            body = urllib.request.urlopen(url, timeout=5).read().decode()
            if expected in body:
                return body
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"« {expected} » absent de {url} après {timeout} s")


def test_serve_rebuilds_on_change_and_keeps_preview_on_error(tmp_path):
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
    url = f"http://127.0.0.1:{port}/{FICHE}"
    try:
        _wait_for(url, "<h1>Point conseil budget</h1>")
        record.write_text(
            record.read_text(encoding="utf-8").replace("nom: Point conseil budget", "nom: Point budget renouvelé"),
            encoding="utf-8",
        )
        _wait_for(url, "<h1>Point budget renouvelé</h1>")
        record.write_text(
            record.read_text(encoding="utf-8").replace('telephone: "04 65 71 00 13"', 'telephone: "04 71"'),
            encoding="utf-8",
        )
        time.sleep(4)
        assert "<h1>Point budget renouvelé</h1>" in _wait_for(url, "Point budget renouvelé")
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    assert "Traceback" not in output
    assert (
        "point-conseil-budget-aurillac.yml:19:12: error: telephone: « 04 71 » n'est pas un numéro de téléphone valide"
        in output
    )
    assert "L'aperçu garde la version précédente." in output
