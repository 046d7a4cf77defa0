"""What every stage that contributes to the site produces: files for the docs folder given to the engine."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

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
    new_issue_url: str | None = None  # the forge's « proposer une ressource » form
    contact_email: str | None = None  # extra.annuaire.courriel_contact: the route that needs no forge account
    site_url: str | None = None  # the public address (mkdocs.yml `site_url`): printed fiches' QR codes, sitemap
    # A bassin's map, only when the territory sets a tile server (`extra.annuaire.carte`): off by default,
    # as its tiles load from another host.
    tiles: str | None = None  # e.g. https://tuiles.exemple.fr/{z}/{x}/{y}.png
    tiles_attribution: str = ""

    @classmethod
    def from_config(cls, config: dict) -> SiteSettings:
        """The settings of mkdocs.yml; the project's placeholder forge (not a real repository) counts as unset."""
        annuaire = (config.get("extra") or {}).get("annuaire") or {}
        links = {key: annuaire.get(key) for key in ("lien_correction", "lien_proposition")}
        real = {key: url for key, url in links.items() if url and not is_placeholder(url)}
        email = annuaire.get("courriel_contact")
        carte = annuaire.get("carte") or {}
        return cls(
            site_name=config.get("site_name", "Base de ressources sociales"),
            correction_url=real.get("lien_correction"),
            new_issue_url=real.get("lien_proposition"),
            contact_email=None if is_placeholder_email(email) else email,
            site_url=config.get("site_url") or None,
            tiles=carte.get("tuiles"),
            tiles_attribution=carte.get("attribution", ""),
        )

    def url_of(self, path: str) -> str | None:
        """The public address of a page (« services/cafe-sante/ »), when the site's address is set."""
        return self.site_url.rstrip("/") + "/" + path if self.site_url else None

    def correction_link(self, relative_file: str) -> str | None:
        return self.correction_url.format(fichier=relative_file) if self.correction_url else None

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
        return f"{self.folder}/{self.id}/index.html"
