"""Partners' tools: `annuaire new`, `schema`, `codeowners`, `diff`, `stale` and `check --format github|gitlab`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from conftest import EXAMPLE_RECORDS, REPO, SAMPLE_RECORDS, run_cli
from data_inclusion.schema import v1 as di

from generator.contrib.ci_report import github_commands, gitlab_code_quality
from generator.contrib.schema import schema_files
from generator.records.diagnostics import Report
from generator.records.load import load_bytes, load_file
from generator.records.models import RECORD_KINDS, Bassin, Service, Structure
from generator.referentiels import freins

UDAF = "structures/udaf-cantal.yml"
PCB = "services/point-conseil-budget-aurillac.yml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"« {old} » absent de {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- annuaire new ------------------------------------------------------------------------------------


def fill_required(path: Path, kind: str) -> None:
    """What a partner types into the skeleton's required lines."""
    values = {
        "structure": {
            "nom": '"CCAS de Riom-ès-Montagnes"',
            "territoire": "cantal",
            "description": '"Aides facultatives et accompagnement des démarches."',
        },
        "service": {
            "structure": "udaf-cantal",
            "nom": '"Atelier budget"',
            "freins": "[difficultes-financieres]",
            "description": '"Un atelier collectif pour faire le point sur son budget."',
        },
    }[kind]
    for name, value in values.items():
        empty = "[]" if value.startswith("[") else '""'
        edit(path, f"\n{name}: {empty}\n", f"\n{name}: {value}\n")


@pytest.mark.parametrize("kind, model", [("structure", Structure), ("service", Service)])
def test_new_writes_a_skeleton_that_lists_every_field_with_its_help(examples, kind, model):
    result = run_cli("new", kind, "nouvelle-fiche")
    path = examples / model.folder / "nouvelle-fiche.yml"
    assert result.code == 0, result.out + result.err
    assert str(path.relative_to(examples.parent)) in result.out
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json"
    assert (
        examples / model.folder / lines[0].split("=", 1)[1]
    ).resolve() == examples.parent / "schemas" / f"{kind}.schema.json"
    for name, info in model.model_fields.items():
        assert re.search(rf"^(# )?{name}:", text, re.MULTILINE), f"champ {name} absent du squelette"
        assert info.title and info.title in text
        if info.description:
            assert " ".join(info.description.split()[:3]) in " ".join(text.replace("# ", "").split())
    assert "id: nouvelle-fiche" in lines
    assert f"date_maj: {date.today().isoformat()}" in lines


def test_service_skeleton_lists_the_allowed_values_with_their_french_labels(examples):
    assert run_cli("new", "service", "atelier").code == 0
    text = (examples / "services" / "atelier.yml").read_text(encoding="utf-8")
    for frein in freins():
        assert f"#   {frein.id} : {frein.label}" in text
    for enum in (
        di.Thematique,
        di.Public,
        di.TypeService,
        di.Frais,
        di.ModeAccueil,
        di.ModeMobilisation,
        di.PersonneMobilisatrice,
    ):
        for member in enum:
            assert f"#   {member.value} : {member.label}" in text
    assert "Structures existantes : udaf-cantal." in text
    assert "cantal : aurillac, mauriac, saint-flour" in text


@pytest.mark.parametrize("kind, model", [("structure", Structure), ("service", Service)])
def test_unfilled_skeleton_fails_check_on_each_required_line(examples, kind, model):
    run_cli("new", kind, "a-remplir")
    path = examples / model.folder / "a-remplir.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    result = run_cli("check")
    assert result.code == 1
    flagged = {
        int(d.split(":")[1]) for d in result.diagnostics if d.startswith(f"resources/{model.folder}/a-remplir.yml:")
    }
    expected = {i + 1 for i, line in enumerate(lines) if re.match(r'^\w+: (""|\[\])$', line)}
    assert expected and flagged == expected


@pytest.mark.parametrize("kind, model", [("structure", Structure), ("service", Service)])
def test_filled_skeleton_passes_check_with_every_example_value_uncommented(examples, kind, model):
    run_cli("new", kind, "fiche-remplie")
    path = examples / model.folder / "fiche-remplie.yml"
    fill_required(path, kind)
    assert run_cli("check").code == 0
    # The optional lines that carry an example value must be valid too once uncommented.
    text = path.read_text(encoding="utf-8")
    uncommented = re.sub(r"^# (\w+: (?!\"\"$|\[\]$)\S.*)$", r"\1", text, flags=re.MULTILINE)
    assert uncommented.count("\ntelephone:") == 1 and uncommented.count("\nhoraires_accueil:") == 1
    path.write_text(uncommented, encoding="utf-8")
    result = run_cli("check")
    assert result.code == 0, result.out
    assert not [d for d in result.diagnostics if "fiche-remplie" in d and ": error:" in d]


