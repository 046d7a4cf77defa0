"""The `extra.annuaire` settings of mkdocs.yml: checked, and any problem named at its line (exit code 2)."""

from __future__ import annotations

import pytest
from conftest import resources_from_examples, run_cli

from generator import build
from generator.build import read_config, settings_from
from generator.site.page import SettingsError

CONFIG_TEXT = """\
site_name: Essai
theme:
  name: material
extra:
  generator: false
  annuaire:
    {setting}
"""


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    """Write a mkdocs.yml in the current folder, with `setting` as the line under `extra.annuaire`."""
    monkeypatch.chdir(tmp_path)

    def write(setting: str):
        path = tmp_path / "mkdocs.yml"
        path.write_text(CONFIG_TEXT.format(setting=setting), encoding="utf-8")
        return path

    return write


@pytest.mark.parametrize(
    "setting, expected",
    [
        (
            "lien_corection: https://forge.exemple/edit/main/resources/{fichier}",
            "mkdocs.yml:7:5: error: extra.annuaire.lien_corection: "
            "réglage inconnu : vouliez-vous dire « lien_correction » ?",
        ),
        (
            "lien_correction: https://forge.exemple/edit/main/resources/",
            "mkdocs.yml:7:22: error: extra.annuaire.lien_correction: « https://forge.exemple/edit/main/resources/ » "
            "ne contient pas {fichier}, le chemin de la fiche à corriger",
        ),
        (
            "lien_correction: https://forge.exemple/{branche}/{fichier}",
            "mkdocs.yml:7:22: error: extra.annuaire.lien_correction: « https://forge.exemple/{branche}/{fichier} » : "
            "seule la variable {fichier} est permise entre accolades",
        ),
        (
            "lien_correction: forge.exemple/{fichier}",
            "mkdocs.yml:7:22: error: extra.annuaire.lien_correction: "
            "« forge.exemple/{fichier} » n'est pas une adresse web : elle doit commencer par https://",
        ),
        (
            "lien_correction: 42",
            "mkdocs.yml:7:22: error: extra.annuaire.lien_correction: texte attendu",
        ),
    ],
    ids=["faute-de-frappe", "sans-fichier", "autre-variable", "pas-une-adresse", "liste"],
)
def test_a_wrong_setting_is_named_at_its_line(config_file, setting, expected):
    path = config_file(setting)
    with pytest.raises(SettingsError) as raised:
        settings_from(read_config(path), path)
    assert str(raised.value) == expected


def test_settings_that_are_not_a_mapping_are_refused(config_file):
    path = config_file("")
    path.write_text(path.read_text(encoding="utf-8").replace("  annuaire:\n", "  annuaire: oui\n"), encoding="utf-8")
    with pytest.raises(SettingsError) as raised:
        settings_from(read_config(path), path)
    assert str(raised.value) == (
        "mkdocs.yml:6:13: error: extra.annuaire: réglages attendus, un par ligne (« nom: valeur »)"
    )


def test_a_config_that_is_not_yaml_is_named_at_its_line(config_file):
    path = config_file("lien_correction: [https://forge.exemple/{fichier}]")
    with pytest.raises(SettingsError) as raised:
        read_config(path)
    assert (
        str(raised.value)
        == "mkdocs.yml:7:45: error: YAML illisible à cet endroit (indentation, guillemets ou crochets)"
    )


def test_a_correct_setting_makes_the_correction_link(config_file):
    path = config_file("lien_correction: https://forge.exemple/edit/main/resources/{fichier}")
    settings = settings_from(read_config(path), path)
    assert settings.site_name == "Essai"
    assert settings.correction_link("services/cafe-sante.yml") == (
        "https://forge.exemple/edit/main/resources/services/cafe-sante.yml"
    )


def test_without_settings_there_is_no_correction_link(config_file):
    path = config_file("")
    assert settings_from(read_config(path), path).correction_link("services/cafe-sante.yml") is None


def test_the_project_settings_are_valid():
    """The demonstration's settings, or a territory's after `annuaire init` (this suite runs in its clone too)."""
    settings = settings_from(read_config(build.CONFIG), build.CONFIG)
    example = "https://github.com/exemple/base-ressources-sociales/edit/main/resources/{fichier}"
    # The example forge is no territory's: no correction link until `annuaire init … --forge … --depot …`.
    link = settings.correction_link("structures/udaf-cantal.yml")
    if settings.annuaire.lien_correction == example:
        assert link is None
    else:
        assert link is not None and link.endswith("/resources/structures/udaf-cantal.yml")


def test_a_territorys_forge_gives_the_correction_link(config_file):
    path = config_file(
        "extra:\n  annuaire:\n    lien_correction: https://gitlab.cd48.fr/base/-/edit/main/resources/{fichier}\n"
    )
    settings = settings_from(read_config(path), path)
    assert settings.correction_link("services/cafe-sante.yml") == (
        "https://gitlab.cd48.fr/base/-/edit/main/resources/services/cafe-sante.yml"
    )


def test_build_stops_with_exit_code_2_and_writes_nothing(config_file, tmp_path, monkeypatch):
    resources = resources_from_examples(tmp_path / "resources")
    monkeypatch.setattr(build, "CONFIG", config_file("lien_corection: https://forge.exemple/{fichier}"))
    result = run_cli("build", "--resources", resources, "--out", tmp_path / "site")
    assert result.code == 2
    assert result.err == (
        "mkdocs.yml:7:5: error: extra.annuaire.lien_corection: réglage inconnu : vouliez-vous dire « lien_correction » ?\n"
    )
    assert "Traceback" not in result.out + result.err
    assert not (tmp_path / "site").exists()
