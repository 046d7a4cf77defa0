"""The code officiel géographique (COG): France's communes, arrondissements, départements and EPCI, by INSEE code.

Read from cog/*.csv, extracted from Etalab's @etalab/decoupage-administratif package by
scripts/update_cog.py (`make cog`): the names are never typed by hand.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_COG = Path(__file__).parent / "cog"


@dataclass(frozen=True)
class Commune:
    code: str  # code INSEE (COG), e.g. « 15014 »
    nom: str
    departement: str
    codes_postaux: tuple[str, ...]
    # Former communes merged into this one (communes déléguées or associées), still the names people use.
    anciens_noms: tuple[str, ...] = ()
    arrondissement: str = ""  # code of its arrondissement, « 151 »
    parent: str = ""  # for a municipal arrondissement (« Lyon 3e Arrondissement »), its commune (« 69123 »)


@dataclass(frozen=True)
class Epci:
    siren: str
    nom: str
    membres: tuple[str, ...]  # INSEE codes of its communes


def _rows(name: str) -> list[dict[str, str]]:
    with (_COG / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@cache
def communes() -> dict[str, Commune]:
    """Every current commune (and municipal arrondissement of Paris, Lyon, Marseille) by INSEE code."""
    rows = _rows("communes.csv")
    former: dict[str, list[str]] = {}
    for row in rows:
        if row["type"] in ("deleguee", "associee"):
            former.setdefault(row["parent"], []).append(row["nom"])
    return {
        row["code"]: Commune(
            code=row["code"],
            nom=row["nom"],
            departement=row["departement"],
            codes_postaux=tuple(row["codes_postaux"].split()),
            anciens_noms=tuple(name for name in former.get(row["code"], ()) if name != row["nom"]),
            arrondissement=row["arrondissement"],
            parent=row["parent"],
        )
        for row in rows
        if row["type"] in ("commune", "arrondissement")
    }


def communes_of(departement: str) -> list[Commune]:
    """The communes of a département, in INSEE code order."""
    return [commune for code, commune in sorted(communes().items()) if commune.departement == departement]


@cache
def departements() -> dict[str, str]:
    """Département code → name (« 15 » → « Cantal »)."""
    return {row["code"]: row["nom"] for row in _rows("departements.csv")}


# INSEE's « type de nom en clair » (TNCC) → the preposition and article before the name: « du Cantal ».
_DE_ARTICLE = {"0": "de ", "1": "d'", "2": "du ", "3": "de la ", "4": "des ", "5": "de l'", "6": "des "}


@cache
def _liaisons() -> dict[str, str]:
    return {row["code"]: row["type_liaison"] for row in _rows("departements.csv")}


def departement_de(code: str) -> str:
    """« de la Lozère », « du Cantal », « de l'Ain », « des Bouches-du-Rhône » (name without its article)."""
    name = departements().get(code)
    if name is None:  # a collectivité d'outre-mer the COG package does not list
        return f"du département {code}"
    article = _DE_ARTICLE.get(_liaisons()[code], "de ")
    if article == "de " and name.startswith(("La ", "Le ")):  # « La Réunion » → « de La Réunion »
        return f"de {name}"
    return f"{article}{name}"


@dataclass(frozen=True)
class Arrondissement:
    code: str  # « 151 »
    nom: str  # the name of its chef-lieu, « Aurillac »
    departement: str


@cache
def arrondissements() -> dict[str, Arrondissement]:
    """The arrondissements (subdivisions of a département) by code."""
    return {
        row["code"]: Arrondissement(code=row["code"], nom=row["nom"], departement=row["departement"])
        for row in _rows("arrondissements.csv")
    }


@cache
def epcis() -> dict[str, Epci]:
    """EPCI à fiscalité propre by SIREN, with their member communes."""
    return {
        row["siren"]: Epci(siren=row["siren"], nom=row["nom"], membres=tuple(row["membres"].split()))
        for row in _rows("epci.csv")
    }


def name_key(name: str) -> str:
    """A commune name as people type it: no accents, case, hyphens or « Saint »/« St » difference."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = plain.replace("-", " ").replace("'", " ").split()
    return " ".join("saint" if word == "st" else "sainte" if word == "ste" else word for word in words)


@cache
def _by_name() -> dict[str, tuple[Commune, ...]]:
    index: dict[str, list[Commune]] = {}
    for commune in communes().values():
        for name in (commune.nom, *commune.anciens_noms):
            index.setdefault(name_key(name), []).append(commune)
    return {key: tuple(found) for key, found in index.items()}


def find_by_name(name: str, departement: str | None = None) -> tuple[Commune, ...]:
    """The communes called `name` (current or former name), in one département if given."""
    found = _by_name().get(name_key(name), ())
    return tuple(c for c in found if departement is None or c.departement == departement)
