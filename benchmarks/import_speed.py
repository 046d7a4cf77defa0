"""Is `annuaire import data-inclusion` linear in the number of rows?

Writes an API-shaped answer (services with their structure embedded, one structure for every five
services, Cantal communes, a tenth of the rows in another département) for each size, imports it into
a fresh copy of the test records, then imports it again (the sync path: every record recognised,
nothing rewritten). Prints the durations (wall clock, and the process's CPU time, which a machine shared
with other jobs inflates less) and the cost per row; linear means the cost per row stays flat.

Goal: 20,000 rows under 30 s.

    .venv/bin/python benchmarks/import_speed.py [--rows 1000 4000 20000]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.cli import main  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
COMMUNES = [("15014", "15000", "Aurillac"), ("15120", "15200", "Mauriac"), ("15187", "15100", "Saint-Flour")]
THEMATIQUES = ["mobilite--financer-ma-mobilite", "sante--acces-aux-soins", "numerique--acceder-a-des-services-en-ligne"]


def answer(rows: int) -> list[dict]:
    items = []
    for n in range(rows):
        code_insee, code_postal, commune = COMMUNES[n % 3] if n % 10 else ("59350", "59000", "Lille")
        s = n // 5
        items.append(
            {
                "source": "dora",
                "structure_id": f"dora--s{s}",
                "id": f"dora--{n:08x}-aaaa-4bbb-8ccc-{n:012x}",
                "nom": f"Accompagnement numéro {n}",
                "description": f"### Objectif\nAider la personne {n} dans ses démarches.<br>Sur rendez-vous.",
                "date_maj": "2026-05-01",
                "thematiques": [THEMATIQUES[n % 3]],
                "publics": ["demandeurs-emploi"],
                "zone_eligibilite": [code_insee],
                "telephone": f"+334657{n % 100000:05d}",
                "structure": {
                    "source": "dora",
                    "id": f"dora--s{s}",
                    "nom": f"Association d'entraide {s}",
                    "date_maj": "2026-05-01",
                    "description": "Association locale.",
                    "siret": None,
                    "commune": commune,
                    "code_postal": code_postal,
                    "code_insee": code_insee,
                    "adresse": f"{s} rue de l'Exemple",
                },
            }
        )
    return items


def timed_import(source: Path, resources: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one import."""
    argv = ["import", "data-inclusion", str(source), "--territoire", "cantal", "--resources", str(resources)]
    start, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    if code != 0:
        raise SystemExit(f"import : code de sortie {code}")
    return elapsed, cpu


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 4000, 20000])
    args = parser.parse_args()
    print(f"{'lignes':>8} {'import':>17} {'par ligne (CPU)':>16} {'réimport':>17} {'par ligne (CPU)':>16}")
    for rows in args.rows:
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "services.json"
            source.write_text(json.dumps(answer(rows), ensure_ascii=False), encoding="utf-8")
            resources = Path(tmp) / "resources"
            shutil.copytree(REPO / "tests" / "data" / "annuaire", resources)
            first = timed_import(source, resources)
            again = timed_import(source, resources)
        print(f"{rows:>8} {_figures(first, rows)} {_figures(again, rows)}")


def _figures(durations: tuple[float, float], rows: int) -> str:
    wall, cpu = durations
    return f"{wall:>6.1f}s (CPU {cpu:>5.1f}s) {wall / rows * 1000:>6.2f}ms ({cpu / rows * 1000:.2f}ms)"


if __name__ == "__main__":
    main_bench()
