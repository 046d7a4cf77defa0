"""`annuaire serve` rebuilds the preview when a record changes, and keeps it when the change is wrong."""

from __future__ import annotations

import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from conftest import EXAMPLE_RECORDS, REPO

FICHE = "services/point-conseil-budget-aurillac/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Waits end as soon as their condition holds: the long limit only matters on a loaded machine.
PATIENCE = 180


def _wait_for(url: str, expected: str, timeout: float = PATIENCE) -> str:
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


class Output:
    """What the server prints, read line by line in a thread, so that a test waits for a message, not a delay."""

    def __init__(self, stream):
        self._lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self._reader = threading.Thread(target=lambda: [self._lines.put(line) for line in stream], daemon=True)
        self._reader.start()

    def wait_for(self, expected: str, timeout: float = PATIENCE) -> str:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._lines.get(timeout=left)
            except queue.Empty:
                break
            self.seen.append(line)
            if expected in line:
                return line
        raise AssertionError(f"« {expected} » absent de la sortie après {timeout} s :\n{''.join(self.seen)}")

    def rest(self) -> str:
        """Everything printed, once the process has ended."""
        self._reader.join(timeout=20)
        while not self._lines.empty():
            self.seen.append(self._lines.get())
        return "".join(self.seen)


def _serve(tmp_path) -> tuple[subprocess.Popen, Output, str, Path]:
    """`annuaire serve` on the contract's examples copied to tmp_path: process, its output, fiche URL, record."""
    resources = tmp_path / "resources"
    shutil.copytree(EXAMPLE_RECORDS, resources)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--resources", str(resources), "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    record = resources / "services" / "point-conseil-budget-aurillac.yml"
    return process, Output(process.stdout), f"http://127.0.0.1:{port}/{FICHE}", record


def test_serve_rebuilds_on_change_and_keeps_preview_on_error(tmp_path):
    process, output, url, record = _serve(tmp_path)
    try:
        output.wait_for("Aperçu sur http://127.0.0.1:")  # printed once the first build is served
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
        output.wait_for("L'aperçu garde la version précédente.")
        # The refused change was seen and reported: the preview still serves the last good build.
        assert "<h1>Point budget renouvelé</h1>" in urllib.request.urlopen(url, timeout=5).read().decode()
    finally:
        process.terminate()
        process.wait(timeout=20)
    printed = output.rest()
    assert "Traceback" not in printed
    assert (
        "point-conseil-budget-aurillac.yml:19:12: error: telephone: « 04 71 » n'est pas un numéro de téléphone valide"
        in printed
    )


def test_an_edited_fiche_is_served_before_the_full_rebuild(tmp_path):
    process, output, url, record = _serve(tmp_path)
    try:
        output.wait_for("Aperçu sur http://127.0.0.1:")
        _wait_for(url, "<h1>Point conseil budget</h1>")
        record.write_text(
            record.read_text(encoding="utf-8").replace("nom: Point conseil budget", "nom: Point budget renouvelé"),
            encoding="utf-8",
        )
        output.wait_for("Fiche à jour : Point budget renouvelé ; reconstruction du reste…")
        # The fiche is already served, in the theme's page, while the site is still being rebuilt around it.
        page = urllib.request.urlopen(url, timeout=5).read().decode()
        assert "<h1>Point budget renouvelé</h1>" in page
        assert "<title>Point budget renouvelé - " in page and 'class="md-header' in page
        output.wait_for("Aperçu à jour : 1 service, 1 structure.")
        assert "<h1>Point budget renouvelé</h1>" in urllib.request.urlopen(url, timeout=5).read().decode()
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert "Traceback" not in output.rest()


def test_a_record_saved_during_the_first_build_is_not_lost(tmp_path, monkeypatch, capsys):
    """The files are watched from the start: a record saved while the first build runs gets its own rebuild."""
    from generator import serve as serve_module

    resources = tmp_path / "resources"
    shutil.copytree(EXAMPLE_RECORDS, resources)
    record = resources / "services" / "point-conseil-budget-aurillac.yml"
    first_build_running, saved, stop = threading.Event(), threading.Event(), threading.Event()
    built: list[str] = []
    real_build = serve_module.build_site

    def build_site(catalog, *args, **kwargs):
        built.append(next(iter(catalog.services.values())).nom)
        if len(built) == 1:
            first_build_running.set()
            assert saved.wait(PATIENCE)
            time.sleep(1)  # the watcher's debounce: the save is reported after it settles
        else:
            stop.set()
        return real_build(catalog, *args, **kwargs)

    monkeypatch.setattr(serve_module, "build_site", build_site)
    server = threading.Thread(target=serve_module.serve, args=(resources, "resources", _free_port(), stop))
    server.start()
    assert first_build_running.wait(PATIENCE)
    record.write_text(record.read_text(encoding="utf-8").replace("nom: Point conseil budget", "nom: Point enregistré"))
    saved.set()
    server.join(PATIENCE)
    assert not server.is_alive()
    assert built == ["Point conseil budget", "Point enregistré"]
    assert "Modification détectée : reconstruction…" in capsys.readouterr().out
