"""The journey of issue 17: a CCAS staff member corrects a phone and opening hours, adds a service and
removes another, making every mistake the issue lists. One `check` run must list them all, each with
its fix, so that the change goes through in one round: one failing check, the fixes, a green check.

The fixtures are in tests/data/parcours-ccas/: `avant` (published), `apres` (the partner's change, with
the mistakes), `corrige` (the same change, each message's advice applied).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import REPO, run_cli

JOURNEY = REPO / "tests" / "data" / "parcours-ccas"
SERVICES, STRUCTURES = "resources/services", "resources/structures"
EPICERIE = f"{SERVICES}/épicerie-sociale-saint-flour.yml"
DOMICILIATION = f"{SERVICES}/domiciliation-ccas-saint-flour.yml"
CCAS = f"{STRUCTURES}/ccas-saint-flour.yml"
HOURS_FORM = "jours en anglais abrégé (Mo Tu We Th Fr Sa Su), heures en 14:00"

# Every mistake of the issue, in the order of the files and of their lines, in one run.
EXPECTED = [
    f"{DOMICILIATION}:6:11: error: publics: « tous-public » n'est pas une valeur autorisée : "
    "vouliez-vous dire « tous-publics » ?",
    f"{DOMICILIATION}:7:19: error: horaires_accueil: « “Mo-Fr 08:30-12:00” » n'est pas écrit au format des "
    f"horaires : écrivez « Mo-Fr 08:30-12:00 » : {HOURS_FORM}",
    f"{EPICERIE}:1:5: error: id: le nom du fichier « épicerie-sociale-saint-flour.yml » doit être l'identifiant "
    "de la fiche (minuscules sans accent, chiffres et tirets) : renommez le fichier en "
    "« epicerie-sociale-saint-flour.yml »",
    f"{EPICERIE}:4:1: error: description: champ obligatoire manquant : ajoutez à cette ligne "
    "« description: Ce que propose le service, en phrases courtes. »",
    f"{EPICERIE}:4:10: error: freins: « personnes-a-faibles-revenus » n'est pas une valeur autorisée ; "
    "valeurs possibles : mobilite (Mobilité), logement (Logement, hébergement), sante (Santé, addictions, "
    "santé mentale), contraintes-familiales (Contraintes familiales, garde d'enfants), difficultes-financieres "
    "(Budget, difficultés financières), difficultes-administratives (Démarches administratives, accès aux "
    "droits, justice), maitrise-langue (Maîtrise du français, savoirs de base), numerique (Numérique), "
    "besoins-essentiels (Alimentation, équipement, aide d'urgence)",
    f"{EPICERIE}:5:7: error: type: « aide-alimentaire » n'est pas une valeur autorisée ; valeurs possibles : "
    "accompagnement (Accompagnement), aide-financiere (Aide financière), aide-materielle (Aide matérielle), "
    "atelier (Atelier), formation (Formation), information (Information)",
    f"{EPICERIE}:6:7: error: frais: une espace est attendue après les deux-points : écrivez « frais: payant »",
    f"{EPICERIE}:9:1: error: frais_precisions: cette ligne continue le texte de « frais_precisions » (ligne 7) : "
    "décalez-la de deux espaces vers la droite, comme les lignes au-dessus",
    f"{EPICERIE}:10:11: error: bassins: « Saint-Flour » n'est pas un identifiant valide : lettres minuscules "
    "sans accent, chiffres et tirets ; écrivez « saint-flour »",
    f"{EPICERIE}:11:1: error: syntaxe YAML invalide : tabulation interdite : indentez avec des espaces",
    f"{EPICERIE}:12:19: error: horaires_accueil: « mardi et jeudi 14h-17h » n'est pas écrit au format des "
    f"horaires : écrivez « Tu,Th 14:00-17:00 » : {HOURS_FORM}",
    f"{EPICERIE}:13:1: error: c\u043eurriel: champ inconnu : « \u043e » (lettre cyrillique o U+043E) n'est pas "
    "une lettre latine ; retapez le nom au clavier : « courriel »",
    f"{CCAS}:4:14: warning: description: cite encore « Aide alimentaire d'urgence » (service supprimé dans "
    "cette demande) : retirez-le de la description ou remplacez-le",
    f"{CCAS}:9:12: error: telephone: « 04 71 60 12 34 / 04 71 60 56 78 » : un seul numéro par champ ; gardez "
    "« 04 71 60 12 34 » ici et écrivez l'autre dans la description ou dans la fiche du service concerné",
    f"{CCAS}:10:19: error: horaires_accueil: « Lu-Ve 8h30-12h » n'est pas écrit au format des horaires : "
    f"écrivez « Mo-Fr 08:30-12:00 » : {HOURS_FORM}",
]
# Another partner's records, not touched by the change: their reminders go to the summary, not on the lines.
OTHERS = [
    f"{SERVICES}/point-conseil-budget.yml:6:11: warning: date_maj: fiche non vérifiée depuis 33 mois",
    f"{STRUCTURES}/udaf-cantal.yml:5:11: warning: date_maj: fiche non vérifiée depuis 33 mois",
]


def git(repo, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def published(tmp_path, monkeypatch, today):
    """A repository whose main branch holds the published records (`avant`), as the partner's fork starts."""
    shutil.copytree(JOURNEY / "avant", tmp_path / "resources")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "resources")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "fiches publiées")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def propose(repo, version: str) -> None:
    shutil.rmtree(repo / "resources")
    shutil.copytree(JOURNEY / version, repo / "resources")


def check_pull_request(repo, monkeypatch):
    summary = repo / "resume.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = run_cli("check", "--resources", "resources", "--changed-from", "main", "--format", "github")
    return run, summary.read_text(encoding="utf-8") if summary.exists() else ""


def test_one_check_lists_every_mistake_of_the_ccas_journey(published, monkeypatch):
    propose(published, "apres")
    run, _ = check_pull_request(published, monkeypatch)
    assert [line for line in run.diagnostics if line not in OTHERS] == EXPECTED
    assert run.code == 1
    for parser_word in ("EOI", "any_rule_separator", "expected", "found character", "mapping values"):
        assert parser_word not in run.out


def test_the_ccas_change_goes_through_in_one_round(published, monkeypatch):
    rounds = 0
    for version in ("apres", "corrige"):  # the partner's change, then the same with each message's advice
        propose(published, version)
        run, _ = check_pull_request(published, monkeypatch)
        if run.code == 0:
            break
        rounds += 1
    assert rounds == 1
    assert [line for line in run.diagnostics if "error" in line] == []


def test_only_the_changed_files_are_annotated_and_other_partners_warnings_go_to_the_summary(published, monkeypatch):
    propose(published, "apres")
    run, summary = check_pull_request(published, monkeypatch)
    annotated = {line.split("file=")[1].split(",")[0] for line in run.lines if line.startswith("::")}
    assert annotated == {EPICERIE, DOMICILIATION, CCAS}
    assert "udaf-cantal" not in "".join(line for line in run.lines if line.startswith("::"))
    assert summary.splitlines()[:1] == ["### Autres fiches"]
    assert f"- `{STRUCTURES}/udaf-cantal.yml` ligne 5 : warning : date_maj : fiche non vérifiée depuis 33 mois" in (
        summary.splitlines()
    )
