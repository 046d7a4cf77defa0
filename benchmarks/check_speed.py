"""How much does `annuaire check` cost on top of merely parsing the YAML files with libyaml?

Generates N synthetic but valid service records (and one structure for every five services, one
territory) in a temporary folder, then times, best of 3:

- `load_catalog`: the whole check (strict loading, models, cross-record checks), without printing;
- libyaml alone: `yaml.load(text, Loader=yaml.CSafeLoader)` over the same files, reading included.

Goal: ratio ≤ 1.5.

    .venv/bin/python benchmarks/check_speed.py [--records 10000] [--profile]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.records.catalog import load_catalog  # noqa: E402
from generator.records.diagnostics import Report  # noqa: E402
from generator.referentiels import freins  # noqa: E402

TODAY = date(2026, 11, 1)
GOAL = 1.5
SERVICES_PER_STRUCTURE = 5

_BASSINS = ["aurillac", "mauriac", "saint-flour"]
_FREINS = [frein.id for frein in freins()]  # the référentiel's, in its order
_HORAIRES = [
    "Mo-Fr 09:00-12:00,13:30-17:00; PH off",
    "Mo-Th 08:30-12:00; Fr 08:30-11:30",
    "Tu,Th 14:00-17:00",
    "Mo-Fr 09:00-17:00",
    "We 09:00-12:00; Sa 10:00-12:00; PH off",
]
_THEMATIQUES = [
    "difficultes-financieres--ameliorer-sa-gestion-budgetaire",
    "sante--acces-aux-soins",
    "mobilite--acceder-a-un-vehicule",
    "numerique--maitriser-les-fondamentaux-du-numerique",
]
_PUBLICS = ["beneficiaires-des-minimas-sociaux", "personnes-en-situation-durgence", "jeunes", "familles"]
_COMMUNES = [("15000", "15014", "Aurillac"), ("15200", "15120", "Mauriac"), ("15100", "15187", "Saint-Flour")]
_SIRET = "13003013300016"


def _phone(rng: random.Random) -> str:
    return f"04 71 {rng.randrange(100):02d} {rng.randrange(100):02d} {rng.randrange(100):02d}"


def territory() -> str:
    bassins = "".join(
        f'  - id: {b}\n    nom: Bassin de {b}\n    communes: ["{c[1]}"]\n'
        for b, c in zip(_BASSINS, _COMMUNES, strict=False)
    )
    return f'id: cantal\nnom: Cantal\ndepartement: "15"\nbassins:\n{bassins}'


def structure(rng: random.Random, index: int) -> str:
    postcode, insee, commune = rng.choice(_COMMUNES)
    return (
        f"id: structure-{index}\n"
        f"nom: Structure d'accompagnement numéro {index}\n"
        "sigle: SAN\n"
        "territoire: cantal\n"
        f'siret: "{_SIRET}"\n'
        "description: |\n"
        "  Une structure du territoire qui accompagne les personnes dans leurs démarches\n"
        "  et les oriente vers les bons interlocuteurs.\n"
        f"adresse: {rng.randrange(1, 80)} rue de l'Exemple\n"
        f'code_postal: "{postcode}"\n'
        f'code_insee: "{insee}"\n'
        f"commune: {commune}\n"
        f"latitude: {44.9 + rng.random() / 10:.4f}\n"
        f"longitude: {2.4 + rng.random() / 10:.4f}\n"
        f'telephone: "{_phone(rng)}"\n'
        f"courriel: contact-{index}@structure.example.org\n"
        f"site_web: https://structure-{index}.example.org\n"
        f'horaires_accueil: "{rng.choice(_HORAIRES)}"\n'
        f"mainteneurs: [compte-{index}]\n"
        f"date_maj: 2026-{rng.randrange(1, 10):02d}-{rng.randrange(1, 28):02d}\n"
    )


def service(rng: random.Random, index: int, structures: int) -> str:
    owner = index % structures
    lines = [
        f"id: service-{index}",
        f"structure: structure-{owner}",
        f"nom: Atelier d'accompagnement {index}",
        "type: accompagnement",
        "description: |",
        "  Des rendez-vous individuels pour faire le point sur sa situation, préparer ses démarches",
        "  et trouver des solutions avec un professionnel.",
        f"freins: [{', '.join(rng.sample(_FREINS, rng.randrange(1, 3)))}]",
        "thematiques:",
        f"  - {rng.choice(_THEMATIQUES)}",
        f"publics: [{rng.choice(_PUBLICS)}]",
        "frais: gratuit",
        "modes_accueil: [en-presentiel, a-distance]",
        "modes_mobilisation: [telephoner, envoyer-un-courriel]",
        "mobilisable_par: [professionnels, usagers]",
        "mobilisation_precisions: Le conseiller joint la fiche de liaison au courriel.",
        f"bassins: [{rng.choice(_BASSINS)}]",
    ]
    if structures > 1 and rng.random() < 0.3:
        lines.append(f"partenaires: [structure-{(owner + 1) % structures}]")
    if rng.random() < 0.5:
        lines.append(f'telephone: "{_phone(rng)}"')
    if rng.random() < 0.3:
        lines.append(f'horaires_accueil: "{rng.choice(_HORAIRES)}"')
    if rng.random() < 0.2:
        lines.append("periodicite: un jeudi par mois")
    lines.append(f"date_maj: 2026-{rng.randrange(1, 10):02d}-{rng.randrange(1, 28):02d}")
    return "\n".join(lines) + "\n"


def generate(root: Path, services: int, seed: int = 1) -> int:
    """Write the synthetic records under `root`; return the number of files."""
    rng = random.Random(seed)
    structures = max(1, services // SERVICES_PER_STRUCTURE)
    for folder in ("territoires", "structures", "services"):
        (root / folder).mkdir(parents=True)
    (root / "territoires" / "cantal.yml").write_text(territory(), encoding="utf-8")
    for index in range(structures):
        (root / "structures" / f"structure-{index}.yml").write_text(structure(rng, index), encoding="utf-8")
    for index in range(services):
        (root / "services" / f"service-{index}.yml").write_text(service(rng, index, structures), encoding="utf-8")
    return 1 + structures + services


def run_check(root: Path) -> Report:
    report = Report()
    load_catalog(root, "", report, today=TODAY)
    return report


def run_libyaml(root: Path) -> int:
    count = 0
    for folder in ("territoires", "structures", "services"):
        for path in sorted((root / folder).iterdir()):
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            count += 1
    return count


def _timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def best_of(runs: int, root: Path) -> tuple[float, float]:
    """Best times of the check and of libyaml alone, run in turn so that a busy machine weighs on both."""
    check = parse = float("inf")
    for _ in range(runs):
        check = min(check, _timed(run_check, root))
        parse = min(parse, _timed(run_libyaml, root))
    return check, parse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000, help="number of services (default 10000)")
    parser.add_argument("--runs", type=int, default=3, help="best of how many runs (default 3)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one check run")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="annuaire-bench-") as tmp:
        root = Path(tmp)
        files = generate(root, args.records)
        report = run_check(root)  # also warms the caches of the file system and of the libraries
        if report.diagnostics:
            print("\n".join(report.lines()[:20]))
            print(f"les fiches générées devraient être valides : {report.summary()}", file=sys.stderr)
            return 1
        run_libyaml(root)
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(run_check, root)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
        check, parse = best_of(args.runs, root)
    ratio = check / parse
    print(f"{files} fichiers ({args.records} services), meilleur temps sur {args.runs} :")
    print(f"  annuaire check (load_catalog) : {check:.3f} s")
    print(f"  lecture seule par libyaml :     {parse:.3f} s")
    print(f"  rapport : {ratio:.2f} (objectif ≤ {GOAL})")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
