"""Regenerate generator/referentiels/cog/ from Etalab's @etalab/decoupage-administratif npm package.

The package is the official code officiel géographique (COG) of INSEE, published by Etalab each year.
Usage (needs npm and the npm registry): `make cog` or
    python scripts/update_cog.py --version 6.0.0
It downloads the package with `npm pack`, keeps the columns the generator uses (the arrondissement of each
commune gives `annuaire init` its default bassins), and writes sorted CSV files
so that an update reads as a diff of communes.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import tarfile
import tempfile
from datetime import date
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
OUT = Path(__file__).resolve().parents[1] / "generator" / "referentiels" / "cog"
COMMUNE_KINDS = {
    "commune-actuelle": "commune",
    "commune-deleguee": "deleguee",
    "commune-associee": "associee",
    "arrondissement-municipal": "arrondissement",
}


def download(version: str, folder: Path) -> Path:
    subprocess.run(["npm", "pack", f"{PACKAGE}@{version}", "--silent"], cwd=folder, check=True, capture_output=True)
    archive = next(folder.glob("*.tgz"))
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    return folder / "package" / "data"


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(sorted(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--version", required=True, help="version of the npm package, e.g. 6.0.0 (COG 2026)")
    version = parser.parse_args().version
    with tempfile.TemporaryDirectory() as folder:
        data = download(version, Path(folder))
        communes = json.loads((data / "communes.json").read_text(encoding="utf-8"))
        departements = json.loads((data / "departements.json").read_text(encoding="utf-8"))
        epci = json.loads((data / "epci.json").read_text(encoding="utf-8"))
        arrondissements = json.loads((data / "arrondissements.json").read_text(encoding="utf-8"))
    write_csv(
        OUT / "communes.csv",
        ["code", "nom", "type", "departement", "parent", "codes_postaux", "arrondissement"],
        [
            [
                c["code"],
                c["nom"],
                COMMUNE_KINDS[c["type"]],
                c["departement"],
                c.get("commune") or (c.get("chefLieu", "") if c["type"] != "commune-actuelle" else ""),
                " ".join(c.get("codesPostaux", [])),
                c.get("arrondissement", ""),
            ]
            for c in communes
            if c["type"] in COMMUNE_KINDS
        ],
    )
    write_csv(
        OUT / "departements.csv",
        ["code", "nom", "region", "type_liaison"],
        [[d["code"], d["nom"], d["region"], str(d["typeLiaison"])] for d in departements],
    )
    write_csv(
        OUT / "arrondissements.csv",
        ["code", "nom", "departement", "chef_lieu"],
        [[a["code"], a["nom"], a["departement"], a["chefLieu"]] for a in arrondissements],
    )
    write_csv(
        OUT / "epci.csv",
        ["siren", "nom", "type", "membres"],
        [[e["code"], e["nom"], e["type"], " ".join(m["code"] for m in e["membres"])] for e in epci],
    )
    (OUT / "SOURCE").write_text(f"{PACKAGE}@{version} (licence MIT), extrait le {date.today().isoformat()}\n")


if __name__ == "__main__":
    main()
