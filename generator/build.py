"""`annuaire build`: pages written into a staging folder, built by the engine, then swapped in atomically.

The generator only writes Markdown files and an mkdocs.yml (no MkDocs plugin API), so any engine that
reads mkdocs.yml can build them: MkDocs with Material today, Zensical tomorrow.
"""

from __future__ import annotations

import contextlib
import difflib
import itertools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from generator.forms.pages import form_pages
from generator.opendata.pages import open_data_pages
from generator.records.catalog import Catalog
from generator.records.diagnostics import os_problem
from generator.records.models import Service, Structure
from generator.site.local_preview import link_index_files
from generator.site.page import PROJECT_ROOT, AnnuaireSettings, Page, SettingsError, SiteSettings, fiche_path
from generator.site.render import site_pages
from generator.site.reuse import Reuse
from generator.site.search import SearchIndexError, SearchIndexing
from generator.site.stamp import (
    Rendering,
    ShellError,
    Shells,
    add_to_sitemap,
    placeholder_pages,
    read_shells,
)

DOCS = PROJECT_ROOT / "docs"
ASSETS = PROJECT_ROOT / "site_templates" / "assets"
THEME_OVERRIDES = PROJECT_ROOT / "site_templates" / "overrides"
CONFIG = PROJECT_ROOT / "mkdocs.yml"
EXTRA_CSS = ["assets/stylesheets/annuaire.css", "assets/stylesheets/formulaires.css", "assets/stylesheets/outils.css"]
EXTRA_JS = [
    "assets/javascripts/recherche.js",
    "assets/javascripts/annuaire.js",
    "assets/javascripts/formulaires.js",
    # The adviser's tools: opening status, selection to hand over, referral forms filled from a fiche.
    "assets/javascripts/horaires.js",
    "assets/javascripts/selection.js",
    "assets/javascripts/orienter.js",
    "assets/javascripts/carte.js",
]
DEFAULT_SITE_NAME = "Base de ressources sociales"

# Both engines read the same staged mkdocs.yml, whose docs_dir and site_dir are relative to it.
ENGINES = {
    "mkdocs": [sys.executable, "-m", "mkdocs", "build", "--quiet", "--clean", "--config-file", "mkdocs.yml"],
    "zensical": [str(Path(sys.executable).with_name("zensical")), "build", "--clean", "--config-file", "mkdocs.yml"],
}

PageProvider = Callable[[Catalog, SiteSettings], Iterable[Page]]
PROVIDERS: list[PageProvider] = [site_pages, open_data_pages, form_pages]


# Written into every site built here: only a folder holding it may be replaced by the next build.
MARKER = ".annuaire-site"
MARKER_TEXT = "Site construit par « annuaire build » : la prochaine construction remplace ce dossier en entier.\n"
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class BuildError(Exception):
    """The site could not be built; the previous output is left as it was."""


class OutFolderRefused(Exception):
    """`--out` names a folder the build must not replace (a usage error: nothing is touched)."""


class Interrupted(KeyboardInterrupt):
    """SIGTERM (a cancelled CI job, `timeout`) stops a build as Ctrl+C does: staging removed, site kept."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class _PythonName(str):
    """A `!!python/name:` value of mkdocs.yml, kept as written."""


class _ConfigLoader(yaml.SafeLoader):
    pass


class _ConfigDumper(yaml.SafeDumper):
    pass


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: _PythonName(suffix))
_ConfigDumper.add_representer(
    _PythonName, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:python/name:" + str(value), "")
)


def read_config(path: Path = CONFIG) -> dict:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        raise SettingsError(
            f"{_shown(path)}:{line}:{column}: error: YAML illisible à cet endroit (indentation, guillemets ou crochets)"
        ) from None


DEMO_FOOTER = "Coordonnées des données de démonstration fictives."
# The territory's own pages of the accompagnement global, listed in the menu after the national frame.
TERRITORY_DOCS = "accompagnement-global/territoire"


def site_config(config: dict, catalog: Catalog, docs: Path) -> dict:
    """mkdocs.yml as built: the footer's demonstration notice only when a territoire is demonstration data,
    and the territory pages of docs/accompagnement-global/territoire/ in the menu of the section."""
    staged = dict(config)
    if any(t.demonstration for t in catalog.territoires.values()):
        staged["copyright"] = f"{config.get('copyright', '')} {DEMO_FOOTER}".strip()
    pages = sorted(f"{TERRITORY_DOCS}/{p.name}" for p in (docs / TERRITORY_DOCS).glob("*.md"))
    staged["nav"] = [_with_pages(entry, pages) for entry in config.get("nav", [])]
    return staged


def _with_pages(entry, pages: list[str]):
    """The nav section that holds accompagnement-global/index.md, with `pages` added at its end."""
    if isinstance(entry, dict):
        return {
            title: [*items, *pages] if isinstance(items, list) and "accompagnement-global/index.md" in items else items
            for title, items in entry.items()
        }
    return entry


def settings_from(config: dict, path: Path = CONFIG) -> SiteSettings:
    """The site's validated settings, or SettingsError naming the line of `path` at fault."""
    extra = config.get("extra")
    annuaire = extra.get("annuaire") if isinstance(extra, dict) else None
    try:
        return SiteSettings.model_validate(
            {
                "site_name": config.get("site_name", DEFAULT_SITE_NAME),
                "site_url": config.get("site_url") or None,
                "annuaire": {} if annuaire is None else annuaire,
            }
        )
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        names = [str(part) for part in error["loc"]]
        keys = ["extra", *names] if names[:1] == ["annuaire"] else names
        line, column = _position(path, keys, at_key=error["type"] == "extra_forbidden")
        raise SettingsError(
            f"{_shown(path)}:{line}:{column}: error: {'.'.join(keys)}: {_setting_message(error)}"
        ) from None


