"""Refresh a browser library kept in site_templates/assets/vendor/<name>/ from its npm package.

The site loads nothing from another host: the libraries it uses in the browser are copied here, with their
licence and a VERSION line. Usage (needs npm and the npm registry): `make opening-hours`, `make suncalc`, `make leaflet`, or
    python scripts/update_vendor.py opening_hours 3.15.0
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[1] / "site_templates" / "assets" / "vendor"


# Minifies the libraries shipped unminified (whitespace and comments of 1.2 MB of holiday tables): each fiche
# downloads opening_hours, so its size is the visitor's. Licence comments are kept, the LICENSE file beside.
TERSER = "terser@5.51.4"


class Library:
    def __init__(self, files: dict[str, str], licence: str, use: str, minify: tuple[str, ...] = ()):
        self.files = files  # path in the package → name kept here
        self.licence = licence
        self.use = use
        self.minify = minify  # names kept here that the package ships unminified


LIBRARIES = {
    # « Ouvert maintenant » (assets/javascripts/horaires.js). The UMD build sets window.opening_hours and reads
    # window.SunCalc when it runs: suncalc below, loaded first for rules with sunrise or sunset.
    "opening_hours": Library(
        {"build/opening_hours.js": "opening_hours.js", "LICENSES/LGPL-3.0-only.txt": "LICENSE"},
        "LGPL-3.0-only",
        "chargé par assets/javascripts/horaires.js sur les pages qui affichent des horaires (« ouvert maintenant »)",
        minify=("opening_hours.js",),
    ),
    # Sunrise and sunset for opening_hours (« Mo-Fr sunrise-sunset »); its UMD build sets window.SunCalc.
    "suncalc": Library(
        {"suncalc.cjs": "suncalc.js", "LICENSE": "LICENSE"},
        "BSD-2-Clause",
        "chargé par assets/javascripts/horaires.js avant opening_hours, seulement sur les pages dont des horaires "
        "suivent le lever ou le coucher du soleil",
    ),
    # The map of a bassin (assets/javascripts/carte.js), only when a tile server is configured.
    "leaflet": Library(
        {
            "dist/leaflet.js": "leaflet.js",
            "dist/leaflet.css": "leaflet.css",
            "dist/images/marker-icon.png": "images/marker-icon.png",
            "dist/images/marker-icon-2x.png": "images/marker-icon-2x.png",
            "dist/images/marker-shadow.png": "images/marker-shadow.png",
            "LICENSE": "LICENSE",
        },
        "BSD-2-Clause",
        "chargé par les pages de bassin quand un serveur de tuiles est configuré (extra.annuaire.carte)",
    ),
}


def download(package: str, version: str, folder: Path) -> Path:
    subprocess.run(["npm", "pack", f"{package}@{version}", "--silent"], cwd=folder, check=True, capture_output=True)
    archive = next(folder.glob("*.tgz"))
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    return folder / "package"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("name", choices=sorted(LIBRARIES), help="npm package")
    parser.add_argument("version", help="version of the npm package, e.g. 3.15.0")
    args = parser.parse_args()
    library = LIBRARIES[args.name]
    out = VENDOR / args.name
    with tempfile.TemporaryDirectory() as folder:
        package = download(args.name, args.version, Path(folder))
        for source, target in library.files.items():
            (out / target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(package / source, out / target)
        for name in library.minify:
            target = str(out / name)
            command = ["npx", "--yes", TERSER, target, "--compress", "--mangle", "--comments", "/@license|^!/"]
            subprocess.run([*command, "--output", target], cwd=folder, check=True, capture_output=True)
    minified = f", minifié par {TERSER}" if library.minify else ""
    (out / "VERSION").write_text(
        f"{args.name} {args.version} (npm{minified}), licence {library.licence} : {library.use}. "
        f"Mise à jour : python scripts/update_vendor.py {args.name} VERSION.\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
