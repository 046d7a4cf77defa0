"""The code officiel géographique shipped with the project: complete, and read as people write names."""

from __future__ import annotations

from generator.referentiels import cog


def test_every_commune_of_the_cantal_is_known_by_its_code_and_name():
    cantal = cog.communes_of("15")
    assert len(cantal) == 250  # COG 2026
    assert cog.communes()["15014"].nom == "Aurillac"
    assert cog.communes()["15120"].nom == "Mauriac"
    assert cog.departements()["15"] == "Cantal"


def test_names_are_found_without_accents_case_or_abbreviations():
    assert [c.code for c in cog.find_by_name("st flour")] == ["15187"]
    assert [c.code for c in cog.find_by_name("ARPAJON SUR CERE")] == ["15012"]
    assert [c.code for c in cog.find_by_name("Saint-Étienne", departement="42")] == ["42218"]


def test_a_former_commune_is_found_under_the_commune_it_merged_into():
    assert [c.code for c in cog.find_by_name("Mourjou")] == ["15027"]  # now Puycapel
    assert "Calvinet" in cog.communes()["15027"].anciens_noms


def test_lyon_has_its_arrondissements_and_the_metropole_its_epci():
    assert cog.communes()["69383"].nom == "Lyon 3e Arrondissement"
    assert cog.communes()["69123"].codes_postaux[0] == "69001"
    metropole = next(e for e in cog.epcis().values() if e.nom == "Métropole de Lyon")
    assert "69123" in metropole.membres and len(metropole.membres) == 58


def test_overseas_departements_are_there():
    assert cog.departements()["974"] == "La Réunion"
    assert cog.communes()["97411"].nom == "Saint-Denis"


def test_each_commune_knows_its_arrondissement():
    assert cog.communes()["15014"].arrondissement == "151"
    assert cog.arrondissements()["151"].nom == "Aurillac"
    assert {c.arrondissement for c in cog.communes_of("48")} == {"481", "482"}  # Florac, Mende
    assert cog.communes()["69383"].parent == "69123"  # a municipal arrondissement belongs to Lyon


def test_a_departement_is_named_with_its_article():
    names = {code: cog.departement_de(code) for code in ("48", "15", "01", "13", "974", "75")}
    assert names == {
        "48": "de la Lozère",
        "15": "du Cantal",
        "01": "de l'Ain",
        "13": "des Bouches-du-Rhône",
        "974": "de La Réunion",
        "75": "de Paris",
    }
