"""What does the directory cost at scale? `annuaire build` against a bare mkdocs-material build, memory, sizes.

Generates N synthetic but valid services (one structure for every five, two territories) in a temporary
resources folder, then in the same run:

1. times `annuaire build` of them (check, render, mkdocs-material build, swap), then the same build again
   after one service is edited (the unchanged fiches are taken from the first build);
2. times a bare mkdocs-material build of N plain Markdown pages (same theme, French search plugin on,
   pages out of the nav): what the engine alone costs. Goal: ratio 1 / 2 ≤ 1.0 (the fiches are stamped into
   the theme's page rather than built by the engine, see generator/site/stamp.py);
3. prints the build's peak memory (goal ≤ 4 GiB), the largest and mean size of a built service fiche
   (goal ≤ 40 KB), of assets/annuaire.json (the forms' contacts, goal < 2 MB) and of the search index.

What a visitor downloads and how fast the search answers: benchmarks/search_size.py.

With --detail, the build's phases are timed apart: check, pages, engine, fiches stamped.

This is a measurement, not a test: it prints figures and exits 1 when a goal is missed.

    .venv/bin/python benchmarks/site_build.py [--services 10000] [--detail] [--profile] [--keep DIR]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.referentiels import freins  # noqa: E402

GOALS = {"memory_mb": 4096, "ratio": 1.0, "fiche_kb": 40, "index_mb": 2}
SERVICES_PER_STRUCTURE = 5
TERRITOIRES = {
    "cantal": (
        "Cantal",
        "15",
        [
            ("aurillac", "Bassin d'Aurillac", "15014", "15000", "Aurillac"),
            ("mauriac", "Bassin de Mauriac", "15120", "15200", "Mauriac"),
            ("saint-flour", "Bassin de Saint-Flour", "15187", "15100", "Saint-Flour"),
        ],
    ),
    "rhone": (
        "Rhône",
        "69",
        [
            ("lyon", "Bassin de Lyon", "69123", "69001", "Lyon"),
            ("villefranche", "Bassin de Villefranche-sur-Saône", "69264", "69400", "Villefranche-sur-Saône"),
        ],
    ),
}
FREINS = [frein.id for frein in freins()]  # the référentiel's, in its order
PUBLICS = [
    ["tous-publics"],
    ["beneficiaires-des-minimas-sociaux"],
    ["jeunes"],
    ["familles", "femmes"],
    ["demandeurs-emploi", "beneficiaires-des-minimas-sociaux"],
    ["personnes-en-situation-durgence"],
]
THEMATIQUES = [
    "difficultes-financieres--ameliorer-sa-gestion-budgetaire",
    "sante--acces-aux-soins",
    "mobilite--acceder-a-un-vehicule",
    "numerique--maitriser-les-fondamentaux-du-numerique",
]
HORAIRES = [
    "Mo-Fr 09:00-12:00,13:30-17:00; PH off",
    "Mo-Th 08:30-12:00; Fr 08:30-11:30",
    "Tu,Th 14:00-17:00",
    "We 09:00-12:00; Sa 10:00-12:00; PH off",
]
ACTIONS = ["Atelier", "Permanence", "Accompagnement", "Café", "Point d'accueil", "Consultation", "Groupe de parole"]
SUJETS = [
    "budget",
    "mobilité",
    "logement",
    "santé",
    "numérique",
    "français",
    "alimentation",
    "garde d'enfants",
    "accès aux droits",
    "permis de conduire",
    "addictions",
    "surendettement",
]
PHRASES = [
    "Des rendez-vous individuels pour faire le point sur sa situation et préparer ses démarches.",
    "Un professionnel aide la personne à constituer son dossier et à comprendre les courriers reçus.",
    "Les séances ont lieu en petit groupe, dans un cadre bienveillant et confidentiel.",
    "Le service oriente si besoin vers les partenaires du territoire : CCAS, associations, hôpital.",
    "Une aide concrète : prêt de matériel, accompagnement physique, mise en relation.",
]


def _phone(rng: random.Random) -> str:
    return f"04 71 {rng.randrange(100):02d} {rng.randrange(100):02d} {rng.randrange(100):02d}"


def _territoire(tid: str) -> str:
    nom, departement, bassins = TERRITOIRES[tid]
    lines = [f"id: {tid}", f"nom: {nom}", f'departement: "{departement}"', "demonstration: true", "bassins:"]
    for bid, bnom, insee, _, _ in bassins:
        lines += [f"  - id: {bid}", f'    nom: "{bnom}"', f'    communes: ["{insee}"]']
    return "\n".join(lines) + "\n"


def _structure(rng: random.Random, index: int, tid: str) -> str:
    _, _, insee, postcode, commune = rng.choice(TERRITOIRES[tid][2])
    return (
        f"id: structure-{index}\nnom: Structure d'accompagnement numéro {index}\nsigle: SAN{index}\n"
        f"territoire: {tid}\ndescription: |\n  {rng.choice(PHRASES)}\n  {rng.choice(PHRASES)}\n"
        f"adresse: {rng.randrange(1, 80)} rue de l'Exemple\n"
        f'code_postal: "{postcode}"\ncode_insee: "{insee}"\ncommune: {commune}\n'
        f'telephone: "{_phone(rng)}"\ncourriel: contact-{index}@structure.example.org\n'
        f"site_web: https://structure-{index}.example.org\n"
        f'horaires_accueil: "{rng.choice(HORAIRES)}"\n'
        f"date_maj: 2026-{rng.randrange(1, 10):02d}-{rng.randrange(1, 28):02d}\n"
    )


def _service(rng: random.Random, index: int, owner: int, tid: str, structures: int) -> str:
    bassins = [b[0] for b in TERRITOIRES[tid][2]]
    commune = rng.choice(TERRITOIRES[tid][2])[4]
    nom = f"{rng.choice(ACTIONS)} {rng.choice(SUJETS)} {index}"
    lines = [
        f"id: service-{index}",
        f"structure: structure-{owner}",
        f'nom: "{nom}"',
        "type: accompagnement",
        # Each description is unique, as real ones are (no cache can serve one record's text to another).
        "description: |",
        f"  {nom} à {commune}.",
        *(f"  {rng.choice(PHRASES)}" for _ in range(rng.randrange(1, 4))),
        f"freins: [{', '.join(rng.sample(FREINS, rng.randrange(1, 3)))}]",
        f"thematiques: [{rng.choice(THEMATIQUES)}]",
        f"publics: [{', '.join(rng.choice(PUBLICS))}]",
        "frais: gratuit",
        "modes_accueil: [en-presentiel]",
        "modes_mobilisation: [telephoner, envoyer-un-courriel]",
        "mobilisable_par: [professionnels, usagers]",
        "mobilisation_precisions: Le conseiller joint la fiche de liaison au courriel.",
    ]
    if rng.random() < 0.7:
        lines.append(f"bassins: [{', '.join(rng.sample(bassins, rng.randrange(1, len(bassins) + 1)))}]")
    if rng.random() < 0.3:
        lines.append(f"partenaires: [structure-{(owner + 2) % structures}]")
    if rng.random() < 0.5:
        lines.append(f'telephone: "{_phone(rng)}"')
    if rng.random() < 0.2:
        lines.append("periodicite: un jeudi par mois")
    year = 2025 if rng.random() < 0.1 else 2026  # some records are past their yearly check
    lines.append(f"date_maj: {year}-{rng.randrange(1, 10):02d}-{rng.randrange(1, 28):02d}")
    return "\n".join(lines) + "\n"


def generate(root: Path, services: int, seed: int = 1) -> list[tuple[str, str]]:
    """Write the synthetic records under `root`; return (name, description) of each service."""
    rng = random.Random(seed)
    structures = max(2, services // SERVICES_PER_STRUCTURE)
    territoire_of = ["cantal" if i % 3 else "rhone" for i in range(structures)]
    for folder in ("territoires", "structures", "services"):
        (root / folder).mkdir(parents=True)
    for tid in TERRITOIRES:
        (root / "territoires" / f"{tid}.yml").write_text(_territoire(tid), encoding="utf-8")
    for index in range(structures):
        (root / "structures" / f"structure-{index}.yml").write_text(
            _structure(rng, index, territoire_of[index]), encoding="utf-8"
        )
    texts = []
    for index in range(services):
        owner = index % structures
        text = _service(rng, index, owner, territoire_of[owner], structures)
        (root / "services" / f"service-{index}.yml").write_text(text, encoding="utf-8")
        texts.append(
            (text.split('nom: "', 1)[1].split('"', 1)[0], text.split("description: |\n", 1)[1].split("\nfreins")[0])
        )
    return texts


def bare_mkdocs_project(root: Path, pages: list[tuple[str, str]]) -> None:
    """N plain Markdown pages with the same theme and French search, kept out of the nav."""
    docs = root / "docs"
    (docs / "pages").mkdir(parents=True)
    (docs / "index.md").write_text("# Accueil\n\nPages de mesure.\n", encoding="utf-8")
    for index, (name, description) in enumerate(pages):
        (docs / "pages" / f"page-{index}.md").write_text(f"# {name}\n\n{description.strip()}\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: Mesure\ntheme:\n  name: material\n  language: fr\n  font: false\n"
        "plugins:\n  - search:\n      lang: fr\nnav:\n  - index.md\n",
        encoding="utf-8",
    )


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float  # user + system time of the command and of the processes it waited for

    def __str__(self) -> str:
        return f"{self.wall:7.1f} s ({self.cpu:.1f} s CPU)"


def timed(command: list[str], cwd: Path | None = None) -> Timing:
    """Wall and CPU time of a command. CPU time holds when other work shares the machine; wall time does not."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"« {' '.join(command)} » a échoué :\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return Timing(wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)


