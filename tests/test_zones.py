"""Zones d'éligibilité read as data·inclusion publishes them: communes, EPCI (their member communes), départements."""

from __future__ import annotations

from generator.records import zones
from generator.referentiels import cog

CABA = "241500230"  # CA du Bassin d'Aurillac
METROPOLE_DE_LYON = "200046977"


def test_an_epci_stands_for_its_member_communes():
    communes = zones.zone_communes([CABA])
    assert "15014" in communes and "15012" in communes  # Aurillac, Arpajon-sur-Cère
    assert communes == set(cog.epcis()[CABA].membres)
    assert zones.zone_communes(["999999999"]) == set()  # an unknown SIREN names no commune


def test_an_epci_of_the_territory_covers_it_and_touches_its_bassin(catalog):
    cantal, rhone = catalog.territoires["cantal"], catalog.territoires["rhone"]
    assert zones.covers_territoire(cantal, [CABA])
    assert not zones.covers_territoire(rhone, [CABA])
    assert zones.touched_bassins(cantal, [CABA]) == ["aurillac"]
    assert zones.covers_territoire(rhone, [METROPOLE_DE_LYON])


def test_an_unknown_code_keeps_the_zone_from_matching_bassins_exactly(catalog):
    cantal = catalog.territoires["cantal"]
    aurillac = next(b for b in cantal.bassins if b.id == "aurillac")
    assert zones.exact_bassins(cantal, list(aurillac.communes)) == ["aurillac"]
    assert zones.exact_bassins(cantal, [*aurillac.communes, "999999999"]) is None
    assert zones.exact_bassins(cantal, ["15"]) == []