def test_new_refuses_an_existing_record_and_leaves_it_untouched(examples):
    before = (examples / UDAF).read_bytes()
    result = run_cli("new", "structure", "udaf-cantal")
    assert result.code == 1
    assert result.out.startswith("resources/structures/udaf-cantal.yml:1:1: error: cette fiche existe déjà")
    assert (examples / UDAF).read_bytes() == before


@pytest.mark.parametrize(
    "bad_id", ["Atelier-Budget", "atelier_budget", "atelier--budget", "atelier-", "café", "x" * 121]
)
def test_new_refuses_an_id_that_is_not_kebab_case(examples, bad_id):
    result = run_cli("new", "service", bad_id)
    assert result.code == 2
    assert "n'est pas un identifiant valide" in result.err and "Traceback" not in result.err
    assert sorted(p.name for p in (examples / "services").iterdir()) == ["point-conseil-budget-aurillac.yml"]


def test_new_usage_errors_are_french(examples, tmp_path):
    unknown_kind = run_cli("new", "territoire", "x")
    assert unknown_kind.code == 2 and "choix « 'territoire' » invalide" in unknown_kind.err
    missing = run_cli("new", "service", "x", "--resources", tmp_path / "absent")
    assert missing.code == 2 and "n'existe pas" in missing.err


def test_new_creates_the_kind_folder_when_missing(examples):
    shutil.rmtree(examples / "services")
    assert run_cli("new", "service", "premier-service").code == 0
    assert (examples / "services" / "premier-service.yml").is_file()


# --- annuaire schema ---------------------------------------------------------------------------------


