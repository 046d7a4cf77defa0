"""Checks across records (ids, references, warnings) and the catalog's indexes.

Messages are asserted through `annuaire check` run in-process (today frozen at 2026-11-01), or through
`load_catalog(..., today=...)` for the API.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import MINIMAL_SERVICE as SERVICE
from conftest import REPO, SAMPLE_RECORDS, run_cli, write_record

from generator.records.catalog import load_catalog, months_between
from generator.records.diagnostics import Report

STRUCTURE = (
    "id: ccas-aurillac\n"
    "nom: Centre communal d'action sociale d'Aurillac\n"
    "territoire: cantal\n"
    "description: Aides facultatives, domiciliation, accompagnement.\n"
    "date_maj: 2026-10-01\n"
)
SERVICE_PATH = "resources/services/atelier-test.yml"
STRUCTURE_PATH = "resources/structures/ccas-aurillac.yml"


@pytest.fixture
def resources(examples, today):
    return examples


def check(*extra: str):
    return run_cli("check", "--resources", "resources", *extra)


# --- ids ----------------------------------------------------------------------------------------------


def test_id_must_equal_the_file_name(resources):
    write_record(resources, "services", "atelier-budget", SERVICE)
    run = check()
    assert run.diagnostics == [
        "resources/services/atelier-budget.yml:1:5: error: id: « atelier-test » doit être identique au nom du fichier : "
        "renommez le fichier en « atelier-test.yml », ou écrivez « id: atelier-budget »"
    ]
    assert run.code == 1


def test_two_files_cannot_hold_the_same_id(resources):
    # The file system keeps one file per name; an id copied into another file is caught by the id rule.
    write_record(resources, "services", "atelier-test", SERVICE)
    write_record(resources, "services", "atelier-test-copie", SERVICE)
    run = check()
    assert run.diagnostics == [
        "resources/services/atelier-test-copie.yml:1:5: error: id: « atelier-test » doit être identique au nom du fichier : "
        "renommez le fichier en « atelier-test.yml », ou écrivez « id: atelier-test-copie »"
    ]
    catalog = load_catalog(resources, "resources", Report(), today=date(2026, 11, 1))
    assert sorted(catalog.services) == ["atelier-test", "point-conseil-budget-aurillac"]


def test_bassin_ids_are_unique_in_a_territory(resources):
    text = (resources / "territoires" / "cantal.yml").read_text(encoding="utf-8").replace("id: mauriac", "id: aurillac")
    write_record(resources, "territoires", "cantal", text)
    run = check()
    assert run.diagnostics == [
        "resources/territoires/cantal.yml:8:5: error: bassins[1].id: bassin « aurillac » déjà défini dans ce territoire"
    ]
    assert run.code == 1


def test_bassin_communes_are_communes_of_the_departement_in_the_cog(resources):
    lozere = (
        "id: lozere\n"
        "nom: Lozère\n"
        'departement: "48"\n'
        "bassins:\n"
        "  - id: mende\n"
        "    nom: Bassin de Mende\n"
        "    communes:\n"
        '      - "48095"\n'
        '      - "15014"\n'
        '      - "48999"\n'
    )
    write_record(resources, "territoires", "lozere", lozere)
    run = check()
    assert run.diagnostics == [
        "resources/territoires/lozere.yml:9:9: error: bassins[0].communes: 15014 (Aurillac) n'est pas une commune "
        "de la Lozère (48)",
        "resources/territoires/lozere.yml:10:9: error: bassins[0].communes: 48999 n'existe pas dans le code officiel "
        "géographique",
    ]
    assert run.code == 1


# --- references -----------------------------------------------------------------------------------------

REFERENCES = {
    "misspelt structure": (
        SERVICE.replace("structure: udaf-cantal", "structure: udaf-cantl"),
        f"{SERVICE_PATH}:2:12: error: structure: structure « udaf-cantl » introuvable : vouliez-vous dire « udaf-cantal » ?",
    ),
    "unknown structure": (
        SERVICE.replace("structure: udaf-cantal", "structure: mission-locale"),
        f"{SERVICE_PATH}:2:12: error: structure: structure « mission-locale » introuvable ; "
        "valeurs possibles : udaf-cantal (Union départementale des associations familiales du Cantal)",
    ),
    "misspelt partner, second of the list": (
        SERVICE + "partenaires:\n  - udaf-cantal\n  - udaf-cantl\n",
        f"{SERVICE_PATH}:9:5: error: partenaires: structure « udaf-cantl » introuvable : vouliez-vous dire « udaf-cantal » ?",
    ),
    "unknown partner": (
        SERVICE + "partenaires: [udaf-cantal, caf-du-puy]\n",
        f"{SERVICE_PATH}:7:28: error: partenaires: structure « caf-du-puy » introuvable ; "
        "valeurs possibles : udaf-cantal (Union départementale des associations familiales du Cantal)",
    ),
    "misspelt bassin": (
        SERVICE + "bassins: [aurillac, st-flour]\n",
        f"{SERVICE_PATH}:7:21: error: bassins: bassin « st-flour » introuvable dans le territoire « cantal » : "
        "vouliez-vous dire « saint-flour » ?",
    ),
    "bassin of no territory": (
        SERVICE + "bassins: [lyon-centre]\n",
        f"{SERVICE_PATH}:7:11: error: bassins: bassin « lyon-centre » introuvable dans le territoire « cantal » ; "
        "valeurs possibles : aurillac (Bassin d'Aurillac), mauriac (Bassin de Mauriac), saint-flour (Bassin de Saint-Flour)",
    ),
}


@pytest.mark.parametrize("content, expected", REFERENCES.values(), ids=REFERENCES.keys())
def test_service_references_must_exist(resources, content, expected):
    write_record(resources, "services", "atelier-test", content)
    run = check()
    assert run.diagnostics == [expected], run.out
    assert run.code == 1


def test_territory_of_a_structure_must_exist(resources):
    text = (resources / "structures" / "udaf-cantal.yml").read_text(encoding="utf-8")
    write_record(resources, "structures", "udaf-cantal", text.replace("territoire: cantal", "territoire: cantale"))
    run = check()
    assert run.diagnostics == [
        "resources/structures/udaf-cantal.yml:5:13: error: territoire: territoire « cantale » introuvable : "
        "vouliez-vous dire « cantal » ?"
    ]
    assert run.code == 1


def test_a_refused_record_is_not_reported_again_through_references(resources):
    # The structure's own error is enough: its service is not told that the structure is missing,
    # nor is the structure told that it has no service when the service is the broken one.
    text = (resources / "structures" / "udaf-cantal.yml").read_text(encoding="utf-8")
    write_record(resources, "structures", "udaf-cantal", text.replace('"15000"', "15000"))
    write_record(resources, "services", "atelier-test", SERVICE + "partenaires: [udaf-cantal]\n")
    run = check()
    assert run.diagnostics == [
        "resources/structures/udaf-cantal.yml:10:14: error: code_postal: « 15000 » doit être un texte : "
        'mettez la valeur entre guillemets ("15000")'
    ]
    assert run.code == 1


def test_a_broken_service_still_counts_for_its_structure(resources):
    write_record(resources, "structures", "ccas-aurillac", STRUCTURE)
    write_record(
        resources,
        "services",
        "atelier-test",
        SERVICE.replace("udaf-cantal", "ccas-aurillac").replace("nom: Atelier budget", "nom: [Atelier"),
    )
    write_record(
        resources,
        "services",
        "aide-ccas",
        SERVICE.replace("atelier-test", "aide-ccas").replace("udaf-cantal", "ccas-aurillac") + "type: aide\n",
    )
    run = check()
    assert [line.split(": error: ")[0] for line in run.diagnostics] == [
        "resources/services/aide-ccas.yml:7:7",
        "resources/services/atelier-test.yml:3:6",  # a list where a text is expected
        "resources/services/atelier-test.yml:3:14",  # the « [ » not closed
    ]
    assert not any("aucun service" in line for line in run.lines)


def test_a_structure_of_a_refused_territory_is_not_reported(resources):
    text = (resources / "territoires" / "cantal.yml").read_text(encoding="utf-8")
    write_record(resources, "territoires", "cantal", text.replace('"15"', "15"))
    run = check()
    assert run.diagnostics == [
        "resources/territoires/cantal.yml:3:14: error: departement: « 15 » doit être un texte : "
        'mettez la valeur entre guillemets ("15")'
    ]


# --- warnings ---------------------------------------------------------------------------------------------


def test_postcode_outside_the_departement_of_the_territory(resources):
    write_record(resources, "services", "atelier-test", SERVICE + 'code_postal: "63000"\n')
    run = check()
    assert run.diagnostics == [
        f"{SERVICE_PATH}:7:14: warning: code_postal: « 63000 » est hors du département 15 du territoire « cantal »"
    ]
    assert run.code == 0
    assert run.lines[-1] == "4 fichiers vérifiés : 0 erreur, 1 avertissement."


def test_postcode_of_a_structure_outside_the_departement(resources):
    write_record(resources, "structures", "ccas-aurillac", STRUCTURE + 'code_postal: "75011"\n')
    write_record(resources, "services", "atelier-test", SERVICE.replace("udaf-cantal", "ccas-aurillac"))
    run = check()
    assert run.diagnostics == [
        f"{STRUCTURE_PATH}:6:14: warning: code_postal: « 75011 » est hors du département 15 du territoire « cantal »"
    ]
    assert run.code == 0


@pytest.mark.parametrize(
    "departement, inside, outside",
    [
        ("2A", "20000", "20200"),
        ("2B", "20200", "20000"),
        ("974", "97400", "97100"),
        ("971", "97110", "97400"),
        ("01", "01000", "10000"),
    ],
)
def test_postcodes_of_corsica_and_overseas(resources, departement, inside, outside):
    text = (resources / "territoires" / "cantal.yml").read_text(encoding="utf-8")
    write_record(resources, "territoires", "cantal", text.replace('"15"', f'"{departement}"'))
    udaf = (resources / "structures" / "udaf-cantal.yml").read_text(encoding="utf-8")
    write_record(resources, "structures", "udaf-cantal", udaf.replace('"15000"', f'"{inside}"'))
    write_record(resources, "services", "atelier-test", SERVICE + f'code_postal: "{outside}"\n')
    run = check()  # the bassins' Cantal communes are errors in another département: only postcodes looked at here
    assert [d for d in run.diagnostics if "code_postal" in d] == [
        f"{SERVICE_PATH}:7:14: warning: code_postal: « {outside} » est hors du département {departement} du territoire « cantal »"
    ]


def test_structure_without_service(resources):
    write_record(resources, "structures", "ccas-aurillac", STRUCTURE)
    run = check()
    assert run.diagnostics == [f"{STRUCTURE_PATH}:1:1: warning: aucun service ne se rattache à cette structure"]
    assert run.code == 0


def test_a_partner_is_not_a_service_of_its_own(resources):
    write_record(resources, "structures", "ccas-aurillac", STRUCTURE)
    write_record(resources, "services", "atelier-test", SERVICE + "partenaires: [ccas-aurillac]\n")
    run = check()
    assert run.diagnostics == [f"{STRUCTURE_PATH}:1:1: warning: aucun service ne se rattache à cette structure"]


@pytest.mark.parametrize(
    "date_maj, months", [("2025-11-01", 12), ("2025-09-15", 13), ("2025-09-01", 14), ("2020-01-31", 81)]
)
def test_record_not_checked_for_twelve_months(resources, date_maj, months):
    write_record(resources, "services", "atelier-test", SERVICE.replace("2026-10-01", date_maj))
    run = check()
    assert run.diagnostics == [f"{SERVICE_PATH}:6:11: warning: date_maj: fiche non vérifiée depuis {months} mois"]
    assert run.code == 0


def test_a_stale_structure_is_warned_too(resources):
    write_record(resources, "structures", "ccas-aurillac", STRUCTURE.replace("2026-10-01", "2025-09-01"))
    write_record(resources, "services", "atelier-test", SERVICE.replace("udaf-cantal", "ccas-aurillac"))
    run = check()
    assert run.diagnostics == [f"{STRUCTURE_PATH}:5:11: warning: date_maj: fiche non vérifiée depuis 14 mois"]


@pytest.mark.parametrize("date_maj", ["2025-11-02", "2026-11-01"])
def test_a_record_checked_within_twelve_months_is_not_warned(resources, date_maj):
    write_record(resources, "services", "atelier-test", SERVICE.replace("2026-10-01", date_maj))
    run = check()
    assert run.diagnostics == [] and run.code == 0


def test_warnings_and_errors_are_sorted_by_file_then_line(resources):
    write_record(
        resources,
        "services",
        "atelier-test",
        SERVICE.replace("2026-10-01", "2024-01-01") + 'code_postal: "63000"\ntype: atelierr\n',
    )
    write_record(resources, "structures", "ccas-aurillac", STRUCTURE)
    write_record(
        resources,
        "services",
        "cafe-sante",
        SERVICE.replace("atelier-test", "cafe-sante").replace("2026-10-01", "2024-01-01") + 'code_postal: "63000"\n',
    )
    run = check()
    assert run.diagnostics == [
        f"{SERVICE_PATH}:8:7: error: type: « atelierr » n'est pas une valeur autorisée : vouliez-vous dire « atelier » ?",
        "resources/services/cafe-sante.yml:6:11: warning: date_maj: fiche non vérifiée depuis 34 mois",
        "resources/services/cafe-sante.yml:7:14: warning: code_postal: « 63000 » est hors du département 15 du territoire « cantal »",
        f"{STRUCTURE_PATH}:1:1: warning: aucun service ne se rattache à cette structure",
    ]
    assert run.code == 1
    assert run.lines[-1] == "6 fichiers vérifiés : 1 erreur, 3 avertissements."


def test_months_between():
    assert months_between(date(2025, 11, 1), date(2026, 11, 1)) == 12
    assert months_between(date(2025, 11, 2), date(2026, 11, 1)) == 11
    assert months_between(date(2026, 1, 31), date(2026, 2, 28)) == 0
    assert months_between(date(2026, 1, 31), date(2026, 3, 1)) == 1


# --- the catalog as an API ------------------------------------------------------------------------------


def test_today_goes_into_the_validation_context(examples):
    write_record(examples, "services", "atelier-test", SERVICE.replace("2026-10-01", "2027-01-10"))
    report = Report()
    load_catalog(examples, "resources", report, today=date(2027, 1, 10))
    assert report.diagnostics == []
    report = Report()
    load_catalog(examples, "resources", report, today=date(2027, 1, 9))
    assert report.lines() == [
        "resources/services/atelier-test.yml:6:11: error: date_maj: la date 2027-01-10 est dans le "
        "futur : indiquez la date de la dernière vérification"
    ]


def test_the_catalog_indexes_the_valid_records(examples):
    write_record(examples, "services", "atelier-test", SERVICE + "bassins: [mauriac]\n")
    write_record(
        examples,
        "services",
        "cafe-sante",
        SERVICE.replace("atelier-test", "cafe-sante").replace("Atelier budget", "Café santé"),
    )
    report = Report()
    catalog = load_catalog(examples, "resources", report, today=date(2026, 11, 1))
    assert report.diagnostics == [] and report.files_checked == 5
    assert [s.id for s in catalog.services_of("udaf-cantal")] == [
        "atelier-test",
        "cafe-sante",
        "point-conseil-budget-aurillac",
    ]
    atelier = catalog.services["atelier-test"]
    assert catalog.structure_of(atelier).id == "udaf-cantal" and catalog.territoire_of(atelier).id == "cantal"
    assert catalog.bassins_of(atelier) == ["mauriac"]
    assert catalog.bassins_of(catalog.services["cafe-sante"]) == ["aurillac", "mauriac", "saint-flour"]
    assert catalog.source(atelier).relative == "services/atelier-test.yml"
    assert catalog.source(atelier).at("bassins", 0) == (7, 11)
    assert catalog.months_since_check(atelier) == 1 and not catalog.is_stale(atelier)


def test_a_missing_kind_folder_is_not_an_error(tmp_path):
    (tmp_path / "structures").mkdir()
    report = Report()
    catalog = load_catalog(tmp_path, "", report)
    assert report.diagnostics == [] and report.files_checked == 0 and not catalog.services


def test_the_benchmark_records_are_valid(tmp_path):
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import check_speed
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    files = check_speed.generate(tmp_path, 60)
    report = check_speed.run_check(tmp_path)
    assert report.lines() == [] and report.files_checked == files == 1 + 12 + 60
    assert check_speed.run_libyaml(tmp_path) == files


def test_paths_are_shown_as_given(resources):
    write_record(resources, "services", "atelier-test", SERVICE.replace("structure: udaf-cantal", "structure: x"))
    for given, shown in [
        ("resources/", "resources/"),
        ("./resources", "./resources/"),
        (str(Path.cwd() / "resources"), f"{Path.cwd()}/resources/"),
    ]:
        run = run_cli("check", "--resources", given)
        assert run.diagnostics == [
            f"{shown}services/atelier-test.yml:2:12: error: structure: structure « x » introuvable ; "
            "valeurs possibles : udaf-cantal (Union départementale des associations familiales du Cantal)"
        ]


def test_the_preview_checks_again_only_the_files_changed(tmp_path, monkeypatch):
    """`annuaire serve` keeps what each file's check found: after an edit, that file alone is read again, and the
    whole report (the unchanged files' problems included) is the same as a full check's."""
    from generator.records import catalog as catalog_module

    resources = tmp_path / "resources"
    write_record(resources, "territoires", "cantal", (REPO / "tests/data/contrat/territoires/cantal.yml").read_bytes())
    write_record(resources, "structures", "ccas-aurillac", STRUCTURE)
    service = write_record(resources, "services", "atelier-test", SERVICE)
    write_record(
        resources, "services", "sans-nom", SERVICE.replace("id: atelier-test", "id: sans-nom").replace("nom:", "x:")
    )
    checked = []
    original = catalog_module._load_record
    monkeypatch.setattr(catalog_module, "_load_record", lambda *a: checked.append(a[1]) or original(*a))
    checks = catalog_module.FileChecks()
    today = date(2026, 11, 1)

    def lines() -> list[str]:
        report = Report()
        load_catalog(resources, "resources", report, today=today, checks=checks)
        return report.lines()

    first = lines()
    assert len(checked) == 4 and any("sans-nom.yml" in line and "nom" in line for line in first)
    checked.clear()
    assert lines() == first and checked == []
    service.write_text(SERVICE.replace("freins: [", "freins: [inconnu, "), encoding="utf-8")
    edited = lines()
    assert checked == [str(service)]
    assert any("atelier-test.yml" in line and "inconnu" in line for line in edited)
    assert lines() == edited and len(checked) == 1  # checked once since its edit
    full = Report()
    load_catalog(resources, "resources", full, today=today)
    assert edited == full.lines()
    checked.clear()
    today = date(2026, 11, 2)  # a new day: dates in the future or past their check change
    lines()
    assert len(checked) == 4


def test_checking_on_every_core_finds_what_one_process_finds(tmp_path, monkeypatch):
    """Beyond POOL_THRESHOLD files the check runs in worker processes: same records, same problems, same order."""
    import shutil

    from generator.records import catalog as catalog_module

    resources = tmp_path / "resources"
    shutil.copytree(SAMPLE_RECORDS, resources)
    for case in ("freins-en-double", "commune-sur-deux-lignes"):
        for bad in (REPO / "tests" / "data" / "invalid" / case / "services").iterdir():
            shutil.copy(bad, resources / "services" / f"{case}-{bad.name}")
    (resources / "services" / "mauvaise-extension.yaml").write_text("id: x\n", encoding="utf-8")
    found = []
    for threshold, jobs in ((10**9, 1), (0, 2)):
        monkeypatch.setattr(catalog_module, "POOL_THRESHOLD", threshold)
        monkeypatch.setattr(catalog_module.os, "cpu_count", lambda jobs=jobs: jobs)
        report = Report()
        loaded = load_catalog(resources, "resources", report, today=date(2026, 12, 2))
        found.append((report.diagnostics, report.files_checked, loaded.services, loaded.structures, loaded.sources))
    assert found[0] == found[1]
    assert len(found[0][2]) > 10 and len([d for d in found[0][0] if d.severity == "error"]) >= 3
