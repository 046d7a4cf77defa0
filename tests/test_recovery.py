"""Reading past a YAML syntax error: one check lists every problem of a file, and of the folder."""

from __future__ import annotations

from conftest import MINIMAL_SERVICE, run_cli, write_record

from generator.records.recovery import MAX_REPAIRS, recover_bytes

PATH = "resources/services/atelier-test.yml"


def problems(text: str) -> list[tuple[int, int, str, str]]:
    return [(p.line, p.col, p.field, p.message) for p in recover_bytes(text.encode(), "f.yml").problems]


def test_each_slip_is_reported_and_the_fields_after_it_are_still_checked(examples):
    content = (
        MINIMAL_SERVICE.replace("nom: Atelier budget\n", "nom: Atelier : budget\n")
        + "\tcommune: Aurillac\n"
        + "frais:gratuite\n"
    )
    write_record(examples, "services", "atelier-test", content)
    run = run_cli("check", "--resources", "resources")
    assert run.diagnostics == [
        f'{PATH}:3:14: error: nom: une valeur contenant « : » doit être entre guillemets : écrivez « nom: "Atelier : budget" »',
        f"{PATH}:7:1: error: syntaxe YAML invalide : tabulation interdite : indentez avec des espaces",
        f"{PATH}:8:7: error: frais: une espace est attendue après les deux-points : écrivez « frais: gratuite »",
        # read past the three slips: the value itself is checked too
        f"{PATH}:8:8: error: frais: « gratuite » n'est pas une valeur autorisée : vouliez-vous dire « gratuit » ?",
    ]
    assert run.code == 1


def test_a_file_that_cannot_be_read_does_not_hide_the_other_files(examples):
    write_record(examples, "services", "atelier-test", MINIMAL_SERVICE + 'periodicite: "le lundi\n')
    write_record(
        examples,
        "services",
        "atelier-deux",
        MINIMAL_SERVICE.replace("atelier-test", "atelier-deux").replace("[difficultes-financieres]", "[budget]"),
    )
    run = run_cli("check", "--resources", "resources")
    assert [line.split(": error: ")[0] for line in run.diagnostics] == [
        "resources/services/atelier-deux.yml:5:10",
        f"{PATH}:8:1",
    ]


def test_a_line_set_aside_is_not_also_reported_missing(examples):
    write_record(
        examples, "services", "atelier-test", MINIMAL_SERVICE.replace("date_maj: 2026-10-01", "date_maj: [2026")
    )
    run = run_cli("check", "--resources", "resources")
    assert not any("date_maj: champ obligatoire manquant" in line for line in run.diagnostics), run.out


def test_a_hopeless_file_stops_after_a_bounded_number_of_repairs():
    text = "id: a\n" + "x:y\n" * (MAX_REPAIRS + 10)
    found = problems(text)
    assert len(found) == MAX_REPAIRS + 1
    assert found[0] == (2, 3, "x", "une espace est attendue après les deux-points : écrivez « x: y »")


def test_a_file_name_and_an_id_both_wrong_are_fixed_in_one_round(examples):
    write_record(examples, "services", "Atelier Test", MINIMAL_SERVICE.replace("id: atelier-test", "id: Atelier Test"))
    run = run_cli("check", "--resources", "resources")
    assert run.diagnostics == [
        "resources/services/Atelier Test.yml:1:5: error: id: le nom du fichier « Atelier Test.yml » doit être "
        "l'identifiant de la fiche (minuscules sans accent, chiffres et tirets) : renommez le fichier en "
        "« atelier-test.yml »",
        "resources/services/Atelier Test.yml:1:5: error: id: « Atelier Test » n'est pas un identifiant valide : "
        "lettres minuscules sans accent, chiffres et tirets ; écrivez « atelier-test »",
    ]
