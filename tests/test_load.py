"""Strict YAML loading: what is refused, with which located message, and what is accepted.

Each case writes one service file beside the contract's examples and runs `annuaire check` in-process.
"""

from __future__ import annotations

import pytest
from conftest import MINIMAL_SERVICE as VALID
from conftest import run_cli, write_record

from generator.records.load import MAX_DEPTH, LoadError, load_bytes

PATH = "resources/services/atelier-test.yml"


def check_service(resources, content: str | bytes):
    write_record(resources, "services", "atelier-test", content)
    return run_cli("check", "--resources", "resources")


def assert_only_error(run, expected: str) -> None:
    assert run.diagnostics == [expected], run.out
    assert run.code == 1
    assert run.lines[-1] == "4 fichiers vérifiés : 1 erreur, 0 avertissement."


# --- refused, with a located message ---------------------------------------------------------------

REFUSED = {
    "duplicate key": (
        VALID + "nom: Atelier budget bis\n",
        f"{PATH}:7:1: error: nom: champ en double (déjà présent ligne 3) : gardez-en un seul",
    ),
    "duplicate key in a nested mapping": (
        VALID + "thematiques:\n  - {a: 1, a: 2}\n",
        f"{PATH}:8:12: error: thematiques[0].a: champ en double (déjà présent ligne 8) : gardez-en un seul",
    ),
    "anchor": (
        VALID.replace("nom: Atelier budget", "nom: &nom Atelier budget"),
        f"{PATH}:3:6: error: ancre YAML « &nom » refusée : les ancres et alias ne sont pas acceptés",
    ),
    "alias": (
        VALID + "periodicite: *nom\n",
        f"{PATH}:7:14: error: alias YAML « *nom » refusé : recopiez la valeur à cet endroit",
    ),
    "anchor on a list": (
        VALID.replace("freins: [", "freins: &f ["),
        f"{PATH}:5:9: error: ancre YAML « &f » refusée : les ancres et alias ne sont pas acceptés",
    ),
    "merge key": (
        VALID + "<<: {periodicite: un lundi par mois}\n",
        f"{PATH}:7:1: error: la clé de fusion « << » n'est pas acceptée : écrivez les champs en entier",
    ),
    "explicit !!str tag": (
        VALID + "periodicite: !!str 2\n",
        f"{PATH}:7:14: error: étiquette YAML « !!str » refusée : écrivez la valeur seule (entre guillemets si c'est un texte)",
    ),
    "explicit !!float tag": (
        VALID + "latitude: !!float 44\nlongitude: 2.4\n",
        f"{PATH}:7:11: error: étiquette YAML « !!float » refusée : écrivez la valeur seule (entre guillemets si c'est un texte)",
    ),
    "custom tag": (
        VALID + "periodicite: !mensuel tous les mois\n",
        f"{PATH}:7:14: error: étiquette YAML « !mensuel » refusée : écrivez la valeur seule (entre guillemets si c'est un texte)",
    ),
    "non-specific tag": (
        VALID + "periodicite: ! 12\n",
        f"{PATH}:7:14: error: étiquette YAML « ! » refusée : écrivez la valeur seule (entre guillemets si c'est un texte)",
    ),
    "tag on a list": (
        VALID.replace("freins: [", "freins: !!seq ["),
        f"{PATH}:5:9: error: étiquette YAML « !!seq » refusée : écrivez la valeur seule (entre guillemets si c'est un texte)",
    ),
    "top level is a list": (
        "- id: atelier-test\n- nom: Atelier budget\n",
        f"{PATH}:1:1: error: le fichier doit être une suite de champs « nom: valeur », pas une liste ou une valeur seule",
    ),
    "top level is a scalar": (
        "# commentaire\natelier budget\n",
        f"{PATH}:2:1: error: le fichier doit être une suite de champs « nom: valeur », pas une liste ou une valeur seule",
    ),
    "empty file": (
        "",
        f"{PATH}:1:1: error: le fichier est vide : une fiche doit contenir au moins les champs obligatoires",
    ),
    "blank lines only": (
        "\n  \n\n",
        f"{PATH}:1:1: error: le fichier est vide : une fiche doit contenir au moins les champs obligatoires",
    ),
    "comments only": (
        "# une fiche à écrire\n",
        f"{PATH}:1:1: error: le fichier ne contient que des commentaires : une fiche doit contenir au moins les champs obligatoires",
    ),
    "Latin-1 bytes": (
        VALID.replace("à tenir", "à tenir").encode("utf-8").replace("à".encode(), b"\xe0"),
        f"{PATH}:4:50: error: octet 0xe0 invalide : le fichier doit être enregistré en UTF-8",
    ),
    "UTF-16 file": (
        VALID.encode("utf-16"),
        f"{PATH}:1:1: error: octet 0xff invalide : le fichier doit être enregistré en UTF-8",
    ),
    "control character": (
        VALID.replace("Atelier budget", "Atelier\x07budget"),
        f"{PATH}:3:13: error: caractère de contrôle U+0007 interdit : retirez-le (il vient souvent d'un copier-coller)",
    ),
    "NUL byte": (
        VALID + "periodicite: lundi\x00\n",
        f"{PATH}:7:19: error: caractère de contrôle U+0000 interdit : retirez-le (il vient souvent d'un copier-coller)",
    ),
    "colon in a plain value": (
        VALID + "periodicite: le lundi: 14 h\n",
        f'{PATH}:7:22: error: periodicite: une valeur contenant « : » doit être entre guillemets : écrivez « periodicite: "le lundi: 14 h" »',
    ),
    "unclosed quote": (
        VALID + 'periodicite: "le lundi\n',
        f"{PATH}:8:1: error: syntaxe YAML invalide : fin de fichier inattendue (guillemet ou crochet non refermé ?)",
    ),
    "unclosed bracket": (
        VALID.replace("freins: [difficultes-financieres]", "freins: [difficultes-financieres"),
        f"{PATH}:5:33: error: freins: crochet « [ » non refermé : ajoutez « ] » à la fin de la liste",
    ),
    "tab indentation": (
        VALID + "thematiques:\n\t- sante--acces-aux-soins\n",
        f"{PATH}:8:1: error: syntaxe YAML invalide : tabulation interdite : indentez avec des espaces",
    ),
    "inconsistent indentation": (
        VALID + "thematiques:\n    - sante--acces-aux-soins\n  - sante--prevenir-les-addictions\n",
        f"{PATH}:9:3: error: syntaxe YAML invalide : indentation incohérente : champ attendu à cet endroit",
    ),
    "missing colon": (
        VALID + "periodicite un lundi par mois\n",
        f"{PATH}:7:1: error: syntaxe YAML invalide : « : » attendu après le nom du champ",
    ),
    "second document": (
        VALID + "---\nid: autre\n",
        f"{PATH}:7:1: error: syntaxe YAML invalide : un seul document YAML par fichier (retirez le « --- » supplémentaire)",
    ),
    "unknown escape": (
        VALID + 'periodicite: "C:\\dossier"\n',
        f"{PATH}:7:17: error: syntaxe YAML invalide : séquence d'échappement inconnue entre guillemets doubles (utilisez des guillemets simples)",
    ),
    "mapping as a key": (
        VALID + "? {a: 1}\n: b\n",
        f"{PATH}:7:3: error: un nom de champ doit être un simple texte",
    ),
    "impossible date": (
        VALID.replace("date_maj: 2026-10-01", "date_maj: 2026-02-30"),
        f"{PATH}:6:11: error: date_maj: « 2026-02-30 » n'est pas une date valide (format attendu : 2026-09-30)",
    ),
    "number YAML cannot read": (
        VALID + "latitude: 0b_\nlongitude: 2.4\n",
        f"{PATH}:7:11: error: latitude: « 0b_ » n'est pas un nombre valide : mettez la valeur entre guillemets si c'est un texte",
    ),
    "number too long for Python": (
        VALID + "latitude: " + "4" * 5000 + "\nlongitude: 2.4\n",
        f"{PATH}:7:11: error: latitude: « {'4' * 79}… » n'est pas un nombre valide : mettez la valeur entre guillemets si c'est un texte",
    ),
    "deep nesting": (
        VALID + "thematiques: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n",
        f"{PATH}:7:{14 + MAX_DEPTH - 1}: error: plus de {MAX_DEPTH} niveaux d'imbrication : une fiche ne contient que des champs, "
        "des listes et, pour les bassins, des listes de champs",
    ),
}


