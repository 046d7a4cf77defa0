"""`annuaire init`: a new territory starts from the project: its territoire file, its site settings, and
(on request) the demonstration data removed.

Bassins default to the département's arrondissements (official list of communes of the COG): a starting
point that the territory reshapes into its real bassins d'emploi. mkdocs.yml is edited line by line, so its
comments stay; every value written is read back to make sure the file still says what was meant.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from generator.contrib.guide import GuideError, generated_section, updated_guide
from generator.records.catalog import load_catalog
from generator.records.diagnostics import Report
from generator.records.models import Record
from generator.referentiels import cog

# The territory's own pages of the accompagnement global (the national frame stays in the project).
TERRITORY_DOCS = Path("docs") / "accompagnement-global" / "territoire"


class InitError(Exception):
    """The territory cannot be started as asked (usage error: nothing is written)."""


@dataclass
class Forge:
    kind: str  # github | gitlab
    depot: str  # https://github.com/owner/repo
    branche: str = "main"

    @property
    def correction_url(self) -> str:
        edit = "edit" if self.kind == "github" else "-/edit"
        return f"{self.depot}/{edit}/{self.branche}/resources/{{fichier}}"

    @property
    def proposition_url(self) -> str:
        if self.kind == "github":
            return f"{self.depot}/issues/new?template=proposer-une-ressource.yml"
        return f"{self.depot}/-/issues/new?issuable_template=Proposer%20une%20ressource"

    def pages_url(self) -> str | None:
        """The Pages address when the forge's own convention gives it (github.com, gitlab.com)."""
        parts = urlsplit(self.depot)
        path = parts.path.strip("/").split("/")
        if parts.netloc == "github.com" and len(path) == 2:
            return f"https://{path[0].lower()}.github.io/{path[1]}/"
        if parts.netloc == "gitlab.com" and len(path) >= 2:
            return f"https://{path[0].lower()}.gitlab.io/{'/'.join(path[1:])}/"
        return None


@dataclass
class InitResult:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def bassin_name(chef_lieu: str) -> str:
    elided = unicodedata.normalize("NFKD", chef_lieu[:1]).encode("ascii", "ignore").decode().lower() in "aeiouyh"
    return f"Bassin d'{chef_lieu}" if elided else f"Bassin de {chef_lieu}"


def territoire_text(territoire_id: str, nom: str, departement: str) -> str:
    """The territoire file: one bassin per arrondissement, each commune's name in a comment."""
    by_arrondissement: dict[str, list[cog.Commune]] = {}
    for commune in cog.communes_of(departement):
        if not commune.parent:  # municipal arrondissements (Paris, Lyon, Marseille) are parts of a commune
            by_arrondissement.setdefault(commune.arrondissement, []).append(commune)
    lines = [
        "# yaml-language-server: $schema=../../schemas/territoire.schema.json",
        f"id: {territoire_id}",
        f"nom: {_yaml_scalar(nom)}",
        f'departement: "{departement}"',
        "# Présentation affichée sur la page d'accueil du site, par exemple :",
        "# description: Les partenaires sociaux du département, tenus à jour par l'équipe insertion.",
        "# Bassins d'emploi proposés par `annuaire init` : un par arrondissement, d'après le code officiel",
        "# géographique de l'INSEE. Regroupez ou découpez-les selon les bassins réels du territoire.",
        "bassins:",
    ]
    arrondissements = cog.arrondissements()
    for code in sorted(by_arrondissement):
        chef_lieu = arrondissements[code].nom if code in arrondissements else nom
        lines += [f"  - id: {slug(chef_lieu)}", f"    nom: {_yaml_scalar(bassin_name(chef_lieu))}", "    communes:"]
        lines += [f'      - "{c.code}"  # {c.nom}' for c in by_arrondissement[code]]
    return "\n".join(lines) + "\n"


def _yaml_scalar(text: str) -> str:
    """A plain scalar when YAML reads it back unchanged, else a double-quoted one."""
    dumped = yaml.safe_dump(text, allow_unicode=True, width=1000).removesuffix("\n...\n").strip()
    return dumped


