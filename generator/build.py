"""`annuaire build`: pages written into a staging folder, built by the engine, then swapped in atomically.

The generator only writes Markdown files and an mkdocs.yml (no MkDocs plugin API), so any engine that
reads mkdocs.yml can build them: MkDocs with Material today, Zensical tomorrow.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import yaml

from generator.forms.pages import form_pages
from generator.opendata.pages import open_data_pages
from generator.records.catalog import Catalog
from generator.site.page import PROJECT_ROOT, Page, SiteSettings
from generator.site.render import site_pages
from generator.site.search import SearchIndexError, write_search_index

DOCS = PROJECT_ROOT / "docs"
ASSETS = PROJECT_ROOT / "site_templates" / "assets"
THEME_OVERRIDES = PROJECT_ROOT / "site_templates" / "overrides"
CONFIG = PROJECT_ROOT / "mkdocs.yml"
EXTRA_CSS = ["assets/stylesheets/annuaire.css", "assets/stylesheets/formulaires.css"]
EXTRA_JS = ["assets/javascripts/recherche.js", "assets/javascripts/annuaire.js", "assets/javascripts/formulaires.js"]

# Both engines read the same staged mkdocs.yml, whose docs_dir and site_dir are relative to it.
ENGINES = {
    "mkdocs": [sys.executable, "-m", "mkdocs", "build", "--quiet", "--clean", "--config-file", "mkdocs.yml"],
    "zensical": [str(Path(sys.executable).with_name("zensical")), "build", "--clean", "--config-file", "mkdocs.yml"],
}

PageProvider = Callable[[Catalog, SiteSettings], Iterable[Page]]
PROVIDERS: list[PageProvider] = [site_pages, open_data_pages, form_pages]


class BuildError(Exception):
    """The site could not be built; the previous output is left as it was."""


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
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}


def settings_from(config: dict) -> SiteSettings:
    annuaire = (config.get("extra") or {}).get("annuaire") or {}
    return SiteSettings(
        site_name=config.get("site_name", "Base de ressources sociales"), correction_url=annuaire.get("lien_correction")
    )


def build_site(catalog: Catalog, resources: Path, out: Path, engine: str = "mkdocs") -> None:
    """Write the whole site to `out`, or raise BuildError and leave `out` untouched."""
    config = read_config()
    settings = settings_from(config)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists() and not out.is_dir():
        raise BuildError(f"« {out} » existe et n'est pas un dossier")
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-construction-", dir=out.parent))
    try:
        docs = staging / "docs"
        write_docs(catalog, settings, docs)
        config_file = staging / "mkdocs.yml"
        write_config(config, config_file)
        built = staging / "site"
        run_engine(engine, staging)
        try:
            write_search_index(catalog, built)
        except SearchIndexError as exc:
            raise BuildError(f"l'index de recherche (Pagefind) n'a pas pu être construit : {exc}") from None
        _swap(built, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_docs(catalog: Catalog, settings: SiteSettings, docs: Path) -> None:
    """Hand-written pages and assets, then every generated page; a name used twice is an error."""
    shutil.copytree(DOCS, docs)
    shutil.copytree(ASSETS, docs / "assets", dirs_exist_ok=True)
    written: set[str] = set()
    for provider in PROVIDERS:
        for page in provider(catalog, settings):
            target = docs / page.path
            if page.path in written or target.exists():
                raise BuildError(
                    f"la page « {page.path} » est produite deux fois (docs/ et fiches, ou deux générateurs)"
                )
            written.add(page.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(page.content, bytes):
                target.write_bytes(page.content)
            else:
                target.write_text(page.content, encoding="utf-8")


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


def _swap(built: Path, out: Path) -> None:
    """Put the new site in place with renames only, so a reader never sees half a site."""
    if not out.exists():
        os.replace(built, out)
        return
    old = out.with_name(f".{out.name}-ancien-{os.getpid()}")
    os.replace(out, old)
    os.replace(built, out)
    shutil.rmtree(old, ignore_errors=True)
