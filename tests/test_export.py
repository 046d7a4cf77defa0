"""Open data: data·inclusion v1 objects accepted by the official models, CSV, our JSON, GeoJSON, the site's donnees/."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import EXAMPLE_RECORDS, REPO, SAMPLE_RECORDS
from data_inclusion.schema import v1 as di

from generator.cli import main
from generator.opendata import export
from generator.records.catalog import load_catalog
from generator.records.diagnostics import Report

FIXTURE = REPO / "tests" / "data" / "annuaire"
TODAY = date(2026, 11, 23)


def catalog_of(folder: Path, today: date | None = None):
    report = Report()
    catalog = load_catalog(folder, str(folder), report, today=today)
    assert not report.errors, report.lines()
    return catalog


@pytest.fixture(scope="module")
def catalog():
    return catalog_of(FIXTURE, TODAY)


@pytest.fixture(scope="module")
def services(catalog):
    return {o["id"]: o for o in export.Exported(catalog).services}


@pytest.fixture(scope="module")
def structures(catalog):
    return {o["id"]: o for o in export.Exported(catalog).structures}


def sample_folders():
    return [
        pytest.param(FIXTURE, id="tests-data"),
        pytest.param(EXAMPLE_RECORDS, id="contrat"),
        pytest.param(SAMPLE_RECORDS, id="echantillon"),
    ]


@pytest.mark.parametrize("folder", sample_folders())
def test_official_models_accept_every_exported_object(folder):
    catalog = catalog_of(folder)
    structures, services = export.Exported(catalog).structures, export.Exported(catalog).services
    assert len(structures) == len(catalog.structures) and len(services) == len(catalog.services)
    strict = {"ignore_warnings": False}  # the schema's warnings (a name ending with a period…) count too
    for values in structures:
        di.Structure.model_validate(values, context=strict)
    for values in services:
        di.Service.model_validate(values, context=strict)
    assert export.official_problems(catalog) == []


def test_ids_combine_the_source_and_the_record_id(services, structures):
    assert set(structures) == {"cantal--ccas-aurillac", "cantal--addictions-france-cantal"}
    for service in services.values():
        assert service["source"] == "cantal"
        assert service["structure_id"] in structures
    assert services["cantal--domiciliation-ccas-aurillac"]["structure_id"] == "cantal--ccas-aurillac"


def test_zone_eligibilite_from_bassins_or_departement(services):
    assert services["cantal--aide-alimentaire-ccas-aurillac"]["zone_eligibilite"] == ["15"]  # whole territory
    assert services["cantal--domiciliation-ccas-aurillac"]["zone_eligibilite"] == ["15012", "15014", "15171", "15187"]
    assert services["cantal--consultation-addictologie-mauriac"]["zone_eligibilite"] == ["15120"]


def test_a_service_inherits_its_structures_address_and_contact(services):
    inherited = services["cantal--aide-alimentaire-ccas-aurillac"]
    assert (inherited["adresse"], inherited["code_postal"], inherited["commune"]) == (
        "2 rue de l'Exemple",
        "15000",
        "Aurillac",
    )
    assert (inherited["latitude"], inherited["longitude"]) == (44.9264, 2.4439)
    assert inherited["telephone"] == "+33465710101"
    assert inherited["courriel"] == "ccas@aurillac.example.org"
    assert inherited["horaires_accueil"] == "Mo-Fr 08:30-12:00,13:30-17:00; PH off"
    own = services["cantal--domiciliation-ccas-aurillac"]
    assert (own["adresse"], own["complement_adresse"], own["commune"]) == (
        "10 avenue de l'Exemple",
        "Bâtiment B",
        "Saint-Flour",
    )
    assert own["telephone"] == "+33465710109"
    assert own["courriel"] == "ccas@aurillac.example.org"  # not its own: the structure's
    # A service with no address of its own and a structure without one has none.
    assert services["cantal--consultation-addictologie-mauriac"]["adresse"] is None


def test_telephone_in_e164_or_as_typed(services, structures):
    assert structures["cantal--addictions-france-cantal"]["telephone"] == "+33465710202"
    assert services["cantal--consultation-addictologie-mauriac"]["telephone"] == "3919"


def test_overseas_numbers_get_their_own_country_code():
    """Read as dialled in France, like the check and the fiches read them: 0262 is La Réunion (+262)."""
    assert export.e164("0262 12 34 56") == "+262262123456"
    assert export.e164("04 71 45 46 47") == "+33471454647"
    assert export.e164(None) is None


def test_thematiques_kept_and_none_invented(catalog, services):
    consultation = services["cantal--consultation-addictologie-mauriac"]
    assert consultation["thematiques"] == ["sante--addictions"]  # the mobilite frein adds nothing
    assert export.lost_freins(catalog.services["consultation-addictologie-mauriac"]) == ["mobilite"]
    assert export.lost_freins(catalog.services["aide-alimentaire-ccas-aurillac"]) == ["difficultes-financieres"]
    assert export.lost_freins(catalog.services["domiciliation-ccas-aurillac"]) == []


def test_lists_sorted_and_empty_lists_left_out(services):
    aide = services["cantal--aide-alimentaire-ccas-aurillac"]
    assert aide["publics"] == ["beneficiaires-des-minimas-sociaux", "personnes-en-situation-durgence"]
    assert aide["modes_mobilisation"] == ["se-presenter", "telephoner"]
    assert services["cantal--consultation-addictologie-mauriac"]["modes_accueil"] == ["a-distance"]
    assert aide["lien_mobilisation"] is None
    assert (
        services["cantal--domiciliation-ccas-aurillac"]["lien_mobilisation"]
        == "https://www.aurillac.example.org/domiciliation"
    )
    assert aide["contact_nom_prenom"] is None


def test_descriptions_become_plain_text(structures, services):
    text = structures["cantal--ccas-aurillac"]["description"]
    assert text == (
        "Le CCAS accompagne les habitants d'Aurillac dans leurs démarches :\n\n"
        "- aide alimentaire d'urgence ;\n- domiciliation ;\n- instruction des demandes d'aides facultatives.\n\n"
        "Plus d'informations sur le site de la ville (https://www.aurillac.example.org/ccas)."
    )
    assert "\n" not in services["cantal--aide-alimentaire-ccas-aurillac"]["description"]  # a soft line break is a space


@pytest.mark.parametrize(
    "markdown, text",
    [
        ("*Accueil* **gratuit** & confidentiel", "Accueil gratuit & confidentiel"),
        ("1. appeler\n2. venir\n\nFin", "1. appeler\n2. venir\n\nFin"),
        ("Écrire à [l'accueil](mailto:accueil@example.org)", "Écrire à l'accueil (accueil@example.org)"),
        ("Voir https://example.org", "Voir https://example.org"),
        ("<b>pas de HTML</b>", "<b>pas de HTML</b>"),
    ],
)
def test_description_text(markdown, text):
    assert export.description_text(markdown) == text


def test_csv_has_the_official_columns_and_the_json_values(catalog):
    files = export.export_files(catalog, ["csv"])
    assert set(files) == {"structures.csv", "services.csv"}
    for name, model, objects in (
        ("services.csv", di.Service, export.Exported(catalog).services),
        ("structures.csv", di.Structure, export.Exported(catalog).structures),
    ):
        rows = list(csv.DictReader(io.StringIO(files[name], newline="")))
        assert list(rows[0]) == list(model.model_fields)
        assert len(rows) == len(objects)
        for row, values in zip(rows, objects, strict=False):
            for key, value in values.items():
                expected = "" if value is None else ",".join(value) if isinstance(value, list) else str(value)
                assert row[key] == expected, (name, key)


def test_our_json_keeps_freins_bassins_and_partners(catalog):
    data = json.loads(export.export_files(catalog, ["json"])["annuaire.json"])
    assert data["licence"] == "Licence Ouverte 2.0 (Etalab)"
    assert [f["id"] for f in data["freins"]][:2] == ["mobilite", "logement"]
    service = next(s for s in data["services"] if s["id"] == "consultation-addictologie-mauriac")
    assert service["freins"] == ["sante", "mobilite"]
    assert service["partenaires"] == ["ccas-aurillac"]
    assert service["periodicite"] == "le mercredi après-midi"
    assert service["bassins_desservis"] == ["mauriac"]
    assert service["data_inclusion_id"] == "cantal--consultation-addictologie-mauriac"
    aide = next(s for s in data["services"] if s["id"] == "aide-alimentaire-ccas-aurillac")
    assert aide["bassins"] == [] and aide["bassins_desservis"] == ["aurillac", "mauriac", "saint-flour"]
    structure = next(s for s in data["structures"] if s["id"] == "ccas-aurillac")
    assert structure["sigle"] == "CCAS" and structure["description"].startswith("Le CCAS accompagne")
    assert data["territoires"][0]["bassins"][0]["communes"] == ["15014", "15012"]


def test_geojson_points_longitude_first(catalog):
    data = json.loads(export.export_files(catalog, ["json"])["annuaire.geojson"])
    assert data["type"] == "FeatureCollection"
    features = {(f["properties"]["fiche"], f["properties"]["id"]): f for f in data["features"]}
    # Structures and services with coordinates, the service's own or inherited; none for those without.
    assert set(features) == {
        ("structure", "ccas-aurillac"),
        ("service", "aide-alimentaire-ccas-aurillac"),
        ("service", "domiciliation-ccas-aurillac"),
    }
    assert features[("structure", "ccas-aurillac")]["geometry"] == {"type": "Point", "coordinates": [2.4439, 44.9264]}
    assert features[("service", "domiciliation-ccas-aurillac")]["geometry"]["coordinates"] == [3.0929, 45.0339]
    assert features[("service", "aide-alimentaire-ccas-aurillac")]["properties"]["freins"] == [
        "besoins-essentiels",
        "difficultes-financieres",
    ]


def test_every_published_file_is_described_on_the_page():
    from generator.opendata.pages import FILES

    assert set(FILES) == {name for names in export.FORMATS.values() for name in names}


@pytest.mark.parametrize("fmt, names", list(export.FORMATS.items()))
def test_cli_export_writes_the_files_of_a_format(tmp_path, capsys, fmt, names):
    out = tmp_path / "sortie"
    assert main(["export", "--format", fmt, "--resources", str(FIXTURE), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    catalog = catalog_of(FIXTURE)
    for name in names:
        assert (out / name).read_bytes() == export.export_files(catalog, [fmt])[name].encode("utf-8")
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith(f"Export « {fmt} » dans")


def test_cli_export_refuses_records_with_errors(tmp_path, capsys):
    resources = tmp_path / "resources"
    _copy(FIXTURE, resources)
    broken = resources / "services" / "aide-alimentaire-ccas-aurillac.yml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("freins: [", "freins: [inconnu, "), encoding="utf-8")
    out = tmp_path / "sortie"
    assert main(["export", "--format", "csv", "--resources", str(resources), "--out", str(out)]) == 1
    assert not out.exists()
    assert "Export annulé" in capsys.readouterr().out


def test_cli_export_reports_objects_the_official_model_refuses(tmp_path, capsys):
    resources = tmp_path / "resources"
    _copy(FIXTURE, resources)
    record = resources / "structures" / "ccas-aurillac.yml"
    record.write_text(
        record.read_text(encoding="utf-8").replace(
            "nom: Centre communal d'action sociale d'Aurillac", "nom: Centre communal d'action sociale."
        ),
        encoding="utf-8",
    )
    assert (
        main(["export", "--format", "data-inclusion", "--resources", str(resources), "--out", str(tmp_path / "o")]) == 0
    )
    lines = capsys.readouterr().out.splitlines()
    # The schema's own severity: a name ending with a full stop is a warning, not a refusal.
    assert not [line for line in lines if "refusé" in line]
    warned = [line for line in lines if "schéma officiel" in line]
    assert len(warned) == 1
    assert re.fullmatch(
        r".*/structures/ccas-aurillac\.yml:1:1: warning: data·inclusion: avertissement du schéma officiel : "
        r"nom : .*point.*",
        warned[0],
    )


def test_cli_export_usage_errors(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["export", "--format", "xml", "--resources", str(FIXTURE)])
    assert exit_.value.code == 2
    (tmp_path / "fichier").write_text("")
    assert main(["export", "--format", "csv", "--resources", str(FIXTURE), "--out", str(tmp_path / "fichier")]) == 2
    assert "n'est pas un dossier" in capsys.readouterr().err


def _copy(source: Path, target: Path) -> None:
    shutil.copytree(source, target)


# The site: the same files under donnees/, the page that describes them, the quality page.


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    assert main(["build", "--resources", str(FIXTURE), "--out", str(out)]) == 0
    return out


def test_site_publishes_the_open_data_files(fixture_site):
    catalog = catalog_of(FIXTURE)
    for name, content in export.export_files(catalog).items():
        assert (fixture_site / "donnees" / name).read_bytes() == content.encode("utf-8"), name
    services = json.loads((fixture_site / "donnees" / "services.json").read_text(encoding="utf-8"))
    assert {s["source"] for s in services} == {"cantal"}


def test_site_page_describes_files_fields_and_licence(fixture_site):
    page = (fixture_site / "donnees" / "index.html").read_text(encoding="utf-8")
    assert "Licence Ouverte 2.0 (Etalab)" in page
    for name in (
        "structures.json",
        "services.json",
        "structures.csv",
        "services.csv",
        "annuaire.json",
        "annuaire.geojson",
    ):
        assert f'href="../donnees/{name}"' in page, name
    for field in ("zone_eligibilite", "structure_id", "thematiques", "horaires_accueil"):
        assert f"<code>{field}</code>" in page
    assert "&lt;source&gt;--&lt;identifiant de la fiche&gt;" in page


def test_site_quality_page_scores_each_record(fixture_site):
    page = (fixture_site / "donnees" / "qualite" / "index.html").read_text(encoding="utf-8")
    assert "Qualité des données" in page
    for record in (
        "services/consultation-addictologie-mauriac/",
        "structures/addictions-france-cantal/",
        "structures/ccas-aurillac/",
    ):
        assert f'href="../../{record}"' in page
    # Freins the data·inclusion export cannot carry are listed for the maintainers.
    assert re.search(r"Consultation jeunes consommateurs</a> : Mobilité", page)
    assert "le modèle officiel accepte toutes les fiches exportées" in page