def in_process(function, *args) -> Timing:
    """Wall and CPU time of a call, the CPU of the processes it waited for included."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, cpu = time.perf_counter(), time.process_time()
    function(*args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    waited = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    return Timing(time.perf_counter() - wall, time.process_time() - cpu + waited)


def build_phases(resources: Path, staging: Path) -> None:
    """Where `annuaire build`'s time goes, one phase after the other: the check, the generator's pages, the engine on
    those pages (one placeholder per kind of fiche), the fiches stamped into the placeholder's page, the search
    index. In the build itself the fiches are rendered while the pages are written, and the services indexed from
    the start."""
    from generator.build import markdown_extensions, read_config, settings_from, write_config, write_docs
    from generator.records.catalog import load_catalog
    from generator.records.diagnostics import Report
    from generator.site.search import write_search_index
    from generator.site.stamp import Rendering, read_shells

    catalogs = []
    check = in_process(lambda: catalogs.append(load_catalog(resources, "", Report())))
    config = read_config()
    settings = settings_from(config)
    pages = in_process(write_docs, catalogs[0], settings, staging / "docs")
    write_config(config, staging / "mkdocs.yml")
    engine = timed([sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd=staging)
    site = staging / "site"
    stamping = in_process(lambda: Rendering(catalogs[0], settings, staging / "fiches").stamp(site, read_shells(site)))
    search = in_process(lambda: write_search_index(catalogs[0], site, staging / "docs", markdown_extensions(config)))
    print(f"    dont vérification des fiches :   {check}")
    print(f"    dont pages de l'annuaire :       {pages}")
    print(f"    dont mkdocs-material sur elles : {engine}")
    print(f"    dont fiches estampillées :       {stamping}, processus de rendu compris")
    print(f"    dont index de recherche :        {search} (Pagefind, dès le début dans annuaire build)")


def profile_render(resources: Path) -> None:
    """cProfile of the generator side alone: check, then every page written to a docs folder."""
    from generator.build import read_config, settings_from, write_docs
    from generator.records.catalog import load_catalog
    from generator.records.diagnostics import Report

    catalog = load_catalog(resources, "", Report())
    with tempfile.TemporaryDirectory(prefix="annuaire-profil-") as tmp:
        profiler = cProfile.Profile()
        profiler.runcall(write_docs, catalog, settings_from(read_config()), Path(tmp) / "docs")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=10_000, help="number of services (default 10000)")
    parser.add_argument(
        "--detail",
        action="store_true",
        help="also time the phases of the build (check, pages, engine, fiches stamped): one more build",
    )
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of the generator side")
    parser.add_argument("--keep", type=Path, help="keep the built site in this folder")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="annuaire-bench-site-") as tmp:
        root = Path(tmp)
        resources = root / "resources"
        pages = generate(resources, args.services)
        out = args.keep.resolve() if args.keep else root / "site"
        print(f"{args.services} services, {len(list((resources / 'structures').iterdir()))} structures générés")

        build = timed(
            [sys.executable, "-m", "generator", "build", "--resources", str(resources), "--out", str(out)], cwd=REPO
        )
        print(f"  annuaire build :                   {build}")
        # A partner's edit: one service renamed, the site rebuilt into the same folder (unchanged fiches reused).
        edited = resources / "services" / "service-7.yml"
        edited.write_text(edited.read_text(encoding="utf-8").replace('nom: "', 'nom: "Modifié '), encoding="utf-8")
        rebuild = timed(
            [sys.executable, "-m", "generator", "build", "--resources", str(resources), "--out", str(out)], cwd=REPO
        )
        print(f"  reconstruction après une fiche modifiée : {rebuild}")
        # The build is the first command run: the largest resident set of any process so far is its own, or
        # that of one of its rendering workers (each one counted alone, their shared pages not added up).
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"  mémoire de pointe d'un processus : {peak_mb:.0f} Mo (objectif ≤ {GOALS['memory_mb']} Mo)")
        if args.detail:
            build_phases(resources, root / "etapes")
        bare = root / "bare"
        bare_mkdocs_project(bare, pages)
        engine = timed([sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd=bare)
        print(f"  mkdocs-material nu ({args.services} pages) : {engine}")
        ratio = build.wall / engine.wall
        print(
            f"  rapport : {ratio:.2f} en durée, {build.cpu / engine.cpu:.2f} en temps CPU (objectif ≤ {GOALS['ratio']})"
        )
        print(
            f"  rapport de la reconstruction : {rebuild.wall / engine.wall:.2f} en durée, "
            f"{rebuild.cpu / engine.cpu:.2f} en temps CPU"
        )

        sizes = [p.stat().st_size for p in (out / "services").glob("*/index.html")]
        largest, mean = max(sizes) / 1024, statistics.mean(sizes) / 1024
        print(
            f"  fiche service : la plus grosse {largest:.1f} Ko, moyenne {mean:.1f} Ko (objectif ≤ {GOALS['fiche_kb']} Ko)"
        )
        index_mb = (out / "assets" / "annuaire.json").stat().st_size / 1024 / 1024
        print(f"  assets/annuaire.json : {index_mb:.2f} Mo (objectif < {GOALS['index_mb']} Mo)")
        search_mb = sum(p.stat().st_size for p in (out / "pagefind").rglob("*") if p.is_file()) / 1024 / 1024
        print(f"  pagefind/ (index découpé, chargé morceau par morceau) : {search_mb:.1f} Mo sur le disque")

        if args.profile:
            profile_render(resources)

    missed = [
        name
        for name, ok in [
            ("rapport", ratio <= GOALS["ratio"]),
            ("mémoire", peak_mb <= GOALS["memory_mb"]),
            ("taille des fiches", largest <= GOALS["fiche_kb"]),
            ("taille de l'index", index_mb < GOALS["index_mb"]),
        ]
        if not ok
    ]
    print("objectifs atteints" if not missed else "objectifs manqués : " + ", ".join(missed))
    return 0 if not missed else 1


if __name__ == "__main__":
    raise SystemExit(main())
