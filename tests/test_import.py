"""`annuaire import data-inclusion`: a data·inclusion export becomes records that `annuaire check` accepts."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLE_RECORDS, REPO, SAMPLE_RECORDS
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.opendata import export
from generator.opendata.import_mapping import new_id, slug
from generator.opendata.import_yaml import to_yaml
from generator.records.catalog import load_catalog
from generator.records.diagnostics import Report
from generator.records.load import load_bytes

FIXTURE = REPO / "tests" / "data" / "annuaire"
DI = REPO / "tests" / "data" / "data-inclusion"


def load(folder: Path):
    report = Report()
    catalog = load_catalog(folder, str(folder), report)
    return catalog, report


@pytest.fixture
def base(tmp_path) -> Path:
    """A copy of the test records: the Cantal territory, two structures and three services."""
    target = tmp_path / "resources"
    shutil.copytree(FIXTURE, target)
    return target


def run_import(capsys, resources: Path, *files: Path, territoire: str = "cantal") -> tuple[int, list[str]]:
    code = main(
        ["import", "data-inclusion", *map(str, files), "--territoire", territoire, "--resources", str(resources)]
    )
    captured = capsys.readouterr()
    return code, captured.out.splitlines() + captured.err.splitlines()


def written(resources: Path, kind: str) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted((resources / kind).glob("*.yml"))}


def test_import_json_writes_records_that_check_accepts(base, capsys):
    before = {**written(base, "structures"), **written(base, "services")}
    code, lines = run_import(capsys, base, DI / "structures.json", DI / "services.json")
    assert code == 0
    structures, services = written(base, "structures"), written(base, "services")
    new_structures = set(structures) - set(before)
    new_services = set(services) - set(before)
    # Ids: the producer's when already kebab-case, else the name's; never a file that was there.
    assert new_structures == {
        "maison-france-services-de-riom-es-montagnes-f448df",
        "epicerie-solidaire-le-panier-2088b4",
        "secours-populaire-antenne-de-murat-2d2049",
    }
    assert new_services == {
        "aide-aux-demarches-en-ligne-fe6ed5",
        "colis-alimentaires-519048",
        "aide-au-permis-de-conduire-817ad7",
    }
    for stem, text in before.items():  # nothing overwritten
        assert (structures | services)[stem] == text
    # What import wrote passes `annuaire check`.
    assert main(["check", "--resources", str(base)]) == 0
    catalog, report = load(base)
    assert not report.errors
    assert lines[-1] == (
        "Import terminé : 6 nouvelles fiches, 0 mise à jour, 0 inchangée, 0 absente de la source ; "
        "éléments ignorés : 2 doublons, 5 invalides, 1 sans frein."
    )


def test_imported_files_follow_the_projects_style(base, capsys):
    run_import(capsys, base, DI / "structures.json", DI / "services.json")
    text = (base / "structures" / "maison-france-services-de-riom-es-montagnes-f448df.yml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert re.fullmatch(r"# Importé de data·inclusion le \d{4}-\d{2}-\d{2} : à relire", lines[0])
    assert "« dora--AidantsConnect:2024-47BXY »" in lines[1]
    assert 'code_postal: "15400"' in lines and 'code_insee: "15162"' in lines
    assert 'telephone: "04 65 71 03 03"' in lines  # E.164 in, the project's national form out
    assert 'horaires_accueil: "Mo-Fr 09:00-12:00"' in lines
    assert "date_maj: 2026-06-02" in lines  # as in the source, unquoted
    assert lines[2] == (
        "# Un nouvel import met à jour les champs venus de la source ; il garde sigle, mainteneurs "
        "et les champs ajoutés à champs_locaux"
    )
    assert lines[3:6] == [
        "id: maison-france-services-de-riom-es-montagnes-f448df",
        "nom: Maison France services de Riom-ès-Montagnes",
        "territoire: cantal",
    ]
    data = yaml.safe_load(text)
    # Windows line ends and trailing spaces of the source are gone; paragraphs stay.
    assert data["description"] == (
        "Accueil, information et aide aux démarches administratives en ligne.\n\nSur rendez-vous le mercredi.\n"
    )
    assert "reseaux_porteurs" not in data
    assert (data["source"], data["id_source"]) == ("dora", "dora--AidantsConnect:2024-47BXY")


def test_thematiques_become_freins_and_zone_becomes_bassins(base, capsys):
    run_import(capsys, base, DI / "structures.json", DI / "services.json")
    catalog, _ = load(base)
    aide = catalog.services["aide-aux-demarches-en-ligne-fe6ed5"]
    assert [f.value for f in aide.freins] == ["difficultes-administratives", "numerique"]
    assert [t.value for t in aide.thematiques] == [
        "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
        "numerique--acceder-a-des-services-en-ligne",
    ]  # the invalid one left out
    # Two communes are no bassin: the zone is kept as published, the territory chooses the bassins.
    assert aide.bassins == [] and aide.zone_eligibilite == ["15162", "15187"]
    assert aide.structure == "maison-france-services-de-riom-es-montagnes-f448df"
    # Same address and phone as its structure: inherited, not repeated; the mobilisation link kept as such.
    assert aide.adresse is None and aide.telephone is None and aide.courriel is None
    assert aide.lien_mobilisation == "https://rdv.example.org/mfs-riom" and aide.site_web is None
    assert aide.horaires_accueil == "Tu,Th 09:00-12:00"
    colis = catalog.services["colis-alimentaires-519048"]
    assert colis.bassins == []  # the département: the whole territory
    assert colis.publics == []  # « tous-publics » with another public: refused, left out
    assert colis.telephone == "04 65 71 05 05"


def test_invalid_values_reported_by_row_and_skipped(base, capsys):
    _, lines = run_import(capsys, base, DI / "structures.json", DI / "services.json")
    structures = str(DI / "structures.json")
    services = str(DI / "services.json")
    expected = [
        f"{structures}[1]: warning: code_postal: trop court : au moins 5 caractères : champ ignoré",
        f"{structures}[1]: warning: courriel: « pas-une-adresse » n'est pas une adresse électronique valide "
        "(exemple : « contact@exemple.fr ») : champ ignoré",
        f"{structures}[1]: warning: site_web: « pas un site » n'est pas une adresse web : elle doit commencer par "
        "https:// ou http:// : champ ignoré",
        f"{structures}[3]: error: date_maj: La date de dernière modification ne peut pas être dans le futur : fiche ignorée",
        f"{structures}[4]: error: nom: champ obligatoire manquant : fiche ignorée",
        f"{structures}[5]: error: un objet {{ … }} est attendu : élément ignoré",
        f"{services}[0]: warning: thematiques: « pas-une-thematique » n'est pas une valeur autorisée ; les valeurs "
        "possibles sont dans CONTRIBUTING.md, section « Les valeurs possibles » : valeur ignorée",
        f"{services}[3]: error: structure_id: structure « dora--inconnue » introuvable dans le fichier et dans la base : service ignoré",
        f"{services}[6]: error: date_maj: champ obligatoire manquant : fiche ignorée",
    ]
    for line in expected:
        assert line in lines
    # Our own checks too: phone, hours, SIRET key.
    assert any(
        re.match(rf"{re.escape(structures)}\[1\]: warning: telephone: « 04 71 » n'est pas un numéro", line)
        for line in lines
    )
    assert any(
        re.match(rf"{re.escape(structures)}\[1\]: warning: horaires_accueil: « lundi matin »", line) for line in lines
    )
    assert any(re.match(rf"{re.escape(structures)}\[1\]: warning: siret: .*clé de contrôle", line) for line in lines)
    # A latitude without longitude: both left out, the service kept.
    assert (
        f"{services}[5]: warning: longitude: latitude et longitude vont ensemble : renseignez les deux ou aucune : champ ignoré"
        in lines
    )
    assert not any("Traceback" in line for line in lines)


def test_flags_for_review_in_the_file_and_the_summary(base, capsys):
    _, lines = run_import(capsys, base, DI / "structures.json", DI / "services.json")
    epicerie = (base / "structures" / "epicerie-solidaire-le-panier-2088b4.yml").read_text(encoding="utf-8")
    assert "# À vérifier : pas de description dans la source : à rédiger" in epicerie
    assert any(
        line.startswith("nouvelle fiche : ")
        and "epicerie-solidaire-le-panier-2088b4.yml (à relire ; à vérifier : pas de description" in line
        for line in lines
    )
    permis = (base / "services" / "aide-au-permis-de-conduire-817ad7.yml").read_text(encoding="utf-8")
    assert (
        "# À vérifier : zone d'éligibilité (75056) gardée telle quelle ; elle ne correspond exactement à aucun "
        "bassin : choisissez les bassins où montrer le service" in permis
    )
    assert "latitude" not in permis


def test_service_without_frein_skipped_and_reported(base, capsys):
    _, lines = run_import(capsys, base, DI / "structures.json", DI / "services.json")
    assert not (base / "services" / "atelier-cv.yml").exists()
    assert any(
        line.startswith(f"{DI / 'services.json'}[2]: warning: thematiques: aucune thématique ne correspond à un frein")
        for line in lines
    )


def test_duplicates_reported_never_overwritten(base, capsys):
    ccas = (base / "structures" / "ccas-aurillac.yml").read_bytes()
    aide = (base / "services" / "aide-alimentaire-ccas-aurillac.yml").read_bytes()
    _, lines = run_import(capsys, base, DI / "structures.json", DI / "services.json")
    assert (base / "structures" / "ccas-aurillac.yml").read_bytes() == ccas
    assert (base / "services" / "aide-alimentaire-ccas-aurillac.yml").read_bytes() == aide
    assert any(
        "structures.json[2]: warning: structure « CENTRE communal d’action sociale d’Aurillac » : doublon de "
        "« ccas-aurillac » (même SIRET 26150014400017)" in line
        for line in lines
    )
    # Same name (typographic apostrophe aside), same commune, same structure: a duplicate.
    assert any(
        "services.json[4]: warning: service « Aide alimentaire d’urgence » : doublon de "
        "« aide-alimentaire-ccas-aurillac »" in line
        for line in lines
    )
    # The services of a duplicate structure attach to the record already there.
    catalog, _ = load(base)
    assert catalog.services["aide-au-permis-de-conduire-817ad7"].structure == "ccas-aurillac"


def test_duplicate_by_name_and_commune(base, capsys, tmp_path):
    source = tmp_path / "structures.json"
    source.write_text(
        json.dumps(
            [
                {
                    "source": "x",
                    "id": "x--1",
                    "nom": "Association addictions France – Cantal ",
                    "date_maj": "2026-01-01",
                    "description": "Une autre publication.",
                    "code_postal": "15000",
                }
            ]
        ),
        encoding="utf-8",
    )
    _, lines = run_import(capsys, base, source)
    assert any("doublon de « addictions-france-cantal » (même nom et même commune)" in line for line in lines)
    assert set(written(base, "structures")) == {"ccas-aurillac", "addictions-france-cantal"}


def test_import_twice_detects_its_own_records(base, capsys):
    run_import(capsys, base, DI / "structures.json", DI / "services.json")
    before = {**written(base, "structures"), **written(base, "services")}
    code, lines = run_import(capsys, base, DI / "structures.json", DI / "services.json")
    assert code == 0
    assert {**written(base, "structures"), **written(base, "services")} == before
    assert lines[-1].startswith("Import terminé : 0 nouvelle fiche, 0 mise à jour, 6 inchangées, 0 absente")


def test_import_csv_with_list_cells(base, capsys):
    code, lines = run_import(capsys, base, DI / "structures.csv", DI / "services.csv")
    assert code == 0
    assert (
        f"{DI / 'structures.csv'}:5: error: date_maj: « le 3 mars » n'est pas une date au format AAAA-MM-JJ "
        "(par exemple 2026-09-30, sans guillemets) : fiche ignorée" in lines
    )
    assert (
        f"{DI / 'services.csv'}:4: warning: frais: « pas-une-valeur » n'est pas une valeur autorisée ; "
        "valeurs possibles : gratuit (Gratuit), payant (Payant) : champ ignoré" in lines
    )
    catalog, report = load(base)
    assert not report.errors
    atelier = catalog.services["ateliers-numeriques-40ab22"]
    assert [p.value for p in atelier.publics] == ["beneficiaires-des-minimas-sociaux", "demandeurs-emploi"]  # {a,b}
    assert [m.value for m in atelier.modes_accueil] == ["en-presentiel"]  # ["a"]
    assert [m.value for m in atelier.modes_mobilisation] == ["se-presenter", "telephoner"]  # a,b
    assert atelier.bassins == ["mauriac"] and atelier.zone_eligibilite == ["15120"]  # exactly its bassin
    assert atelier.description == (
        "Apprendre à utiliser un ordinateur, une messagerie et les sites des administrations.\n"
        "Groupe de six personnes au plus."
    )
    pret = catalog.services[next(i for i in catalog.services if i.startswith("pret-d"))]
    assert pret.frais is None and pret.telephone == "04 65 71 06 07"
    structure = catalog.structures[next(i for i in catalog.structures if i.startswith("espace-numerique-de-mauriac-"))]
    assert (structure.latitude, structure.longitude) == (45.22, 2.33)


@pytest.mark.parametrize(
    "content, name, message",
    [
        ('[{"id": ', "cassé.json", r"cassé\.json:1:9: error: JSON invalide"),
        (
            '{"structures": []}',
            "objet.json",
            r"objet\.json: error: une liste d'objets data·inclusion \(\[\{…\}, \{…\}\]\) ou une page de l'API",
        ),
        ("nom;adresse\nA;B\n", "autre.csv", r"autre\.csv:1: error: en-tête CSV data·inclusion attendu"),
        (b"id,nom\n\xe9,x\n", "latin1.csv", r"latin1\.csv: error: le fichier doit être encodé en UTF-8"),
    ],
)
def test_unreadable_file_exits_1_and_writes_nothing(base, capsys, tmp_path, content, name, message):
    source = tmp_path / name
    if isinstance(content, bytes):
        source.write_bytes(content)
    else:
        source.write_text(content, encoding="utf-8")
    before = sorted(p.name for p in base.rglob("*"))
    code, lines = run_import(capsys, base, DI / "structures.json", source)
    assert code == 1
    assert any(re.search(message, line) for line in lines), lines
    assert lines[-1] == "Import annulé : aucune fiche écrite."
    assert sorted(p.name for p in base.rglob("*")) == before


def test_usage_errors(base, capsys):
    code, lines = run_import(capsys, base, DI / "structures.json", territoire="lozere")
    assert code == 2
    assert "territoire « lozere » introuvable" in lines[-1] and "(territoires : cantal)" in lines[-1]
    code, lines = run_import(capsys, base, base / "absent.json")
    assert code == 2 and "n'existe pas" in lines[-1]


def test_ids_readable_kebab_case_and_unique():
    taken = {"udaf-cantal"}
    # The territory's own records keep their id; others get the name and a suffix from the original id.
    assert new_id("cantal--udaf-cantal", "UDAF du Cantal", taken, own=True) == "udaf-cantal-2"
    uuid = "dora--7e87aef9-3c1d-4b5e-9f20-6a1b2c3d4e5f"
    assert new_id(uuid, "Cœur d’Aurillac", taken) == "coeur-d-aurillac-9b889f"
    assert new_id(uuid, "Cœur d’Aurillac", set()) == "coeur-d-aurillac-9b889f"  # the same at every import
    assert new_id("dora--Mixte:ID", "Cœur d’Aurillac", taken).startswith("coeur-d-aurillac-")
    assert slug("  Épicerie « Le Panier » ") == "epicerie-le-panier"


@pytest.mark.parametrize(
    "value",
    [
        "yes",
        "null",
        "12",
        "2026-01-01",
        "- tiret",
        "a: b",
        "a #b",
        "« guillemets »",
        "'simple'",
        '"double"',
        "fin:",
        "@arobase",
        "%pourcent",
        "tab\tulation",
        "ligne\navec retour",
        " espace",
        "1.5",
        "0x1F",
        "~",
        "https://exemple.fr/a?b=c&d=%20#ancre",
        "contact@exemple.fr",
        "On",
        "Off.",
        "a:b",
        "avec # dièse",
    ],
)
def test_yaml_strings_read_back_as_written(value):
    text = to_yaml({"nom": value, "conditions_acces": value + " !"}, ["en-tête"])
    data = load_bytes(text.encode("utf-8"), "x.yml").data
    # A multi-line text is a literal block, whose final line break the models strip like any edge space.
    assert {k: v.rstrip("\n") for k, v in data.items()} == {"nom": value, "conditions_acces": value + " !"}


# ---------------------------------------------------------------- round trip


def _sources():
    return [
        pytest.param(FIXTURE, id="tests-data"),
        pytest.param(EXAMPLE_RECORDS, id="contrat"),
        pytest.param(SAMPLE_RECORDS, id="echantillon"),
    ]


def _effective(catalog, service):
    place = export.place_of(service, catalog.structure_of(service))
    return {
        "telephone": export.e164(place["telephone"]),
        "courriel": place["courriel"],
        "adresse": place["adresse"],
        "complement_adresse": place["complement_adresse"],
        "code_postal": place["code_postal"],
        "code_insee": place["code_insee"],
        "commune": place["commune"],
        "horaires": place["horaires_accueil"],
        "coordonnees": (place["latitude"], place["longitude"]),
    }


@pytest.mark.parametrize("folder", _sources())
@pytest.mark.parametrize("fmt", ["data-inclusion", "csv"])
def test_round_trip_export_then_import_into_empty_territories(folder, fmt, tmp_path, capsys):
    original, report = load(folder)
    assert not report.errors
    exported = tmp_path / "export"
    assert main(["export", "--format", fmt, "--resources", str(folder), "--out", str(exported)]) == 0
    empty = tmp_path / "vide"
    shutil.copytree(folder / "territoires", empty / "territoires")
    suffix = "json" if fmt == "data-inclusion" else "csv"
    for territoire in original.territoires:
        files = _split_by_source(exported, suffix, territoire, tmp_path / territoire)
        code, lines = run_import(capsys, empty, *files, territoire=territoire)
        assert code == 0, lines
    imported, report = load(empty)
    assert not report.errors, report.lines()

    assert set(imported.structures) == set(original.structures)
    for structure in original.structures.values():
        copy = imported.structures[structure.id]
        for name in (
            "nom",
            "territoire",
            "siret",
            "adresse",
            "complement_adresse",
            "code_postal",
            "code_insee",
            "commune",
            "latitude",
            "longitude",
            "courriel",
            "site_web",
            "horaires_accueil",
            "accessibilite_lieu",
            "date_maj",
        ):
            assert getattr(copy, name) == getattr(structure, name), (structure.id, name)
        assert export.e164(copy.telephone) == export.e164(structure.telephone)
        assert export.description_text(copy.description) == export.description_text(structure.description)

    # Services whose freins all have a thématique of their category come back whole; the others are
    # listed on the quality page, and a service left with no frein at all is skipped by import.
    expected = {s.id for s in original.services.values() if len(export.lost_freins(s)) < len(s.freins)}
    assert set(imported.services) == expected
    for service_id in expected:
        service, copy = original.services[service_id], imported.services[service_id]
        assert copy.structure == service.structure
        for name in (
            "nom",
            "type",
            "thematiques",
            "publics",
            "publics_precisions",
            "conditions_acces",
            "frais",
            "frais_precisions",
            "modes_accueil",
            "modes_mobilisation",
            "mobilisable_par",
            "mobilisation_precisions",
            "bassins",
            "date_maj",
        ):
            assert sorted_if_list(getattr(copy, name)) == sorted_if_list(getattr(service, name)), (service_id, name)
        kept = [f for f in service.freins if f.value not in export.lost_freins(service)]
        assert sorted(copy.freins) == sorted(kept)
        assert _effective(imported, copy) == _effective(original, service)
        assert export.description_text(copy.description) == export.description_text(service.description)


def sorted_if_list(value):
    return sorted(value) if isinstance(value, list) else value


def _split_by_source(exported: Path, suffix: str, source: str, target: Path) -> list[Path]:
    """The rows of one territory (its `source`): import writes into one territory at a time."""
    target.mkdir()
    files = []
    for name in (f"structures.{suffix}", f"services.{suffix}"):
        path = target / name
        if suffix == "json":
            rows = json.loads((exported / name).read_text(encoding="utf-8"))
            path.write_text(
                json.dumps([r for r in rows if r["source"] == source], ensure_ascii=False), encoding="utf-8"
            )
        else:
            rows = list(csv.reader(io.StringIO((exported / name).read_bytes().decode("utf-8"), newline="")))
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow(rows[0])
            writer.writerows(row for row in rows[1:] if row[0] == source)
            path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
        files.append(path)
    return files


def test_round_trip_test_data_covers_the_cases():
    """The test records exercise what the round trip must keep: inherited and own addresses, lost freins."""
    catalog, _ = load(FIXTURE)
    assert any(export.lost_freins(s) and len(export.lost_freins(s)) < len(s.freins) for s in catalog.services.values())
    assert any(s.adresse for s in catalog.services.values())
    assert any(not s.adresse and catalog.structure_of(s).adresse for s in catalog.services.values())
    assert date(2000, 1, 1) < min(s.date_maj for s in catalog.services.values())


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).map(str.strip).filter(bool))
@example("ligne\u2028séparée")
@example("a\x85b\x9f\ufeffc")
@example("contrôle\x01")
def test_any_text_reads_back_as_written(value):
    """What import writes has been through our models, which strip the edges of every text."""
    text = to_yaml({"nom": value, "description": value, "mobilisation_precisions": [value]}, ["en-tête"])
    data = load_bytes(text.encode("utf-8"), "x.yml").data
    assert data["nom"].rstrip("\n") == value and data["mobilisation_precisions"] == [value]
    # Wrapping a description only turns spaces into line breaks, which Markdown reads as spaces.
    assert " ".join(data["description"].split()) == " ".join(value.split())


@given(st.lists(st.tuples(st.text(max_size=30), st.text(min_size=1, max_size=200)), max_size=20))
def test_new_ids_are_kebab_case_short_and_unique(pairs):
    taken: set[str] = set()
    ids = [new_id(source_id, nom, taken) for source_id, nom in pairs]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i) and len(i) <= 120 for i in ids)