def _position(path: Path, keys: list[str], at_key: bool) -> tuple[int, int]:
    """Line and column of the value at `keys` in a YAML file (of the key itself with `at_key`), or the nearest found."""
    node = yaml.compose(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    mark = node.start_mark if node is not None else None
    for index, name in enumerate(keys):
        if not isinstance(node, yaml.MappingNode):
            break
        pair = next((p for p in node.value if isinstance(p[0], yaml.ScalarNode) and p[0].value == name), None)
        if pair is None:
            break
        key, node = pair
        mark = key.start_mark if at_key and index == len(keys) - 1 else node.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _setting_message(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        known = list(AnnuaireSettings.model_fields)
        close = difflib.get_close_matches(str(error["loc"][-1]), known, n=1)
        if close:
            return f"réglage inconnu : vouliez-vous dire « {close[0]} » ?"
        return f"réglage inconnu (réglages possibles : {', '.join(known)})"
    if kind == "string_type":
        return "texte attendu"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "réglages attendus, un par ligne (« nom: valeur »)"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", "valeur refusée"))
    return "valeur refusée"


def _shown(path: Path) -> Path:
    """`path` relative to the current folder when it is inside, as the other diagnostics show files."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def check_out_folder(out: Path, resources: Path, shown: str) -> None:
    """Refuse an output folder whose replacement would destroy something: raise OutFolderRefused.

    Allowed: an absent folder (its parent is created), an empty one, or a site built here before (MARKER).
    Never the resources folder, a folder inside it or above it, nor a git repository or a folder above one.
    """
    try:
        target = out.resolve()
        records = resources.resolve()
        if target == target.parent or not target.name:
            raise OutFolderRefused(f"« {shown} » est la racine du système : choisissez un dossier pour le site")
        if target == records or target in records.parents or records in target.parents:
            where = "est" if target == records else "contient" if target in records.parents else "est dans"
            raise OutFolderRefused(
                f"« {shown} » {where} le dossier des fiches « {resources} » : "
                "le site doit être construit ailleurs (par exemple --out site)"
            )
        repository = next((p for p in [records, *records.parents] if (p / ".git").exists()), None)
        if (target / ".git").exists() or (repository is not None and target in repository.parents):
            raise OutFolderRefused(
                f"« {shown} » est un dépôt git ou contient le dépôt : le site doit être construit dans un "
                "sous-dossier (par exemple --out site)"
            )
        for parent in target.parents:
            if parent.exists():
                if not parent.is_dir():
                    raise OutFolderRefused(f"« {shown} » ne peut pas être créé : « {parent} » n'est pas un dossier")
                break
        if target.exists():
            if not target.is_dir():
                raise OutFolderRefused(f"« {shown} » existe et n'est pas un dossier")
            if not (target / MARKER).is_file() and any(target.iterdir()):
                raise OutFolderRefused(
                    f"« {shown} » n'est pas vide et n'est pas un site construit par annuaire (pas de fichier "
                    f"{MARKER}) : choisissez un dossier absent ou vide, ou videz celui-ci vous-même"
                )
    except OSError as exc:
        raise OutFolderRefused(f"« {shown} » inutilisable comme dossier du site ({os_problem(exc)})") from None


def build_site(
    catalog: Catalog,
    resources: Path,
    out: Path,
    engine: str = "mkdocs",
    shown: str = "",
    local_files: bool = False,
) -> Shells:
    """Write the whole site to `out`, or raise BuildError and leave `out` untouched; with `local_files`,
    links name index.html so that the site opens from the disk (the pull request's preview).

    Raises OutFolderRefused, before writing anything, when `out` must not be replaced (check_out_folder).
    Returns the fiches' page shells, with which `annuaire serve` updates one fiche without a build.
    """
    check_out_folder(out, resources, shown or str(out))
    config = site_config(read_config(CONFIG), catalog, DOCS)
    settings = settings_from(config, CONFIG)
    out = out.resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-construction-", dir=out.parent))
    except OSError as exc:
        raise OutFolderRefused(f"« {shown or out} » ne peut pas être écrit ({os_problem(exc)})") from None
    rendering: Rendering | None = None
    indexing: SearchIndexing | None = None
    try:
        with _stopped_by_signals():
            # The fiches that changed since the previous build are rendered on every core and the services indexed
            # while the other pages are written; the structures and pages are indexed while the engine builds.
            records: list[Service | Structure] = [*catalog.services.values(), *catalog.structures.values()]
            reuse = Reuse.plan(catalog, settings, out, local_files)
            changed, unchanged = reuse.split(records)
            rendering = Rendering(catalog, settings, staging / "fiches", changed)
            indexing = SearchIndexing(catalog, staging, out, reuse.previous.indexes)
            docs = staging / "docs"
            write_docs(catalog, settings, docs)
            indexing.add_pages(docs, markdown_extensions(config))
            config_file = staging / "mkdocs.yml"
            write_config(config, config_file)
            built = staging / "site"
            try:
                run_engine(engine, staging)
                shells = read_shells(built)
                rendering.stamp(built, shells)
                rendering.close()
                shell_prints = {folder: shell.fingerprint for folder, shell in shells.items()}
                late = reuse.take(built, unchanged, shell_prints)
                if late:  # the page around the fiches changed, or a previous page was edited since
                    rendering = Rendering(catalog, settings, staging / "fiches-restantes", late)
                    rendering.stamp(built, shells)
            except ShellError as exc:
                raise BuildError(f"le moteur « {engine} » a produit une page inattendue : {exc}") from None
            try:
                indexing.finish(built)
            except SearchIndexError as exc:
                raise BuildError(f"l'index de recherche (Pagefind) n'a pas pu être construit : {exc}") from None
            add_to_sitemap(
                built, config.get("site_url"), [(fiche_path(r.folder, r.id), r.date_maj.isoformat()) for r in records]
            )
            if local_files:
                link_index_files(built)
            reuse.manifest(built, shell_prints, indexing.built).write(built)
            (built / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            _swap(built, out, staging / "ancien")
            return shells
    finally:
        with _signals_held():  # a second Ctrl+C must not leave half a staging folder
            if rendering is not None:
                rendering.close()
            if indexing is not None:
                indexing.stop()
            shutil.rmtree(staging, ignore_errors=True)


def write_docs(catalog: Catalog, settings: SiteSettings, docs: Path) -> None:
    """Hand-written pages and assets, then every generated page; a name used twice is an error."""
    shutil.copytree(DOCS, docs)
    shutil.copytree(ASSETS, docs / "assets", dirs_exist_ok=True)
    written: set[str] = set()
    pages = (page for provider in PROVIDERS for page in provider(catalog, settings))
    for page in itertools.chain(placeholder_pages(), pages):
        target = docs / page.path
        if page.path in written or target.exists():
            raise BuildError(f"la page « {page.path} » est produite deux fois (docs/ et fiches, ou deux générateurs)")
        written.add(page.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(page.content, bytes):
            target.write_bytes(page.content)
        else:
            target.write_text(page.content, encoding="utf-8")


def markdown_extensions(config: dict) -> list[str]:
    """The names of the Markdown extensions of mkdocs.yml, without their options (the search's pages need only
    the text)."""
    return [next(iter(entry)) if isinstance(entry, dict) else entry for entry in config.get("markdown_extensions", [])]


def write_config(config: dict, config_file: Path) -> None:
    staged = dict(config)
    staged["theme"] = {**config.get("theme", {}), "custom_dir": str(THEME_OVERRIDES)}
    staged["docs_dir"] = "docs"
    staged["site_dir"] = "site"
    staged["extra_css"] = [*config.get("extra_css", []), *EXTRA_CSS]
    staged["extra_javascript"] = [*config.get("extra_javascript", []), *EXTRA_JS]
    config_file.write_text(
        yaml.dump(staged, Dumper=_ConfigDumper, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def run_engine(engine: str, staging: Path) -> None:
    site = staging / "site"
    try:
        result = subprocess.run(ENGINES[engine], capture_output=True, text=True, cwd=staging)
    except OSError as exc:
        raise BuildError(f"le moteur « {engine} » n'a pas pu être lancé ({exc.strerror})") from None
    if result.returncode != 0 or not (site / "index.html").is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise BuildError(f"le moteur « {engine} » a échoué : " + " / ".join(detail))


def _swap(built: Path, out: Path, old: Path) -> None:
    """Put the new site in place with renames only, so a reader never sees half a site.

    The previous site goes into the staging folder (`old`), removed with it. No signal is handled between
    the two renames: an interruption there would leave no site at all.
    """
    with _signals_held():
        if out.exists():
            os.replace(out, old)
        os.replace(built, out)


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """SIGTERM raises Interrupted, as SIGINT raises KeyboardInterrupt, so that `finally` clauses run."""
    if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
        yield
        return

    def stop(signum, frame):
        raise Interrupted(signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done (they are delivered after it)."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
