"""The parts of CONTRIBUTING.md that come from the project itself: the values of every list, with their
French labels, and the « créer la fiche » link. Written between two markers by `annuaire guide`
(`make contributing`); `annuaire guide --check` and the tests fail when the guide has drifted.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import get_args
from urllib.parse import quote

from data_inclusion.schema import v1 as di

from generator.contrib.changes import escape_markdown
from generator.contrib.schema import value_labels
from generator.records.load import LoadError, load_file
from generator.records.models import Service

START = "<!-- début de la section générée par « make contributing » (annuaire guide) : ne pas modifier à la main -->"
END = "<!-- fin de la section générée -->"

# The skeleton the « créer la fiche » link opens in the forge's editor: short, as it travels in the address.
NEW_SERVICE = """\
# Nouvelle fiche de service. Nommez le fichier comme l'identifiant (id) : minuscules sans accent, chiffres
# et tirets, puis « .yml ». Chaque champ est expliqué dans CONTRIBUTING.md ; pour utiliser un champ
# facultatif, retirez le « # » au début de sa ligne.
id: nouveau-service
structure: identifiant-de-la-structure
nom: Nom du service
description: |
  Ce que propose le service, en phrases courtes.
freins: [besoins-essentiels]
date_maj: 2026-11-23
# type: atelier
# publics: [demandeurs-emploi]
# frais: gratuit
# telephone: "04 71 45 46 47"
# courriel: contact@exemple.fr
# horaires_accueil: "Mo-Fr 09:00-12:00,13:30-17:00; PH off"
# bassins: [aurillac]
"""


class GuideError(Exception):
    """The guide has no generated section to update."""


def generated_section(resources: Path, correction_url: str | None) -> str:
    lines = [START, ""]
    lines += _new_file_link(correction_url)
    for name in Service.model_fields:
        enum = _enum_of(name)
        if enum is None or enum is di.Thematique:
            continue
        lines += [f"### `{name}`", "", "| valeur | signification |", "| --- | --- |"]
        lines += [f"| `{value}` | {escape_markdown(label)} |" for value, label in value_labels(enum).items()]
        lines.append("")
    lines += _bassins(resources)
    lines += _thematiques()
    lines.append(END)
    return "\n".join(lines)


def _enum_of(name: str) -> type[Enum] | None:
    stack = [Service.model_fields[name].annotation]
    while stack:
        current = stack.pop()
        if isinstance(current, type) and issubclass(current, Enum):
            return current
        stack.extend(get_args(current))
    return None


def _new_file_link(correction_url: str | None) -> list[str]:
    """GitHub's new-file page opens prefilled from `filename` and `value` (…/new/main/resources/services?…)."""
    if not correction_url or "github.com" not in correction_url or "/edit/" not in correction_url:
        return []
    folder = correction_url.replace("/edit/", "/new/", 1).replace("{fichier}", "services")
    link = f"{folder}?filename=nouveau-service.yml&value={quote(NEW_SERVICE, safe='')}"
    return [
        f"**[Créer une fiche de service]({link})** : la forge ouvre un nouveau fichier déjà rempli d'une fiche "
        "commentée ; changez son nom et ses champs, puis continuez comme pour une correction.",
        "",
    ]


def _bassins(resources: Path) -> list[str]:
    lines = []
    for path in sorted((resources / "territoires").glob("*.yml")):
        try:
            data = load_file(path).data
        except LoadError:
            continue
        bassins = [b for b in data.get("bassins") or [] if isinstance(b, dict)]
        if not bassins:
            continue
        lines += [f"### `bassins` du territoire `{path.stem}`", "", "| valeur | bassin |", "| --- | --- |"]
        lines += [f"| `{b.get('id')}` | {escape_markdown(str(b.get('nom')))} |" for b in bassins]
        lines.append("")
    return lines


def _thematiques() -> list[str]:
    labels = value_labels(di.Thematique)
    lines = [
        "<details>",
        f"<summary>Thématiques (<code>thematiques</code>) : {len(labels)} valeurs, rangées par catégorie</summary>",
        "",
    ]
    for categorie in di.Categorie:
        lines += [f"**{escape_markdown(categorie.label)}**", ""]
        lines += [
            f"- `{value}` : {escape_markdown(label)}"
            for value, label in labels.items()
            if value.startswith(categorie.value + "--")
        ]
        lines.append("")
    return [*lines, "</details>", ""]


def updated_guide(text: str, section: str) -> str:
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise GuideError(f"les repères de la section générée sont absents : « {START} » puis « {END} »")
    return text[:start] + section + text[end + len(END) :]
