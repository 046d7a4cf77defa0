"""What every stage that contributes to the site produces: files for the docs folder given to the engine."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Page:
    """A file of the docs folder: `path` relative to it (« services/cafe-sante.md »), text or bytes."""

    path: str
    content: str | bytes


@dataclass(frozen=True)
class SiteSettings:
    """The site's settings read from the project's mkdocs.yml (`extra.annuaire`)."""

    site_name: str
    correction_url: str | None = None  # a pattern with {fichier}, e.g. https://forge/…/edit/main/resources/{fichier}
    new_issue_url: str | None = None
    site_url: str | None = None  # the public address (mkdocs.yml `site_url`): printed fiches' QR codes, sitemap
    # A bassin's map, only when the territory sets a tile server (`extra.annuaire.carte`): off by default,
    # as its tiles load from another host.
    tiles: str | None = None  # e.g. https://tuiles.exemple.fr/{z}/{x}/{y}.png
    tiles_attribution: str = ""

    def url_of(self, path: str) -> str | None:
        """The public address of a page (« services/cafe-sante/ »), when the site's address is set."""
        return self.site_url.rstrip("/") + "/" + path if self.site_url else None

    def correction_link(self, relative_file: str) -> str | None:
        return self.correction_url.format(fichier=relative_file) if self.correction_url else None


def root_prefix(page_path: str) -> str:
    """Relative URL from a page's built location to the site root (directory URLs: a.md → a/index.html)."""
    stem = page_path[: -len(".md")] if page_path.endswith(".md") else page_path
    folder = posixpath.dirname(stem) if posixpath.basename(stem) == "index" else stem
    depth = len([part for part in folder.split("/") if part])
    return "../" * depth


def front_matter(**fields) -> str:
    """YAML front matter; values are plain data dumped safely (no tag, no markup) by libyaml's emitter,
    the same output as yaml.safe_dump's, several times faster (one call per page: 10,000 fiches and more)."""
    return (
        "---\n"
        + yaml.dump(fields, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=1000)
        + "---\n\n"
    )