def territory_page(nom: str) -> str:
    return (
        f"# L'accompagnement global : {nom}\n\n"
        "Cette page est celle du territoire : complétez-la (les pages voisines décrivent le cadre national,\n"
        "commun à tous les territoires).\n\n"
        "## La convention du territoire\n\n"
        "Date de signature, signataires (conseil départemental, France Travail), axes retenus.\n\n"
        "## Les partenaires et les contacts\n\n"
        "Qui oriente vers qui, les interlocuteurs de chaque agence, les instances (plateformes, comités).\n\n"
        "## Les résultats\n\n"
        "Bilans publiés par le territoire : nombre d'accompagnements, sorties vers l'emploi.\n"
    )


def demo_files(resources: Path) -> list[Path]:
    """Files of the demonstration territories: their territoire, their structures and these structures' services."""
    catalog = load_catalog(resources, str(resources), Report())
    demo = {t.id for t in catalog.territoires.values() if t.demonstration}
    structures = {s.id for s in catalog.structures.values() if s.territoire in demo}
    files: list[Record] = [t for t in catalog.territoires.values() if t.id in demo]
    files += [s for s in catalog.structures.values() if s.id in structures]
    files += [s for s in catalog.services.values() if s.structure in structures]
    return [resources / catalog.source(record).relative for record in files]


def set_settings(text: str, values: dict[str, str]) -> str:
    """mkdocs.yml with each `key: value` line replaced (or added): top-level keys, and `extra.annuaire.*` keys
    written as `annuaire.<key>`. Comments and everything else stay as they were."""
    for key, value in values.items():
        name = key.removeprefix("annuaire.")
        indent = "    " if name != key else ""
        line = f"{indent}{name}: {_yaml_scalar(value)}"
        existing = re.compile(rf"^{indent}{re.escape(name)}:.*$", re.MULTILINE)
        # After the line that opens the section (extra.annuaire), or after site_name for a top-level key.
        anchor = re.compile(r"^  annuaire:$" if indent else r"^site_name:.*$", re.MULTILINE)
        if found := existing.search(text):
            text = text[: found.start()] + line + text[found.end() :]
        elif found := anchor.search(text):
            text = text[: found.end()] + "\n" + line + text[found.end() :]
        else:
            raise InitError("mkdocs.yml n'a pas de section « extra: annuaire: » : ajoutez-la puis relancez")
    config = yaml.load(text, Loader=_LenientLoader) or {}
    annuaire = (config.get("extra") or {}).get("annuaire") or {}
    for key, value in values.items():
        read = annuaire.get(key.split(".")[1]) if key.startswith("annuaire.") else config.get(key)
        if read != value:
            raise InitError(f"mkdocs.yml : « {key} » n'a pas pu être réglé (réglez-le à la main : {value})")
    return text


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml's `!!python/name:` tags as plain text: only the settings are compared."""


_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: suffix)


