"""The annex forms as data: fields, sections and vocabularies read from referentiels/formulaires.yml.

Their checkboxes for freins and their exit reasons come from the project's vocabularies (`freins()`,
motifs_sortie.yml), so a change there reaches every form.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from generator.records.fields import KEBAB_CASE
from generator.referentiels import freins

REFERENTIELS = Path(__file__).parents[1] / "referentiels"

FieldType = Literal[
    "texte",
    "date",
    "telephone",
    "courriel",
    "zone",
    "oui-non",
    "structure",
    "bassin",
    "cases",
    "choix",
    "signatures",
    "mention",
    "contacts",
]
# Short fields sit side by side; the others take the whole width.
FULL_WIDTH = {"zone", "cases", "choix", "signatures", "mention", "contacts"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    id: str = Field(pattern=KEBAB_CASE)
    label: str
    groupe: str | None = None  # options of one family, shown together (the kinds of reprise d'emploi)
    precision: str | None = None  # label of the line that completes this option


class Champ(_Strict):
    id: str = Field(pattern=KEBAB_CASE)
    type: FieldType
    label: str
    largeur: Literal["pleine", "demi", "tiers"] | None = None
    lignes: int = Field(default=3, ge=1, le=8)
    options: list[Option] = []
    vocabulaire: Literal["freins", "motifs_sortie"] | None = None
    commentaire: bool = False
    signataires: list[str] = []
    texte: str | None = None
    freins: str | None = None  # contacts: the id of the freins checkboxes they follow
    bassin: str | None = None  # contacts: the id of the bassin select

    @model_validator(mode="after")
    def _consistent(self) -> Champ:
        listed = self.type in ("cases", "choix")
        if listed and bool(self.options) == bool(self.vocabulaire):
            raise ValueError(f"champ « {self.id} » : donnez soit `options`, soit `vocabulaire`")
        if not listed and (self.options or self.vocabulaire):
            raise ValueError(f"champ « {self.id} » : `options` et `vocabulaire` sont réservés à cases et choix")
        if self.vocabulaire == "motifs_sortie" and self.type != "choix":
            raise ValueError(f"champ « {self.id} » : un motif de sortie est un choix unique (type choix)")
        if (self.type == "signatures") != bool(self.signataires):
            raise ValueError(f"champ « {self.id} » : `signataires` va avec le type signatures, et lui seul")
        if (self.type == "mention") != bool(self.texte):
            raise ValueError(f"champ « {self.id} » : `texte` va avec le type mention, et lui seul")
        if (self.type == "contacts") != bool(self.freins and self.bassin):
            raise ValueError(f"champ « {self.id} » : `freins` et `bassin` vont avec le type contacts, et lui seul")
        return self

    @property
    def width(self) -> str:
        return self.largeur or ("pleine" if self.type in FULL_WIDTH else "demi")

    @property
    def choices(self) -> list[Option]:
        if self.vocabulaire == "freins":
            return [Option(id=f.id, label=f.label) for f in freins()]
        if self.vocabulaire == "motifs_sortie":
            return list(motifs_sortie())
        return self.options

    @property
    def option_groups(self) -> list[tuple[str | None, list[Option]]]:
        """Consecutive options of the same `groupe`, kept in order."""
        groups: list[tuple[str | None, list[Option]]] = []
        for option in self.choices:
            if groups and groups[-1][0] == option.groupe and option.groupe is not None:
                groups[-1][1].append(option)
            else:
                groups.append((option.groupe, [option]))
        return groups


class Section(_Strict):
    titre: str
    aide: str | None = None  # printed, on the web page and in the blank PDF
    aide_ecran: str | None = None  # an instruction for the screen only: neither printed nor in the PDF
    champs: list[Champ] = Field(min_length=1)


class Formulaire(_Strict):
    id: str = Field(pattern=KEBAB_CASE)
    titre: str
    sous_titre: str
    resume: str
    intro: str
    sections: list[Section] = Field(min_length=1)

    @property
    def champs(self) -> list[Champ]:
        return [champ for section in self.sections for champ in section.champs]

    @property
    def full_title(self) -> str:
        """« Fiche de sortie de l'accompagnement global »: the sub-title continues the title."""
        return f"{self.titre} {self.sous_titre[:1].lower()}{self.sous_titre[1:]}"

    @model_validator(mode="after")
    def _references(self) -> Formulaire:
        by_id: dict[str, Champ] = {}
        for champ in self.champs:
            if champ.id in by_id:
                raise ValueError(f"fiche « {self.id} » : le champ « {champ.id} » est défini deux fois")
            by_id[champ.id] = champ
        for champ in self.champs:
            if champ.type != "contacts":
                continue
            if getattr(by_id.get(champ.freins or ""), "vocabulaire", None) != "freins":
                raise ValueError(f"fiche « {self.id} » : « {champ.freins} » n'est pas un champ de freins")
            if getattr(by_id.get(champ.bassin or ""), "type", None) != "bassin":
                raise ValueError(f"fiche « {self.id} » : « {champ.bassin} » n'est pas un champ bassin")
        return self


def _read(name: str):
    return yaml.load((REFERENTIELS / name).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


@cache
def motifs_sortie() -> tuple[Option, ...]:
    """The vocabulary of exit reasons, in the fiche de sortie's order."""
    return tuple(Option(**entry) for entry in _read("motifs_sortie.yml"))


@cache
def formulaires() -> tuple[Formulaire, ...]:
    """The four annex forms, in the order of the annexes."""
    return tuple(Formulaire(**entry) for entry in _read("formulaires.yml"))


def pdf_name(form: Formulaire) -> str:
    return f"{form.id}.pdf"
