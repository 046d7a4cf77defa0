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