@pytest.mark.parametrize("content, expected", REFUSED.values(), ids=REFUSED.keys())
def test_refused_with_a_located_message(examples, content, expected):
    assert_only_error(check_service(examples, content), expected)


def test_very_deep_flow_nesting_is_refused_without_crashing(examples):
    # libyaml's C composer recurses on nesting and overflows the stack (segmentation fault) near 100,000 levels;
    # 90,000 levels stay under the 200 kB a record file may weigh (files.MAX_FILE_BYTES).
    content = VALID + "thematiques: " + "[" * 90_000 + "]" * 90_000 + "\n"
    run = check_service(examples, content)
    assert run.code == 1
    assert f"plus de {MAX_DEPTH} niveaux d'imbrication" in run.diagnostics[0]


def test_very_deep_block_nesting_is_refused(examples):
    run = check_service(examples, VALID + "thematiques:\n" + "- " * 50_000 + "x\n")
    assert run.code == 1
    assert run.diagnostics[0].startswith(f"{PATH}:8:")
    assert f"plus de {MAX_DEPTH} niveaux d'imbrication" in run.diagnostics[0]


def test_a_recursive_alias_is_refused_before_composing(examples):
    run = check_service(examples, VALID + "thematiques: &t [*t]\n")
    assert_only_error(run, f"{PATH}:7:14: error: ancre YAML « &t » refusée : les ancres et alias ne sont pas acceptés")


