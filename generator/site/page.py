"""What every stage that contributes to the site produces: files for the docs folder given to the engine."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Page:
    """A file of the docs folder: `path` relative to it (« services/cafe-sante.md »), text or bytes."""

    path: str
    content: str | bytes


class SettingsError(Exception):
    """A setting of mkdocs.yml is refused: one located French line (`fichier:ligne:colonne: error: …`)."""


class AnnuaireSettings(BaseModel):
    """The generator's own settings, under `extra.annuaire` in mkdocs.yml.

    Any other key is refused: a misspelt one would otherwise be ignored, and its feature silently lost.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    lien_correction: Annotated[
        str | None,
        Field(
            title="Lien « Proposer une correction »",
            description="Adresse de modification d'une fiche sur la forge ; {fichier} vaut par exemple services/cafe-sante.yml.",
        ),
    ] = None

    @field_validator("lien_correction")
    @classmethod
    def _one_placeholder(cls, pattern: str | None) -> str | None:
        if pattern is None:
            return None
        if not re.match(r"https?://", pattern):
            raise ValueError(f"« {pattern} » n'est pas une adresse web : elle doit commencer par https://")
        try:
            pattern.format(fichier="services/exemple.yml")
        except (KeyError, IndexError, ValueError):
            raise ValueError(f"« {pattern} » : seule la variable {{fichier}} est permise entre accolades") from None
        if "{fichier}" not in pattern:
            raise ValueError(f"« {pattern} » ne contient pas {{fichier}}, le chemin de la fiche à corriger")
        return pattern


class SiteSettings(BaseModel):
    """The site's settings read from the project's mkdocs.yml: its name and `extra.annuaire`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    site_name: str
    annuaire: AnnuaireSettings = AnnuaireSettings()

    def correction_link(self, relative_file: str) -> str | None:
        pattern = self.annuaire.lien_correction
        return pattern.format(fichier=relative_file) if pattern else None


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