def yaml_as_editor_sees_it(value):
    """Records as a YAML 1.2 editor reads them: an unquoted date stays a string."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: yaml_as_editor_sees_it(v) for k, v in value.items()}
    if isinstance(value, list):
        return [yaml_as_editor_sees_it(v) for v in value]
    return value


def validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_committed_schemas_are_up_to_date():
    for name, text in schema_files().items():
        assert (REPO / "schemas" / name).read_text(encoding="utf-8") == text, f"lancez « make schemas » ({name})"
    assert sorted(p.name for p in (REPO / "schemas").iterdir()) == sorted(schema_files())
    assert run_cli("schema", "--out", REPO / "schemas", "--check").code == 0


def test_schema_command_writes_and_checks(tmp_path):
    out = tmp_path / "schemas"
    result = run_cli("schema", "--out", out)
    assert result.code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "service.schema.json",
        "structure.schema.json",
        "territoire.schema.json",
    ]
    assert run_cli("schema", "--out", out, "--check").code == 0
    (out / "service.schema.json").write_text("{}", encoding="utf-8")
    stale = run_cli("schema", "--out", out, "--check")
    assert stale.code == 1
    assert stale.lines == [
        f"{out}/service.schema.json:1:1: error: schéma absent ou pas à jour : lancez « annuaire schema --out {out} »"
    ]


@pytest.mark.parametrize("model", RECORD_KINDS, ids=lambda m: m.kind)
def test_schemas_are_valid_and_speak_french(model):
    schema = json.loads(schema_files()[f"{model.kind}.schema.json"])
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == f"Fiche {model.kind}"
    assert schema["additionalProperties"] is False
    for name, prop in schema["properties"].items():
        assert prop["title"] == model.model_fields[name].title
        assert prop.get("description"), f"{name} sans description"
    for definition in schema.get("$defs", {}).values():
        if "enum" in definition:
            assert len(definition["enumDescriptions"]) == len(definition["enum"])


def test_schema_enumerations_come_from_the_models():
    service = json.loads(schema_files()["service.schema.json"])
    defs = service["$defs"]
    assert defs["FreinId"]["enum"] == [f.id for f in freins()]
    assert defs["FreinId"]["enumDescriptions"] == [f.label for f in freins()]
    assert defs["Thematique"]["enum"] == [t.value for t in di.Thematique]
    assert service["required"] == ["id", "structure", "nom", "description", "freins", "date_maj"]
    assert service["properties"]["telephone"]["examples"] == ["04 71 45 46 47"]


def test_every_model_field_has_a_french_label():
    untitled = [
        f"{m.__name__}.{n}" for m in (*RECORD_KINDS, Bassin) for n, info in m.model_fields.items() if not info.title
    ]
    assert untitled == []
    schema = json.loads(schema_files()["service.schema.json"])
    assert schema["properties"]["horaires_accueil"]["title"] == "Horaires d'accueil"
    assert schema["properties"]["mobilisable_par"]["title"] == "Mobilisable par"
    territoire = json.loads(schema_files()["territoire.schema.json"])
    assert territoire["$defs"]["Bassin"]["properties"]["communes"]["title"] == "Communes"


def record_files() -> list[Path]:
    return sorted(SAMPLE_RECORDS.glob("*/*.yml"))


@pytest.mark.parametrize("path", record_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_record_validates_against_its_schema(path):
    kind = {"territoires": "territoire", "structures": "structure", "services": "service"}[path.parent.name]
    errors = [e.message for e in validator(kind).iter_errors(yaml_as_editor_sees_it(load_file(path).data))]
    assert errors == []


def test_record_files_exist():
    assert len(record_files()) > 20


@pytest.mark.parametrize(
    "change, complaint",
    [
        (("telephone:", "telephonne:"), "Additional properties are not allowed ('telephonne' was unexpected)"),
        (('code_postal: "15000"', "code_postal: 15000"), "15000 is not valid under any of the given schemas"),
        (("commune: Aurillac", "comune: Aurillac"), "'comune' was unexpected"),
        (("date_maj: 2026-10-15", "date_maj: 15/10/2026"), "is not a 'date'"),
    ],
)
def test_a_misspelt_field_or_wrong_value_does_not_validate(change, complaint):
    path = EXAMPLE_RECORDS / UDAF
    if not path.is_file():
        pytest.skip("exemples du contrat absents")
    text = path.read_text(encoding="utf-8")
    assert not list(validator("structure").iter_errors(yaml_as_editor_sees_it(load_file(path).data)))
    data = yaml_as_editor_sees_it(load_bytes(text.replace(*change).encode(), "x.yml").data)
    messages = [e.message for e in validator("structure").iter_errors(data)]
    assert any(complaint in m for m in messages), messages


def test_a_wrong_frein_does_not_validate():
    data = yaml_as_editor_sees_it(load_file(SAMPLE_RECORDS / "services" / "cafe-sante-venissieux.yml").data)
    data["freins"] = ["sante", "logemnt"]
    assert [e.message for e in validator("service").iter_errors(data)] == [
        f"'logemnt' is not one of {[f.id for f in freins()]}"
    ]


# --- annuaire codeowners ------------------------------------------------------------------------------


def test_codeowners_gives_each_structure_and_its_services_to_its_maintainers(examples):
    edit(examples / UDAF, "date_maj:", "mainteneurs: [marie-udaf15, jb.martin]\ndate_maj:")
    assert run_cli("codeowners", "--out", "CODEOWNERS").code == 0
    text = (examples.parent / "CODEOWNERS").read_text(encoding="utf-8")
    assert "/resources/structures/udaf-cantal.yml @marie-udaf15 @jb.martin\n" in text
    assert "/resources/services/point-conseil-budget-aurillac.yml @marie-udaf15 @jb.martin\n" in text
    assert "# Union départementale des associations familiales du Cantal (udaf-cantal)" in text
    assert "\n* " not in text and "Aucun responsable par défaut" in text


def test_codeowners_default_owner_line_comes_first(examples):
    edit(examples / UDAF, "date_maj:", "mainteneurs: [marie-udaf15]\ndate_maj:")
    assert run_cli("codeowners", "--default-owner", "equipe-annuaire", "--default-owner", "@admin").code == 0
    lines = [
        line
        for line in (examples.parent / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert lines[0] == "* @equipe-annuaire @admin"  # GitHub and GitLab: the last matching line wins
    assert lines[1:] == [
        "/resources/structures/udaf-cantal.yml @marie-udaf15",
        "/resources/services/point-conseil-budget-aurillac.yml @marie-udaf15",
    ]


def test_structures_without_maintainers_get_no_line(examples):
    assert run_cli("codeowners").code == 0
    assert "/resources/" not in (examples.parent / "CODEOWNERS").read_text(encoding="utf-8")


def test_codeowners_check_tells_when_the_file_is_out_of_date(examples):
    missing = run_cli("codeowners", "--check")
    assert missing.code == 1 and missing.lines[0].startswith("CODEOWNERS:1:1: error: fichier pas à jour")
    assert run_cli("codeowners").code == 0
    assert run_cli("codeowners", "--check").code == 0
    written = (examples.parent / "CODEOWNERS").read_bytes()
    edit(examples / UDAF, "date_maj:", "mainteneurs: [nouvelle-personne]\ndate_maj:")
    stale = run_cli("codeowners", "--check")
    assert stale.code == 1
    assert "+/resources/structures/udaf-cantal.yml @nouvelle-personne" in stale.lines
    assert (examples.parent / "CODEOWNERS").read_bytes() == written  # --check never writes


def test_codeowners_refuses_records_with_errors(examples):
    edit(examples / PCB, 'telephone: "04 65 71 00 13"', 'telephone: "04 65"')
    result = run_cli("codeowners")
    assert result.code == 1
    assert result.lines[0].startswith("resources/services/point-conseil-budget-aurillac.yml:")
    assert "CODEOWNERS non généré" in result.lines[-1]
    assert not (examples.parent / "CODEOWNERS").exists()


# --- annuaire diff ------------------------------------------------------------------------------------


@pytest.fixture
def before_after(tmp_path) -> tuple[Path, Path]:
    before, after = tmp_path / "avant", tmp_path / "apres"
    shutil.copytree(EXAMPLE_RECORDS, before)
    shutil.copytree(before, after)
    return before, after


def test_diff_names_each_changed_field_of_each_fiche(before_after):
    before, after = before_after
    edit(after / UDAF, '"04 65 71 00 12"', '"04 65 71 00 99"')
    edit(after / PCB, "freins: [difficultes-financieres]", "freins: [difficultes-financieres, logement]")
    edit(after / PCB, "prévenir\n", "éviter\n")
    result = run_cli("diff", "--base-dir", before, "--resources", after)
    assert result.code == 0
    out = result.out
    assert out.startswith("## Modifications des fiches\n\n2 fiches modifiées.\n")
    udaf = out.index("- **Union départementale des associations familiales du Cantal** (structure `udaf-cantal`)")
    assert out.index("  - téléphone : 04 65 71 00 12 → 04 65 71 00 99") > udaf
    assert "  - freins : ajout de logement" in result.lines
    assert "  - description : modification détaillée ci-dessous" in result.lines
    assert "  -Conseils gratuits et confidentiels pour faire le point sur son budget, prévenir" in result.lines
    assert "  +Conseils gratuits et confidentiels pour faire le point sur son budget, éviter" in result.lines


def test_diff_lists_added_and_removed_records(before_after):
    before, after = before_after
    (after / PCB).unlink()
    shutil.copy(SAMPLE_RECORDS / "services" / "cafe-sante-venissieux.yml", after / "services")
    out = run_cli("diff", "--base-dir", before, "--resources", after).out
    assert "1 fiche ajoutée, 1 fiche supprimée." in out
    assert "### Fiches ajoutées\n\n- **Café santé de Vénissieux** (service `cafe-sante-venissieux`)" in out
    assert "### Fiches supprimées\n\n- **Point conseil budget** (service `point-conseil-budget-aurillac`)" in out


def test_diff_outlines_added_and_removed_records_and_says_hours_in_french():
    journey = REPO / "tests" / "data" / "parcours-ccas"
    out = run_cli("diff", "--base-dir", journey / "avant", "--resources", journey / "corrige").out
    assert (
        "### Fiches ajoutées\n\n"
        "- **Épicerie sociale** (service `epicerie-sociale-saint-flour`)\n"
        "  - structure : CCAS de Saint-Flour (`ccas-saint-flour`)\n"
        "  - freins : Alimentation, équipement, aide d'urgence\n"
        "  - commune : Saint-Flour\n"
        "  - courriel : epicerie@ccas-saint-flour.example.org\n"
        "  - horaires d'accueil : Le mardi et le jeudi : 14 h – 17 h\n"
    ) in out
    assert (
        "### Fiches supprimées\n\n"
        "- **Aide alimentaire d'urgence** (service `aide-alimentaire-urgence-saint-flour`)\n"
        "  - structure : CCAS de Saint-Flour (`ccas-saint-flour`)\n"
        "  - freins : Alimentation, équipement, aide d'urgence\n"
        "  - contact : celui de la structure\n"
    ) in out
    assert (
        "  - horaires d'accueil : Du lundi au vendredi : 9 h – 12 h → Du lundi au vendredi : 8 h 30 – 12 h"
        in out.splitlines()
    )
    assert "  - publics : ajout de tous-publics" in out.splitlines()


def test_diff_without_change_says_so(before_after):
    before, after = before_after
    assert (
        run_cli("diff", "--base-dir", before, "--resources", after).out
        == "## Modifications des fiches\n\nAucune fiche n'est modifiée.\n"
    )


def test_diff_escapes_markdown_typed_by_a_partner(before_after):
    before, after = before_after
    edit(after / UDAF, "sigle: UDAF", 'sigle: "<img src=x onerror=alert(1)> [clic](https://x.example)"')
    out = run_cli("diff", "--base-dir", before, "--resources", after).out
    assert "sigle : UDAF → \\<img src=x onerror=alert(1)\\> \\[clic\\](https://x.example)" in out
    assert "<img" not in out.replace("\\<img", "")


def test_diff_reports_an_unreadable_file_and_a_removed_value(before_after):
    before, after = before_after
    edit(after / PCB, "nom: Point conseil budget", "nom: [Point conseil budget")
    edit(after / UDAF, "site_web: https://udaf-cantal.example.org\n", "")
    out = run_cli("diff", "--base-dir", before, "--resources", after).out
    assert "  - fichier illisible : voir les erreurs de la vérification" in out
    assert "  - site web : https://udaf-cantal.example.org → (vide)" in out


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def test_diff_against_a_git_revision(tmp_path):
    repo = tmp_path / "depot"
    shutil.copytree(EXAMPLE_RECORDS, repo / "resources")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "fiches")
    edit(repo / "resources" / UDAF, '"04 65 71 00 12"', '"04 65 71 00 99"')
    result = run_cli("diff", "--base", "main", "--resources", repo / "resources")
    assert result.code == 0
    assert "  - téléphone : 04 65 71 00 12 → 04 65 71 00 99" in result.lines
    assert "1 fiche modifiée." in result.lines


def test_diff_against_a_revision_without_records_lists_them_all_as_added(tmp_path):
    repo = tmp_path / "depot"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README").write_text("x")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "début")
    shutil.copytree(EXAMPLE_RECORDS, repo / "resources")
    assert "3 fiches ajoutées." in run_cli("diff", "--base", "HEAD", "--resources", repo / "resources").lines


def test_diff_usage_errors_are_french(tmp_path, before_after):
    before, _ = before_after
    not_git = run_cli("diff", "--base", "main", "--resources", before)
    assert not_git.code == 2 and "n'est pas dans un dépôt git" in not_git.err
    bad_rev = run_cli("diff", "--base", "pas-une-revision", "--resources", REPO / "resources")
    assert bad_rev.code == 2 and "révision « pas-une-revision » introuvable" in bad_rev.err
    neither = run_cli("diff")
    assert neither.code == 2 and "une de ces options est obligatoire : --base --base-dir" in neither.err


# --- annuaire stale -----------------------------------------------------------------------------------


def test_stale_lists_old_records_per_structure_with_its_maintainers(examples, today):
    edit(examples / UDAF, "date_maj: 2026-10-15", "mainteneurs: [marie-udaf15]\ndate_maj: 2025-09-30")
    edit(examples / PCB, "date_maj: 2026-09-30", "date_maj: 2024-11-02")
    result = run_cli("stale")
    assert result.code == 0
    assert result.lines[:3] == [
        "## Fiches à revérifier",
        "",
        "Au 1er novembre 2026, 2 fiches n'ont pas été vérifiées depuis 12 mois ou plus.",
    ]
    assert "### Union départementale des associations familiales du Cantal" in result.lines
    assert "Mainteneurs : @marie-udaf15" in result.lines
    assert (
        "| structure : Union départementale des associations familiales du Cantal "
        "| `resources/structures/udaf-cantal.yml` | 2025-09-30 | 13 mois |"
    ) in result.lines
    assert (
        "| service : Point conseil budget | `resources/services/point-conseil-budget-aurillac.yml` | 2024-11-02 | 23 mois |"
        in result.lines
    )


def test_stale_threshold_and_nothing_to_report(examples, today):
    assert (
        run_cli("stale").lines[-1]
        == "Au 1er novembre 2026, toutes les fiches ont été vérifiées il y a moins de 12 mois."
    )
    short = run_cli("stale", "--mois", "1")  # the service was checked on 2026-09-30, its structure on 2026-10-15
    assert "Au 1er novembre 2026, 1 fiche n'a pas été vérifiée depuis 1 mois ou plus." in short.lines
    assert (
        "| service : Point conseil budget | `resources/services/point-conseil-budget-aurillac.yml` | 2026-09-30 | 1 mois |"
        in short.lines
    )
    assert "Aucun mainteneur déclaré dans la fiche de la structure (champ `mainteneurs`)." in short.lines
    zero = run_cli("stale", "--mois", "0")
    assert zero.code == 2 and "au moins 1" in zero.err


# --- annuaire check --format github|gitlab ---------------------------------------------------------------


def test_check_format_github_adds_workflow_commands_on_the_faulty_lines(examples, today):
    edit(examples / PCB, 'telephone: "04 65 71 00 13"', 'telephone: "04 65"')
    edit(examples / UDAF, "date_maj: 2026-10-15", "date_maj: 2025-01-10")
    result = run_cli("check", "--format", "github")
    assert result.code == 1
    assert (
        "resources/services/point-conseil-budget-aurillac.yml:19:12: error: telephone: « 04 65 » n'est pas un "
        "numéro de téléphone valide (exemple : « 04 71 45 46 47 »)" in result.lines
    )
    assert (
        "::error file=resources/services/point-conseil-budget-aurillac.yml,line=19,col=12,title=telephone::"
        "« 04 65 » n'est pas un numéro de téléphone valide (exemple : « 04 71 45 46 47 »)" in result.lines
    )
    assert (
        "::warning file=resources/structures/udaf-cantal.yml,line=17,col=11,title=date_maj::"
        "fiche non vérifiée depuis 21 mois" in result.lines
    )


def test_check_text_format_prints_no_workflow_command(examples):
    edit(examples / PCB, 'telephone: "04 65 71 00 13"', 'telephone: "04 65"')
    assert not [line for line in run_cli("check").lines if line.startswith("::")]


def test_github_commands_escape_their_properties_and_data():
    report = Report()
    report.error("a,b:c.yml", 3, 4, "nom", "100 % faux\nsur deux lignes")
    assert github_commands(report) == [
        "::error file=a%2Cb%3Ac.yml,line=3,col=4,title=nom::100 %25 faux%0Asur deux lignes"
    ]


def test_check_format_gitlab_writes_a_code_quality_report(examples, today):
    edit(examples / PCB, 'telephone: "04 65 71 00 13"', 'telephone: "04 65"')
    edit(examples / UDAF, "date_maj: 2026-10-15", "date_maj: 2025-01-10")
    result = run_cli("check", "--format", "gitlab", "--report", "qualite.json")
    assert result.code == 1 and result.diagnostics  # the text lines are still printed
    issues = json.loads((examples.parent / "qualite.json").read_text(encoding="utf-8"))
    by_path = {issue["location"]["path"]: issue for issue in issues}
    error = by_path["resources/services/point-conseil-budget-aurillac.yml"]
    assert error["severity"] == "major" and error["location"]["lines"]["begin"] == 19
    assert error["description"].startswith("telephone: « 04 65 » n'est pas un numéro de téléphone valide")
    assert by_path["resources/structures/udaf-cantal.yml"]["severity"] == "minor"
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= issue.keys()
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])


def test_code_quality_fingerprints_survive_moved_lines_and_tell_twins_apart():
    def report(line: int, twins: int = 1) -> list[dict]:
        r = Report()
        for offset in range(twins):
            r.error("resources/services/x.yml", line + offset, 1, "freins", "valeur inconnue")
        return json.loads(gitlab_code_quality(r))

    assert report(5)[0]["fingerprint"] == report(9)[0]["fingerprint"]
    twins = report(5, twins=2)
    assert twins[0]["fingerprint"] != twins[1]["fingerprint"]


def test_check_format_gitlab_with_no_problem_writes_an_empty_list(examples):
    assert run_cli("check", "--format", "gitlab").code == 0
    assert json.loads((examples.parent / "gl-code-quality-report.json").read_text(encoding="utf-8")) == []


def test_check_format_gitlab_unwritable_report_is_a_usage_error(examples, tmp_path):
    result = run_cli("check", "--format", "gitlab", "--report", tmp_path / "absent" / "r.json")
    assert result.code == 2 and "impossible d'écrire le rapport" in result.err
