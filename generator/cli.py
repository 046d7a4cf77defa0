"""Command line `annuaire`: parses arguments and wires the pipeline stages, nothing more."""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from generator.records.catalog import STALE_AFTER_MONTHS, Catalog, count_records, load_catalog
from generator.records.diagnostics import Report, os_problem, shorten
from generator.site.page import SettingsError

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

_ARGPARSE_FR = [
    (r"the following arguments are required: (.*)", r"arguments obligatoires manquants : \1"),
    (r"unrecognized arguments: (.*)", r"arguments inconnus : \1"),
    (
        r"argument (\S+): invalid choice: (\S+) \(choose from (.*)\)",
        r"argument \1 : choix « \2 » invalide (possibles : \3)",
    ),
    (r"argument (\S+): expected one argument", r"l'option \1 attend une valeur"),
    (r"invalid choice: (\S+) \(choose from (.*)\)", r"commande \1 inconnue (possibles : \2)"),
    (r"one of the arguments (.*) is required", r"une de ces options est obligatoire : \1"),
    (r"argument (\S+): not allowed with argument (\S+)", r"les options \1 et \2 s'excluent"),
    (r"argument (\S+): invalid int value: (.*)", r"l'option \1 attend un nombre entier, pas \2"),
    (r"^argument (\S+): (.*)", r"option \1 : \2"),
]