def test_an_alias_to_an_unknown_anchor(examples):
    run = check_service(examples, VALID + "periodicite: *ailleurs\n")
    assert_only_error(run, f"{PATH}:7:14: error: alias YAML « *ailleurs » refusé : recopiez la valeur à cet endroit")


def test_a_yaml_extension_is_pointed_out(examples):
    (examples / "services" / "atelier-test.yaml").write_text(VALID, encoding="utf-8")
    run = run_cli("check", "--resources", "resources")
    assert run.diagnostics == [
        "resources/services/atelier-test.yaml:1:1: error: extension « .yaml » : renommez le fichier en "
        "« atelier-test.yml » pour qu'il soit pris en compte"
    ]
    assert run.code == 1


def test_an_upper_case_extension_is_pointed_out(examples):
    (examples / "services" / "atelier-test.YML").write_text(VALID, encoding="utf-8")
    run = run_cli("check", "--resources", "resources")
    assert run.diagnostics == [
        "resources/services/atelier-test.YML:1:1: error: extension « .YML » : renommez le fichier en "
        "« atelier-test.yml » pour qu'il soit pris en compte"
    ]


def test_other_files_hidden_files_and_folders_are_ignored(examples):
    (examples / "services" / "LISEZMOI.md").write_text("# notes\n", encoding="utf-8")
    (examples / "services" / ".brouillon.yml").write_text("pas: [valide\n", encoding="utf-8")
    (examples / "services" / "archives.yml").mkdir()
    run = run_cli("check", "--resources", "resources")
    assert run.code == 0, run.out
    assert run.lines[-1] == "3 fichiers vérifiés : aucune erreur."


def test_a_dangling_symlink_is_reported(examples):
    (examples / "services" / "atelier-test.yml").symlink_to(examples / "nulle-part.yml")
    run = run_cli("check", "--resources", "resources")
    assert run.diagnostics == [f"{PATH}:1:1: error: lien symbolique cassé : le fichier qu'il désigne n'existe pas"]
    assert run.code == 1


# --- accepted --------------------------------------------------------------------------------------


def test_a_valid_record_is_accepted(examples):
    run = check_service(examples, VALID)
    assert run.diagnostics == []
    assert run.code == 0
    assert run.lines[-1] == "4 fichiers vérifiés : aucune erreur."


def test_an_invalid_byte_is_located_in_characters_not_bytes(examples):
    content = VALID.encode("utf-8").replace(b"budget.", b"budg\xe8t.")  # « à » before it is two bytes, one column
    run = check_service(examples, content)
    assert_only_error(run, f"{PATH}:4:66: error: octet 0xe8 invalide : le fichier doit être enregistré en UTF-8")


