"""Where a record is: départements of codes, the communes a zone_eligibilite covers, the bassins it matches.

A zone is data·inclusion's list of codes: communes (5 characters, INSEE), EPCI (9 digits, SIREN),
départements (2 or 3 characters), « france » or the country code 99100. The territoire knows its
département and its bassins' communes; an EPCI stands for its member communes, read from the code officiel
géographique shipped with the project (referentiels/cog).
"""

from __future__ import annotations

from generator.records.models import Territoire
from generator.referentiels import cog

FRANCE = {"france", "99100"}


def departement_of_postcode(code_postal: str) -> str:
    if code_postal.startswith("97") or code_postal.startswith("98"):
        return code_postal[:3]
    if code_postal.startswith("20"):  # Corse: 20xxx for both 2A and 2B
        return "2A" if code_postal < "20200" else "2B"
    return code_postal[:2]


def departement_of_insee(code_insee: str) -> str:
    return code_insee[:3] if code_insee.startswith("97") or code_insee.startswith("98") else code_insee[:2]


def is_epci(code: str) -> bool:
    return len(code) == 9 and code.isdigit()


def is_commune(code: str) -> bool:
    return len(code) == 5 and code not in FRANCE


def zone_communes(zone: list[str]) -> set[str]:
    """The communes a zone names: its commune codes, and the member communes of its EPCI."""
    communes = {code for code in zone if is_commune(code)}
    for code in zone:
        if is_epci(code) and (epci := cog.epcis().get(code)):
            communes.update(epci.membres)
    return communes


def communes_of(territoire: Territoire) -> set[str]:
    return {code for bassin in territoire.bassins for code in bassin.communes}


def in_territoire(territoire: Territoire, code_insee: str | None, code_postal: str | None) -> bool | None:
    """Whether a place is in the territoire; None when it has neither code."""
    if code_insee:
        return code_insee in communes_of(territoire) or departement_of_insee(code_insee) == territoire.departement
    if code_postal:
        return departement_of_postcode(code_postal) == territoire.departement
    return None


def covers_territoire(territoire: Territoire, zone: list[str]) -> bool:
    """Whether any part of the territoire is in the zone."""
    return any(code in FRANCE or code == territoire.departement for code in zone) or any(
        in_territoire(territoire, code, None) for code in zone_communes(zone)
    )


def touched_bassins(territoire: Territoire, zone: list[str]) -> list[str] | None:
    """The bassins the zone reaches ([] for all of them); None when no code of the zone names a commune."""
    if any(code in FRANCE or code == territoire.departement for code in zone):
        return []
    codes = zone_communes(zone)
    if not codes:
        return None
    touched = [b.id for b in territoire.bassins if codes & set(b.communes)]
    return [] if len(touched) == len(territoire.bassins) else touched


def exact_bassins(territoire: Territoire, zone: list[str]) -> list[str] | None:
    """Bassins whose communes are exactly the zone's ([] for the whole territoire), else None."""
    if set(zone) & FRANCE or territoire.departement in zone:
        return []
    codes = zone_communes(zone)
    if any(not is_commune(code) and code not in cog.epcis() for code in zone):
        return None  # another département, or an unknown code: the zone is not made of bassins
    chosen = [b for b in territoire.bassins if set(b.communes) <= codes]
    if not chosen or {c for b in chosen for c in b.communes} != codes:
        return None
    return [] if len(chosen) == len(territoire.bassins) else [b.id for b in chosen]