def init_territory(
    root: Path,
    territoire_id: str,
    departement: str,
    nom: str | None = None,
    forge: Forge | None = None,
    site_url: str | None = None,
    remove_demo: bool = False,
    replace: bool = False,
    courriel: str | None = None,
) -> InitResult:
    """Start a territory in the project at `root`; raise InitError before writing anything if it cannot."""
    if departement not in cog.departements():
        raise InitError(f"« {departement} » n'est pas un code de département du code officiel géographique")
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", territoire_id):
        raise InitError(f"« {territoire_id} » : l'identifiant s'écrit en minuscules, chiffres et tirets (« lozere »)")
    nom = nom or cog.departements()[departement]
    resources = root / "resources"
    territoire_file = resources / "territoires" / f"{territoire_id}.yml"
    page_file = root / TERRITORY_DOCS / f"{territoire_id}.md"
    demo = demo_files(resources) if remove_demo else []
    demo += [p for p in (root / TERRITORY_DOCS).glob("*.md") if p.stem in _demo_ids(demo)]
    for target in (territoire_file, page_file):
        if target.exists() and not replace and target not in demo:
            raise InitError(f"« {target.relative_to(root)} » existe déjà : ajoutez --remplacer pour l'écrire à nouveau")
    site_url = site_url or (forge.pages_url() if forge else None)
    config_file = root / "mkdocs.yml"
    config = set_settings(
        config_file.read_text(encoding="utf-8"), _settings(nom, departement, forge, site_url, courriel)
    )

    result = InitResult()
    for path in demo:
        path.unlink()
        result.removed.append(str(path.relative_to(root)))
    territoire_file.parent.mkdir(parents=True, exist_ok=True)
    territoire_file.write_text(territoire_text(territoire_id, nom, departement), encoding="utf-8")
    page_file.parent.mkdir(parents=True, exist_ok=True)
    page_file.write_text(territory_page(nom), encoding="utf-8")
    config_file.write_text(config, encoding="utf-8")
    result.written += [str(p.relative_to(root)) for p in (territoire_file, page_file, config_file)]
    guide = root / "CONTRIBUTING.md"
    if guide.is_file():  # its lists name the bassins and its links the forge: the CI checks they are current
        annuaire = ((yaml.load(config, Loader=_LenientLoader) or {}).get("extra") or {}).get("annuaire") or {}
        try:
            section = generated_section(resources, annuaire.get("lien_correction"))
            guide.write_text(updated_guide(guide.read_text(encoding="utf-8"), section), encoding="utf-8")
            result.written.append(str(guide.relative_to(root)))
        except GuideError:  # the partner guide was rewritten without its generated section: left as it is
            pass
    result.todo = _todo(territoire_id, forge, site_url, courriel)
    return result


def _demo_ids(demo: list[Path]) -> set[str]:
    return {path.stem for path in demo if path.parent.name == "territoires"}


def _settings(
    nom: str, departement: str, forge: Forge | None, site_url: str | None, courriel: str | None
) -> dict[str, str]:
    values = {
        "site_name": f"Base de ressources sociales — {nom}",
        "site_description": f"Annuaire des partenaires sociaux {cog.departement_de(departement)} pour le binôme "
        "conseiller France Travail et travailleur social.",
        "copyright": "Données publiées sous Licence Ouverte 2.0 (Etalab).",
    }
    if site_url:
        values["site_url"] = site_url
    if forge:
        values["annuaire.lien_correction"] = forge.correction_url
        values["annuaire.lien_proposition"] = forge.proposition_url
    if courriel:
        values["annuaire.courriel_contact"] = courriel
    return values


def _todo(territoire_id: str, forge: Forge | None, site_url: str | None, courriel: str | None) -> list[str]:
    todo = [
        f"Relire resources/territoires/{territoire_id}.yml : regrouper les communes selon les vrais bassins "
        "d'emploi, ajouter une description.",
        f"Compléter {TERRITORY_DOCS.as_posix()}/{territoire_id}.md (convention, partenaires, résultats du territoire).",
        f"Ajouter les structures et services : annuaire new structure ID puis annuaire new service ID "
        f"(territoire: {territoire_id}).",
        "Régénérer CODEOWNERS : make codeowners.",
        "Vérifier puis construire : make check puis make site.",
    ]
    if not forge:
        todo.append("Lien « Proposer une correction » : relancer avec --forge github|gitlab --depot URL.")
    if not courriel:
        todo.append(
            "Lien « Signaler une erreur » sans compte sur la forge : relancer avec --courriel ADRESSE "
            "(l'adresse de l'équipe qui tient la base)."
        )
    if not site_url:
        todo.append(
            "Adresse publique du site : site_url dans mkdocs.yml (par exemple https://groupe.pages.exemple.fr/base/)."
        )
    todo.append("Publier : voir « Démarrer votre territoire » dans le README (GitHub Pages ou GitLab Pages).")
    return todo