class UsageError(Exception):
    """Wrong arguments or folders: exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse speaks English; users read French
        for pattern, french in _ARGPARSE_FR:
            message = re.sub(pattern, french, message)
        # One line, as every other problem; the usage is one --help away.
        print(f"annuaire : erreur d'utilisation : {shorten(message, 300)} (aide : {self.prog} --help)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def resources_dir(value: str) -> Path:
    path = Path(value)
    try:
        found = path.is_dir()
    except OSError as exc:  # a name too long for the system
        raise UsageError(f"le dossier de fiches « {shorten(value)} » est inutilisable ({os_problem(exc)})") from None
    if not found:
        raise UsageError(f"le dossier de fiches « {shorten(value)} » n'existe pas")
    return path


def port_number(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise argparse.ArgumentTypeError(f"« {shorten(value)} » n'est pas un numéro de port (de 1 à 65535)")
    return int(value)


def _environment_error(exc: OSError) -> str:
    """One French line for a file or network problem: what failed, on which path."""
    where = f" : « {shorten(str(exc.filename))} »" if exc.filename is not None else ""
    return f"{os_problem(exc)}{where}"


def check_records(
    resources: str,
    strict: bool = False,
    quiet_ok: bool = False,
    quality: bool = False,
    more_checks: Callable[[Path, Report], None] | None = None,
) -> tuple[Catalog, Report]:
    """Load and check (and run `more_checks`); print (with `quality`) the quality line, then every problem,
    then the summary line.

    The quality line comes first so that the contract's shape holds: problem lines, then one summary line last.
    """
    report = Report()
    catalog = load_catalog(resources_dir(resources), resources, report)
    if not report.files_checked:
        raise UsageError(
            f"« {shorten(resources)} » ne contient aucune fiche (ni territoires/, ni structures/, ni services/ "
            "avec des fichiers .yml) : est-ce le bon dossier ?"
        )
    if more_checks is not None:
        more_checks(Path(resources), report)
    _warn_placeholder_forge(Path(resources), report)
    if quality:
        from generator.opendata.quality import summary_line

        if quality_line := summary_line(catalog):
            print(quality_line)
    for line in report.lines():
        print(line)
    if report.failed(strict) or not quiet_ok or report.diagnostics:
        print(
            report.summary()
            + (" (--strict : les avertissements comptent comme des erreurs)" if strict and report.warnings else "")
        )
    return catalog, report


def _warn_placeholder_forge(resources: Path, report: Report) -> None:
    """The project's own records are published with mkdocs.yml: its forge links must be the territory's."""
    from generator.build import CONFIG, read_config, settings_from
    from generator.site.page import PROJECT_ROOT, is_placeholder

    if resources.resolve() != (PROJECT_ROOT / "resources").resolve() or not CONFIG.is_file():
        return
    url = settings_from(read_config()).annuaire.lien_correction
    if url and is_placeholder(url):
        text = CONFIG.read_text(encoding="utf-8")
        line = text[: text.index(url)].count("\n") + 1
        col = text.splitlines()[line - 1].index(url) + 1
        shown = os.path.relpath(CONFIG)
        report.warning(
            shown,
            line,
            col,
            "extra.annuaire.lien_correction",
            "adresse du dépôt d'exemple : le lien « Proposer une correction » n'est pas affiché ; "
            "réglez celle de votre dépôt avec annuaire init TERRITOIRE --departement NN --forge github|gitlab --depot URL",
        )


def cmd_check(args: argparse.Namespace) -> int:
    concerns = None  # which problems the change is about: all of them without --changed-from
    more_checks = None
    if args.changed_from:
        from generator.contrib.changes import RevisionError
        from generator.contrib.ci_report import ChangeScope

        try:
            scope = ChangeScope.since(resources_dir(args.resources), args.resources, args.changed_from)
        except RevisionError as exc:
            raise UsageError(str(exc)) from None
        concerns, more_checks = scope.concerns, scope.warn_mentions_of_removed
    _, report = check_records(args.resources, args.strict, quality=True, more_checks=more_checks)
    if args.format == "github":
        from generator.contrib.ci_report import github_commands, github_summary

        for line in github_commands(report, concerns):
            print(line)
        if concerns is not None and (summary_file := os.environ.get("GITHUB_STEP_SUMMARY")):
            with open(summary_file, "a", encoding="utf-8") as summary:
                summary.write(github_summary(report, concerns))
    elif args.format == "gitlab":
        from generator.contrib.ci_report import gitlab_code_quality

        try:
            Path(args.report).write_text(gitlab_code_quality(report, concerns), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"impossible d'écrire le rapport « {shorten(args.report)} » ({os_problem(exc)})") from None
    return EXIT_INVALID if report.failed(args.strict) else EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from generator.build import BuildError, Interrupted, OutFolderRefused, build_site, check_out_folder

    try:
        check_out_folder(Path(args.out), resources_dir(args.resources), args.out)  # before the long check
        catalog, report = check_records(args.resources, quiet_ok=True)
        if report.failed():
            print(f"Construction annulée : « {args.out} » n'a pas été modifié.")
            return EXIT_INVALID
        build_site(
            catalog,
            Path(args.resources),
            Path(args.out),
            engine=args.moteur,
            shown=args.out,
            local_files=args.fichiers_locaux,
        )
    except OutFolderRefused as exc:
        raise UsageError(str(exc)) from None
    except KeyboardInterrupt as exc:
        print(f"Construction interrompue : « {args.out} » n'a pas été modifié.", file=sys.stderr)
        return 128 + (exc.signum if isinstance(exc, Interrupted) else signal.SIGINT)
    except BuildError as exc:
        print(f"error: construction impossible : {exc}")
        print(f"Construction annulée : « {args.out} » n'a pas été modifié.")
        return EXIT_INVALID
    print(f"Site construit dans « {args.out} » : {count_records(catalog)}.")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from generator.serve import PortUnavailable, serve

    try:
        return serve(Path(resources_dir(args.resources)), args.resources, args.port)
    except PortUnavailable as exc:
        raise UsageError(str(exc)) from None


def cmd_export(args: argparse.Namespace) -> int:
    from generator.opendata.export import Exported, export_files, official_problems

    catalog, report = check_records(args.resources, quiet_ok=True)
    if report.failed():
        print(f"Export annulé : « {args.out} » n'a pas été modifié.")
        return EXIT_INVALID
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"« {args.out} » existe et n'est pas un dossier")
    out.mkdir(parents=True, exist_ok=True)
    exported = Exported(catalog)
    files = export_files(catalog, [args.format], exported)
    for name, content in files.items():
        (out / name).write_text(content, encoding="utf-8", newline="")
    if args.format == "data-inclusion":
        for record, reason in official_problems(catalog, exported):
            print(f"{catalog.source(record).path}:1:1: warning: data·inclusion: {reason}")
    print(f"Export « {args.format} » dans « {args.out} » : {', '.join(files)} ({count_records(catalog)}).")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from generator.opendata.importer import UnreadableExport, import_files

    resources = resources_dir(args.resources)
    catalog = load_catalog(resources, args.resources, Report())
    territoire = catalog.territoires.get(args.territoire)
    if territoire is None:
        known = ", ".join(sorted(catalog.territoires)) or "aucun"
        raise UsageError(
            f"territoire « {args.territoire} » introuvable dans « {args.resources} » (territoires : {known})"
        )
    files = []
    for name in args.fichiers:
        if not Path(name).is_file():
            problem = "n'est pas un fichier ordinaire" if Path(name).exists() else "n'existe pas"
            raise UsageError(f"le fichier « {shorten(name)} » {problem}")
        files.append((Path(name), name))
    try:
        result = import_files(files, catalog, territoire, resources, args.resources)
    except UnreadableExport as exc:
        print(exc)
        print("Import annulé : aucune fiche écrite.")
        return EXIT_INVALID
    for line in result.lines():
        print(line)
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from generator.contrib.skeleton import SkeletonError, write_skeleton

    try:
        path = write_skeleton(args.kind, args.id, resources_dir(args.resources))
    except SkeletonError as exc:
        if exc.usage:
            raise UsageError(str(exc)) from None
        print(exc)
        return EXIT_INVALID
    print(f"Fiche créée : {path}")
    print(f"Remplissez les champs obligatoires, puis vérifiez : annuaire check --resources {args.resources}")
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from generator.contrib.init_territory import Forge, InitError, init_territory

    if bool(args.forge) != bool(args.depot):
        raise UsageError(
            "--forge et --depot vont ensemble (par exemple --forge gitlab --depot https://gitlab.exemple.fr/insertion/base)"
        )
    forge = Forge(args.forge, args.depot.rstrip("/"), args.branche) if args.forge else None
    try:
        result = init_territory(
            Path.cwd(),
            args.territoire,
            args.departement,
            nom=args.nom,
            forge=forge,
            site_url=args.site_url,
            remove_demo=args.supprimer_demo,
            replace=args.remplacer,
            courriel=args.courriel,
        )
    except InitError as exc:
        raise UsageError(str(exc)) from None
    if result.removed:
        print(f"Données de démonstration supprimées : {len(result.removed)} fichiers.")
    for path in result.written:
        print(f"Écrit : {path}")
    print("Reste à faire :")
    for number, step in enumerate(result.todo, 1):
        print(f"  {number}. {step}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from generator.contrib.schema import outdated_schemas, write_schemas

    if args.check:
        outdated = outdated_schemas(Path(args.out))
        print("\n".join(outdated) if outdated else f"Les schémas de « {args.out} » sont à jour.")
        return EXIT_INVALID if outdated else EXIT_OK
    for path in write_schemas(Path(args.out)):
        print(f"Schéma écrit : {path}")
    return EXIT_OK


def cmd_codeowners(args: argparse.Namespace) -> int:
    from generator.contrib.codeowners import codeowners_text, differences

    report = Report()
    catalog = load_catalog(resources_dir(args.resources), args.resources, report)
    if report.errors:
        print("\n".join(d.format() for d in sorted(report.errors)))
        print("CODEOWNERS non généré : corrigez d'abord les erreurs ci-dessus (annuaire check).")
        return EXIT_INVALID
    text = codeowners_text(catalog, Path(args.resources), Path.cwd(), args.default_owner)
    out = Path(args.out)
    if args.check:
        lines = differences(out, text)
        print("\n".join(lines) if lines else f"« {out} » est à jour.")
        return EXIT_INVALID if lines else EXIT_OK
    out.write_text(text, encoding="utf-8")
    print(f"« {out} » écrit à partir des mainteneurs de {len(catalog.structures)} structures.")
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from generator.contrib.changes import RevisionError, diff_against_revision, diff_folders, to_markdown

    resources = resources_dir(args.resources)
    if args.base_dir:
        changes = diff_folders(resources_dir(args.base_dir), resources)
    else:
        try:
            changes = diff_against_revision(resources, args.base)
        except RevisionError as exc:
            raise UsageError(str(exc)) from None
    print(to_markdown(changes), end="")
    return EXIT_OK


def cmd_guide(args: argparse.Namespace) -> int:
    from generator.build import read_config, settings_from
    from generator.contrib.guide import GuideError, generated_section, updated_guide

    guide = Path(args.fichier)
    try:
        text = guide.read_text(encoding="utf-8")
        # The link as written, placeholder forge included: the guide shows partners the path to follow.
        correction_url = settings_from(read_config()).annuaire.lien_correction
        updated = updated_guide(text, generated_section(resources_dir(args.resources), correction_url))
    except OSError as exc:
        raise UsageError(f"impossible de lire « {guide} » ({exc.strerror})") from None
    except GuideError as exc:
        raise UsageError(f"« {guide} » : {exc}") from None
    if args.check:
        if updated != text:
            print(f"« {guide} » n'est plus à jour (valeurs des listes) : lancez « make contributing ».")
            return EXIT_INVALID
        print(f"« {guide} » est à jour.")
        return EXIT_OK
    guide.write_text(updated, encoding="utf-8")
    print(f"« {guide} » : valeurs des listes mises à jour.")
    return EXIT_OK


def cmd_stale(args: argparse.Namespace) -> int:
    from generator.contrib.stale import stale_report

    if args.mois < 1:
        raise UsageError(f"--mois attend un nombre de mois d'au moins 1, pas {args.mois}")
    catalog = load_catalog(resources_dir(args.resources), args.resources, Report())
    print(stale_report(catalog, args.mois), end="")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="annuaire", description="Base de ressources sociales : vérifier les fiches et construire le site."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="commande", parser_class=_Parser)

    check = commands.add_parser("check", help="vérifier les fiches")
    check.add_argument("--resources", default="resources", help="dossier des fiches (défaut : resources)")
    check.add_argument("--strict", action="store_true", help="les avertissements font échouer la vérification")
    check.add_argument(
        "--format",
        choices=["text", "github", "gitlab"],
        default="text",
        help="github : ajoute les annotations GitHub Actions ; gitlab : écrit aussi le rapport "
        "Code Quality de GitLab (voir --report)",
    )
    check.add_argument(
        "--report",
        default="gl-code-quality-report.json",
        help="fichier du rapport Code Quality avec --format gitlab (défaut : gl-code-quality-report.json)",
    )
    check.add_argument(
        "--changed-from",
        metavar="REV",
        help="révision git de départ d'une demande de fusion : annotations et rapport Code Quality pour les "
        "seules fiches modifiées (les problèmes des autres fiches vont au résumé), avertissement quand un texte "
        "cite encore une fiche supprimée",
    )
    check.set_defaults(run=cmd_check)

    build = commands.add_parser("build", help="vérifier puis construire le site")
    build.add_argument("--resources", default="resources")
    build.add_argument("--out", default="site", help="dossier du site construit (défaut : site)")
    build.add_argument(
        "--moteur",
        choices=["mkdocs", "zensical"],
        default="mkdocs",
        help="moteur qui construit les pages (défaut : mkdocs)",
    )
    build.add_argument(
        "--fichiers-locaux",
        action="store_true",
        help="liens vers les fichiers index.html : le site s'ouvre depuis le disque, sans serveur (aperçu téléchargé)",
    )
    build.set_defaults(run=cmd_build)

    serve = commands.add_parser("serve", help="aperçu local, reconstruit à chaque modification")
    serve.add_argument("--resources", default="resources")
    serve.add_argument("--port", type=port_number, default=8000, help="port de l'aperçu (défaut : 8000)")
    serve.set_defaults(run=cmd_serve)

    export = commands.add_parser(
        "export", help="écrire les données ouvertes (data·inclusion, CSV, JSON) dans un dossier"
    )
    export.add_argument(
        "--format",
        required=True,
        choices=["json", "csv", "data-inclusion"],
        help="data-inclusion : structures.json et services.json ; csv : les mêmes en CSV ; "
        "json : annuaire.json (format propre) et annuaire.geojson",
    )
    export.add_argument("--resources", default="resources")
    export.add_argument("--out", default="donnees", help="dossier où écrire les fichiers (défaut : donnees)")
    export.set_defaults(run=cmd_export)

    imports = commands.add_parser("import", help="ajouter des fiches à partir d'un export data·inclusion (JSON ou CSV)")
    imports.add_argument("source", choices=["data-inclusion"], help="format des fichiers")
    imports.add_argument("fichiers", nargs="+", metavar="FICHIER", help="structures et/ou services (JSON ou CSV)")
    imports.add_argument("--territoire", required=True, help="identifiant du territoire des fiches importées")
    imports.add_argument("--resources", default="resources")
    imports.set_defaults(run=cmd_import)

    new = commands.add_parser("new", help="écrire le squelette commenté d'une nouvelle fiche")
    new.add_argument("kind", choices=["structure", "service"], metavar="structure|service", help="type de fiche")
    new.add_argument("id", metavar="ID", help="identifiant de la fiche, par exemple atelier-budget-aurillac")
    new.add_argument("--resources", default="resources")
    new.set_defaults(run=cmd_new)

    init = commands.add_parser("init", help="démarrer un territoire : fiche du territoire, réglages du site")
    init.add_argument("territoire", metavar="TERRITOIRE", help="identifiant du territoire, par exemple lozere")
    init.add_argument("--departement", required=True, metavar="NN", help="code du département, par exemple 48")
    init.add_argument("--nom", help="nom du territoire (défaut : celui du département)")
    init.add_argument("--forge", choices=["github", "gitlab"], help="forge qui héberge le dépôt")
    init.add_argument(
        "--depot", metavar="URL", help="adresse du dépôt, par exemple https://gitlab.exemple.fr/insertion/base"
    )
    init.add_argument("--branche", default="main", help="branche publiée (défaut : main)")
    init.add_argument(
        "--courriel", metavar="ADRESSE", help="adresse de l'équipe : lien « Signaler une erreur » sans compte"
    )
    init.add_argument(
        "--site-url", metavar="URL", help="adresse publique du site (défaut : celle de GitHub Pages ou de GitLab.com)"
    )
    init.add_argument(
        "--supprimer-demo",
        action="store_true",
        help="supprimer les territoires de démonstration, leurs fiches et pages",
    )
    init.add_argument("--remplacer", action="store_true", help="réécrire la fiche du territoire si elle existe")
    init.set_defaults(run=cmd_init)

    schema = commands.add_parser("schema", help="écrire les schémas JSON des fiches (aide des éditeurs)")
    schema.add_argument("--out", default="schemas", help="dossier des schémas (défaut : schemas)")
    schema.add_argument("--check", action="store_true", help="vérifier que les schémas du dossier sont à jour")
    schema.set_defaults(run=cmd_schema)

    owners = commands.add_parser("codeowners", help="écrire CODEOWNERS à partir des mainteneurs des structures")
    owners.add_argument("--resources", default="resources")
    owners.add_argument("--out", default="CODEOWNERS", help="fichier à écrire (défaut : CODEOWNERS)")
    owners.add_argument(
        "--default-owner",
        action="append",
        default=[],
        metavar="COMPTE",
        help="responsable de tout le dépôt (option répétable)",
    )
    owners.add_argument("--check", action="store_true", help="vérifier que le fichier est à jour, sans l'écrire")
    owners.set_defaults(run=cmd_codeowners)

    diff = commands.add_parser("diff", help="résumé en français (Markdown) des fiches modifiées")
    base = diff.add_mutually_exclusive_group(required=True)
    base.add_argument("--base", metavar="REV", help="révision git de référence, par exemple origin/main")
    base.add_argument("--base-dir", metavar="DIR", help="dossier de fiches de référence")
    diff.add_argument("--resources", default="resources")
    diff.set_defaults(run=cmd_diff)

    guide = commands.add_parser("guide", help="écrire dans CONTRIBUTING.md les valeurs de chaque liste")
    guide.add_argument("--fichier", default="CONTRIBUTING.md", help="guide à mettre à jour (défaut : CONTRIBUTING.md)")
    guide.add_argument("--resources", default="resources")
    guide.add_argument("--check", action="store_true", help="vérifier que le guide est à jour, sans l'écrire")
    guide.set_defaults(run=cmd_guide)

    stale = commands.add_parser("stale", help="fiches à revérifier, par structure (Markdown)")
    stale.add_argument("--resources", default="resources")
    stale.add_argument(
        "--mois",
        type=int,
        default=STALE_AFTER_MONTHS,
        help=f"ancienneté de la dernière vérification, en mois (défaut : {STALE_AFTER_MONTHS})",
    )
    stale.set_defaults(run=cmd_stale)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"annuaire : erreur d'utilisation : {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # the environment: a folder that cannot be written, a busy port, a path too long…
        print(f"annuaire : erreur d'utilisation : {_environment_error(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except SettingsError as exc:  # the project's mkdocs.yml: the environment, not the records
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
