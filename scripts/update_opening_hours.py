"""Refresh site_templates/assets/vendor/opening_hours/ from the `opening_hours` npm package.

The library evaluates OpenStreetMap opening hours (French public holidays included) in the browser, for the
« ouvert maintenant » of fiches and lists (site_templates/assets/javascripts/horaires.js). It is kept in the
site, like Mermaid, so that nothing loads from another host. Usage (needs npm and the npm registry):
`make opening-hours` or
    python scripts/update_opening_hours.py --version 3.15.0
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "opening_hours"
OUT = Path(__file__).resolve().parents[1] / "site_templates" / "assets" / "vendor" / "opening_hours"


def download(version: str, folder: Path) -> Path:
    subprocess.run(["npm", "pack", f"{PACKAGE}@{version}", "--silent"], cwd=folder, check=True, capture_output=True)
    archive = next(folder.glob("*.tgz"))
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    return folder / "package"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--version", required=True, help="version of the npm package, e.g. 3.15.0")
    version = parser.parse_args().version
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        package = download(version, Path(folder))
        # The UMD build sets window.opening_hours; its optional SunCalc (sunrise/sunset rules) is not kept.
        shutil.copyfile(package / "build" / "opening_hours.js", OUT / "opening_hours.js")
        shutil.copyfile(package / "LICENSES" / "LGPL-3.0-only.txt", OUT / "LICENSE")
    (OUT / "VERSION").write_text(
        f"opening_hours {version} (npm), build/opening_hours.js, licence LGPL-3.0-only : chargé par "
        "assets/javascripts/horaires.js sur les pages qui affichent des horaires (« ouvert maintenant »). "
        "Mise à jour : make opening-hours.\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