def test_a_utf8_bom_is_accepted(examples):
    run = check_service(examples, b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    assert run.diagnostics == [] and run.code == 0


def test_after_a_bom_the_first_line_columns_are_right(examples):
    run = check_service(examples, b"\xef\xbb\xbf" + VALID.replace("id: atelier-test", "id: 12").encode("utf-8"))
    assert_only_error(
        run, f'{PATH}:1:5: error: id: « 12 » doit être un texte : mettez la valeur entre guillemets ("12")'
    )


def test_crlf_line_endings_are_accepted(examples):
    run = check_service(examples, VALID.replace("\n", "\r\n"))
    assert run.diagnostics == [] and run.code == 0


def test_with_crlf_line_endings_positions_are_right(examples):
    content = (VALID + 'zzz: x\ntelephone: "04 71"\n').replace("\n", "\r\n")
    run = check_service(examples, content)
    assert run.diagnostics == [
        f"{PATH}:7:1: error: zzz: champ inconnu (les champs possibles sont décrits dans CONTRIBUTING.md)",
        f"{PATH}:8:12: error: telephone: « 04 71 » n'est pas un numéro de téléphone valide (exemple : « 04 71 45 46 47 »)",
    ]


def test_with_crlf_line_endings_block_text_keeps_no_carriage_return(examples):
    doc = load_bytes(b"description: |\r\n  ligne un\r\n  ligne deux\r\n", "f.yml")
    assert doc.data["description"] == "ligne un\nligne deux\n"


def test_markdown_emphasis_and_ampersands_are_not_yaml_properties(examples):
    content = VALID.replace(
        "description: Un atelier collectif pour apprendre à tenir son budget.\n",
        "description: |\n  Un atelier *collectif* & **gratuit** !\n  * premier point\n  - & second point\n",
    )
    run = check_service(examples, content)
    assert run.diagnostics == [] and run.code == 0


def test_quoted_characters_that_look_like_properties_are_text():
    doc = load_bytes(b'a: "&ancre"\nb: \'*etoile\'\nc: "!important"\nd: x & y\ne: a*b\n', "f.yml")
    assert doc.data == {"a": "&ancre", "b": "*etoile", "c": "!important", "d": "x & y", "e": "a*b"}


def test_nesting_up_to_the_limit_is_only_a_model_matter():
    text = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    doc = load_bytes(text.encode(), "f.yml")
    depth, value = 0, doc.data["a"]
    while isinstance(value, list):
        depth, value = depth + 1, (value[0] if value else None)
    assert depth == MAX_DEPTH - 1


# --- the loader's API ------------------------------------------------------------------------------


def test_values_keep_their_yaml_types_and_their_text():
    doc = load_bytes(b"a: 15000\nb: '15000'\nc: no\nd: 2026-01-02\ne: 1:30\nf: ~\ng: 4.5\n", "f.yml")
    assert doc.data["a"] == 15000 and doc.data["b"] == "15000" and doc.data["c"] is False
    assert str(doc.data["d"]) == "2026-01-02" and doc.data["e"] == 90 and doc.data["f"] is None and doc.data["g"] == 4.5
    assert [doc.source_text((key,)) for key in "acde"] == ["15000", "no", "2026-01-02", "1:30"]


def test_positions_of_nested_values_and_keys():
    doc = load_bytes(b"id: x\nbassins:\n  - id: a\n    communes: ['1', '2']\n", "f.yml")
    assert doc.position(("bassins", 0, "communes", 1)) == (4, 21)
    assert doc.position(("bassins", 0, "communes"), at_key=True) == (4, 5)
    assert doc.position(("absent",)) == (1, 1)  # the deepest existing node: the mapping itself


def test_load_error_carries_line_column_and_field():
    with pytest.raises(LoadError) as caught:
        load_bytes(b"bassins:\n  - id: a\n    id: b\n", "f.yml")
    assert (caught.value.line, caught.value.col, caught.value.field) == (3, 5, "bassins[0].id")
    assert caught.value.message == "champ en double (déjà présent ligne 2) : gardez-en un seul"


def test_items_of_a_plain_list_are_named_by_the_list():
    with pytest.raises(LoadError) as caught:
        load_bytes(b"partenaires: [a, 0x_]\n", "f.yml")
    assert (caught.value.line, caught.value.col, caught.value.field) == (1, 18, "partenaires")
