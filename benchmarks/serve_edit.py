"""How long does a partner wait, under `annuaire serve`, between saving a record and seeing its new fiche?

Generates N synthetic services (as benchmarks/site_build.py does), starts `annuaire serve` on a free port,
waits for the first build, then edits one service's name and polls its fiche until the new name is served:
that delay is the figure (goal ≤ 2 s at 10,000 services). The full rebuild that follows is timed too (the lists
and the search are up to date then), and a second edit measures the same after a build that reused the fiches.

This is a measurement, not a test: it prints figures and exits 1 when the goal is missed.

    .venv/bin/python benchmarks/serve_edit.py [--services 10000]
"""

from __future__ import annotations

import argparse
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from site_build import generate  # noqa: E402

GOAL_SECONDS = 2.0
FIRST_BUILD_TIMEOUT = 1800


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lines_of(process: subprocess.Popen) -> queue.Queue[str]:
    found: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            found.put(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    return found


def wait_for_line(lines: queue.Queue[str], start: str, timeout: float) -> float:
    """Seconds until a line starting with `start` is printed."""
    began = time.perf_counter()
    while True:
        left = timeout - (time.perf_counter() - began)
        if left <= 0:
            raise SystemExit(f"« {start} » attendu, pas vu en {timeout:.0f} s")
        line = lines.get(timeout=left)
        if line.startswith("error:"):
            raise SystemExit(line)
        if line.startswith(start):
            return time.perf_counter() - began


def served(url: str, text: str) -> bool:
    try:
        return text in urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return False


def edit_and_wait(record: Path, old: str, new: str, url: str, lines: queue.Queue[str]) -> tuple[float, float]:
    """Seconds until the edited fiche is served, then until the whole preview is rebuilt."""
    record.write_text(record.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    began = time.perf_counter()
    while not served(url, f"<h1>{new}</h1>"):
        if time.perf_counter() - began > 600:
            raise SystemExit("la fiche modifiée n'a pas été servie en 10 minutes")
        time.sleep(0.02)
    shown = time.perf_counter() - began
    wait_for_line(lines, "Aperçu à jour", 1200)
    return shown, time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=10_000, help="number of services (default 10000)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="annuaire-bench-serve-") as tmp:
        resources = Path(tmp) / "resources"
        generate(resources, args.services)
        port = free_port()
        command = [sys.executable, "-u", "-m", "generator", "serve", "--resources", str(resources), "--port", str(port)]
        process = subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8"
        )
        try:
            lines = lines_of(process)
            first = wait_for_line(lines, "Aperçu sur", FIRST_BUILD_TIMEOUT)
            print(f"{args.services} services : première construction de l'aperçu {first:.1f} s")
            record = resources / "services" / "service-7.yml"
            url = f"http://127.0.0.1:{port}/services/service-7/"
            name = next(line for line in record.read_text(encoding="utf-8").splitlines() if line.startswith("nom:"))
            old = name.split('"')[1]
            results = []
            for attempt, new in enumerate(["Fiche modifiée une fois", "Fiche modifiée deux fois"], start=1):
                shown, rebuilt = edit_and_wait(record, old, new, url, lines)
                old = new
                results.append(shown)
                print(
                    f"  modification {attempt} : fiche servie après {shown:.2f} s (objectif ≤ {GOAL_SECONDS:.0f} s), "
                    f"aperçu entier à jour après {rebuilt:.1f} s"
                )
        finally:
            process.terminate()
            process.wait(timeout=60)
    missed = max(results) > GOAL_SECONDS
    print("objectif manqué" if missed else "objectif atteint")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
