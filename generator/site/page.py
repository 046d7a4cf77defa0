"""What every stage that contributes to the site produces: files for the docs folder given to the engine."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

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


class CarteSettings(BaseModel):
    """The tile server of the bassins' maps (`extra.annuaire.carte`): its tiles load from that host."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tuiles: Annotated[str, Field(title="Adresse des tuiles", pattern=r"^https?://.*\{z\}.*\{x\}.*\{y\}")]
    attribution: Annotated[str, Field(title="Attribution des tuiles")] = ""


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

    lien_proposition: Annotated[
        str | None,
        Field(
            title="Lien « Proposer une ressource »",
            description="Formulaire de ticket de la forge, proposé là où un frein n'a aucun service.",
            pattern=r"^https?://",
        ),
    ] = None
    courriel_contact: Annotated[
        str | None,
        Field(
            title="Courriel de l'équipe",
            description="Adresse du lien « Signaler une erreur / proposer une ressource », sans compte sur la forge.",
            pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        ),
    ] = None
    carte: Annotated[
        CarteSettings | None,
        Field(
            title="Carte des bassins", description="Serveur de tuiles : sans lui, aucune carte (rien d'un autre hôte)."
        ),
    ] = None


class SiteSettings(BaseModel):
    """The site's settings read from the project's mkdocs.yml: its name and `extra.annuaire`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    site_name: str
    site_url: str | None = None  # the public address (mkdocs.yml `site_url`): printed fiches' QR codes, sitemap
    annuaire: AnnuaireSettings = AnnuaireSettings()

    # The links as the pages use them: the project's placeholders (not a territory's) count as unset.
    @property
    def correction_url(self) -> str | None:
        url = self.annuaire.lien_correction
        return None if url is None or is_placeholder(url) else url

    @property
    def new_issue_url(self) -> str | None:
        url = self.annuaire.lien_proposition
        return None if url is None or is_placeholder(url) else url

    @property
    def contact_email(self) -> str | None:
        return None if is_placeholder_email(self.annuaire.courriel_contact) else self.annuaire.courriel_contact

    @property
    def tiles(self) -> str | None:
        return self.annuaire.carte.tuiles if self.annuaire.carte else None

    @property
    def tiles_attribution(self) -> str:
        return self.annuaire.carte.attribution if self.annuaire.carte else ""

    def url_of(self, path: str) -> str | None:
        """The public address of a page (« services/cafe-sante/ »), when the site's address is set."""
        return self.site_url.rstrip("/") + "/" + path if self.site_url else None

    def correction_link(self, relative_file: str) -> str | None:
        pattern = self.correction_url
        return pattern.format(fichier=relative_file) if pattern else None

    def report_link(self, record_name: str, relative_file: str) -> str | None:
        """« Signaler une erreur » of a fiche: an e-mail to the territory's team, subject and body prefilled."""
        if not self.contact_email:
            return None
        return mailto(
            self.contact_email,
            f"Annuaire : {record_name}",
            REPORT_BODY.format(nom=record_name, fichier=relative_file),
        )


REPORT_BODY = """Fiche : {nom} ({fichier})

Ce qui n'est plus exact, ou la ressource à ajouter :


La bonne information, et d'où elle vient (appel, site officiel, plaquette…) :


Vos nom et structure (pour vous répondre) :

N'écrivez rien sur une personne accompagnée.
"""


# The same message without a fiche, for the site's « signaler » page.
SIGNALEMENT_SUBJECT = "Annuaire : signaler une erreur ou proposer une ressource"
SIGNALEMENT_BODY = REPORT_BODY.replace("Fiche : {nom} ({fichier})", "Fiche concernée (nom ou adresse de la page) :")


def mailto(address: str, subject: str, body: str) -> str:
    """A mailto: link (RFC 6068): spaces as %20 and line breaks as %0D%0A, as every mail client reads them."""
    body = body.replace("\n", "\r\n")
    return f"mailto:{quote(address, safe='@')}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


# The forge address shipped in mkdocs.yml until a territory sets its own (`annuaire init --forge … --depot …`).
PLACEHOLDER_FORGE = "https://github.com/exemple/"


def is_placeholder(url: str) -> bool:
    return url.startswith(PLACEHOLDER_FORGE)


# The team address shipped in mkdocs.yml until a territory sets its own (`annuaire init … --courriel …`).
PLACEHOLDER_EMAIL = "annuaire@exemple.org"


def is_placeholder_email(address: str | None) -> bool:
    return address == PLACEHOLDER_EMAIL


def page_url(page_path: str) -> str:
    """A docs page's URL relative to the site root, as the engine builds it (directory URLs):
    « a/b.md » → « a/b/ » (built as a/b/index.html), « a/index.md » → « a/ », « index.md » → « »."""
    stem = page_path[: -len(".md")] if page_path.endswith(".md") else page_path
    folder = posixpath.dirname(stem) if posixpath.basename(stem) == "index" else stem
    return f"{folder}/" if folder else ""


def root_prefix(page_path: str) -> str:
    """Relative URL from a page's built location to the site root."""
    return "../" * page_url(page_path).count("/")


def front_matter(**fields) -> str:
    """YAML front matter; values are plain data dumped safely (no tag, no markup) by libyaml's emitter,
    the same output as yaml.safe_dump's, several times faster (one call per page: 10,000 fiches and more)."""
    return (
        "---\n"
        + yaml.dump(fields, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=1000)
        + "---\n\n"
    )


def fiche_path(folder: str, record_id: str) -> str:
    """The built page of a service's or a structure's fiche (« services/cafe-sante/index.html »)."""
    return f"{folder}/{record_id}/index.html"


@dataclass(frozen=True)
class Fiche:
    """A service's or a structure's page, stamped into the theme's page shell rather than built by the engine."""

    folder: str  # « services » or « structures »
    id: str
    title: str
    description: str
    body: str  # HTML of the page's content
    date_maj: str  # ISO date of the record's last check, for the sitemap

    @property
    def path(self) -> str:
        return fiche_path(self.folder, self.id)
