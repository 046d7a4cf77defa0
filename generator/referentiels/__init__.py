"""Vocabularies of the project, each kept in its own YAML file beside this module."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

_HERE = Path(__file__).parent


@dataclass(frozen=True)
class Frein:
    id: str
    label: str
    data_inclusion: str
    diagnostic: bool


@cache
def freins() -> tuple[Frein, ...]:
    """The référentiel des freins périphériques, in its reading order."""
    entries = yaml.load((_HERE / "freins.yml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return tuple(Frein(**entry) for entry in entries)


def frein_labels() -> dict[str, str]:
    return {frein.id: frein.label for frein in freins()}


# An Enum so that models and the JSON Schema list the allowed values. Its members are read from
# freins.yml at import: the type checker sees a str Enum whose members it cannot know.
if TYPE_CHECKING:

    class FreinId(StrEnum):
        pass

else:
    FreinId = StrEnum("FreinId", {frein.id: frein.id for frein in freins()})
    FreinId.__doc__ = "Identifiant d'un frein périphérique à l'emploi (référentiel du projet)."


@dataclass(frozen=True)
class MotsCourants:
    """Everyday words of the job, by frein and by data·inclusion thématique (mots_courants.yml)."""

    freins: dict[str, tuple[str, ...]]
    thematiques: dict[str, tuple[str, ...]]
    partages: frozenset[str]

    def of(self, freins: list[str], thematiques: list[str]) -> list[str]:
        """The words indexed with a service of these freins and thématiques, each once, in file order."""
        words = [w for f in freins for w in self.freins.get(f, ())]
        words += [w for t in thematiques for w in self.thematiques.get(t, ())]
        return list(dict.fromkeys(words))


class ReferentielError(ValueError):
    """A référentiel file contradicts itself or the other référentiels (French message)."""


@cache
def mots_courants() -> MotsCourants:
    """mots_courants.yml, checked: known freins and thématiques, no word in two freins unless shared."""
    from data_inclusion.schema import v1 as di

    raw = yaml.load((_HERE / "mots_courants.yml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    by_frein = {f: tuple(words) for f, words in raw["freins"].items()}
    by_thematique = {t: tuple(words) for t, words in raw["thematiques"].items()}
    partages = frozenset(raw.get("partages") or ())
    frein_of_category = {frein.data_inclusion: frein.id for frein in freins()}
    known_thematiques = {t.value for t in di.Thematique}
    problems = [f"frein inconnu « {f} »" for f in by_frein if f not in frein_labels()]
    problems += [f"thématique data·inclusion inconnue « {t} »" for t in by_thematique if t not in known_thematiques]
    owner: dict[str, str] = {}
    groups = [*by_frein.items(), *((frein_of_category.get(t.split("--")[0], t), w) for t, w in by_thematique.items())]
    for group, words in groups:
        for word in words:
            key = word.casefold()
            if owner.setdefault(key, group) != group and word not in partages:
                problems.append(f"« {word} » sert deux freins ({owner[key]}, {group}) : ajoutez-le à `partages`")
    if problems:
        raise ReferentielError("mots_courants.yml : " + " ; ".join(problems))
    return MotsCourants(by_frein, by_thematique, partages)


@dataclass(frozen=True)
class FicheAnnexe:
    """An annex form of the site, as a document links to it: its page (fiches/<id>/) and its subtitle."""

    id: str
    sous_titre: str


@dataclass(frozen=True)
class Document:
    """A document a service's mobilisation text may name (documents.yml); `fiches` when the site has it."""

    id: str
    titre: str
    noms: tuple[str, ...]
    fiches: tuple[FicheAnnexe, ...]


@cache
def _documents_file() -> dict:
    return yaml.load((_HERE / "documents.yml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def document_negations() -> tuple[str, ...]:
    """The words that, just before a document's name, say it is not wanted (« aucune fiche de liaison »)."""
    return tuple(_documents_file()["negations"])


@cache
def documents() -> tuple[Document, ...]:
    """documents.yml, each `fiches` id checked against formulaires.yml (whose subtitles name the links)."""
    forms = yaml.load((_HERE / "formulaires.yml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    subtitles = {form["id"]: form["sous_titre"] for form in forms}
    entries = _documents_file()["documents"]
    unknown = [f for entry in entries for f in entry.get("fiches", ()) if f not in subtitles]
    if unknown:
        raise ReferentielError(f"documents.yml : fiches annexes inconnues de formulaires.yml : {', '.join(unknown)}")
    return tuple(
        Document(
            id=entry["id"],
            titre=entry["titre"],
            noms=tuple(entry["noms"]),
            fiches=tuple(FicheAnnexe(f, subtitles[f]) for f in entry.get("fiches", ())),
        )
        for entry in entries
    )
