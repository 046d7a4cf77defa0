"""`annuaire check`: the contract's output and exit codes (0 valid, 1 errors, 2 usage error)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    CONTRACT_EXAMPLES,
    DIAGNOSTIC_LINE,
    EXAMPLE_RECORDS,
    INFO_LINE,
    REPO,
    SUMMARY_LINE,
    run_cli,
    write_record,
)

# In CI the repository is cloned with shared/ beside it.

BROKEN_SERVICE = (
    "id: atelier-test\n"
    "structure: udaf-cantal\n"
    "nom: Atelier budget\n"
    "description: Un atelier collectif.\n"
    "freins: [difficultes-financieres]\n"
    "telephone: 0471454647\n"
    "date_maj: 2026-10-01\n"
)
ERROR_LINE = (
    "resources/services/atelier-test.yml:6:12: error: telephone: « 0471454647 » doit être un texte : "
    'mettez la valeur entre guillemets ("0471454647")'
)
STALE_SERVICE = BROKEN_SERVICE.replace("0471454647", '"04 71 45 46 47"').replace("2026-10-01", "2025-09-01")
WARNING_LINE = "resources/services/atelier-test.yml:7:11: warning: date_maj: fiche non vérifiée depuis 14 mois"


def assert_contract_output(out: str) -> None:
    """Problems compiler style, then the summary line last; nothing else but the quality line."""
    lines = out.splitlines()
    assert lines and SUMMARY_LINE.match(lines[-1]), out
    for line in lines[:-1]:
        assert DIAGNOSTIC_LINE.match(line) or INFO_LINE.match(line), line
    assert "Traceback" not in out


def require_contract_examples() -> None:
    if not CONTRACT_EXAMPLES.is_dir():
        pytest.skip(
            f"exemples du contrat absents : {CONTRACT_EXAMPLES} (le dépôt shared/ doit être cloné à côté de celui-ci)"
        )


def test_the_contract_examples_pass():
    require_contract_examples()
    run = run_cli("check", "--resources", CONTRACT_EXAMPLES)
    assert run.code == 0, run.out
    assert not [line for line in run.diagnostics if ": error: " in line]
    assert_contract_output(run.out)
    assert run.lines[-1].startswith("3 fichiers vérifiés : ")


def test_the_tests_copy_of_the_contract_examples_is_identical():
    """Most tests start from tests/data/contrat, a copy that must follow the contract's examples."""
    require_contract_examples()
    ours = {p.relative_to(EXAMPLE_RECORDS): p.read_bytes() for p in EXAMPLE_RECORDS.rglob("*.yml")}
    theirs = {p.relative_to(CONTRACT_EXAMPLES): p.read_bytes() for p in CONTRACT_EXAMPLES.rglob("*.yml")}
    assert ours == theirs, "copiez shared/contract/examples dans tests/data/contrat"


def test_the_contract_examples_pass_with_no_warning_at_a_fixed_date(examples, today):
    run = run_cli("check", "--resources", "resources", "--strict")
    assert (run.code, run.diagnostics, run.lines[-1]) == (0, [], "3 fichiers vérifiés : aucune erreur.")


def test_errors_exit_1_with_the_summary_last(examples, today):
    write_record(examples, "services", "atelier-test", BROKEN_SERVICE)
    run = run_cli("check", "--resources", "resources")
    assert run.code == 1
    assert run.diagnostics == [ERROR_LINE]
    assert run.lines[-1] == "4 fichiers vérifiés : 1 erreur, 0 avertissement."
    assert run.err == ""
    assert_contract_output(run.out)


def test_warnings_alone_exit_0(examples, today):
    write_record(examples, "services", "atelier-test", STALE_SERVICE)
    run = run_cli("check", "--resources", "resources")
    assert (run.code, run.diagnostics) == (0, [WARNING_LINE])
    assert run.lines[-1] == "4 fichiers vérifiés : 0 erreur, 1 avertissement."


def test_strict_turns_warnings_into_failures(examples, today):
    write_record(examples, "services", "atelier-test", STALE_SERVICE)
    run = run_cli("check", "--resources", "resources", "--strict")
    assert (run.code, run.diagnostics) == (1, [WARNING_LINE])
    assert run.lines[-1] == (
        "4 fichiers vérifiés : 0 erreur, 1 avertissement. (--strict : les avertissements comptent comme des erreurs)"
    )
    assert_contract_output(run.out)


def test_strict_without_warnings_exits_0(examples, today):
    run = run_cli("check", "--strict", "--resources", "resources")
    assert run.code == 0 and run.lines[-1] == "3 fichiers vérifiés : aucune erreur."


def test_errors_and_warnings_together(examples, today):
    write_record(examples, "services", "atelier-test", BROKEN_SERVICE)
    write_record(examples, "services", "atelier-ancien", STALE_SERVICE.replace("atelier-test", "atelier-ancien"))
    run = run_cli("check", "--resources", "resources")
    assert run.code == 1
    assert run.diagnostics == [WARNING_LINE.replace("atelier-test", "atelier-ancien"), ERROR_LINE]
    assert run.lines[-1] == "5 fichiers vérifiés : 1 erreur, 1 avertissement."


def test_the_default_resources_folder_is_resources(examples, today):
    write_record(examples, "services", "atelier-test", BROKEN_SERVICE)
    run = run_cli("check")
    assert (run.code, run.diagnostics) == (1, [ERROR_LINE])


# --- usage errors: exit 2, a French message on stderr -----------------------------------------------------


def test_a_missing_resources_folder_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", "--resources", "nulle-part")
    assert run.code == 2
    assert run.out == ""
    assert run.err == "annuaire : erreur d'utilisation : le dossier de fiches « nulle-part » n'existe pas\n"


def test_no_resources_folder_in_the_current_folder_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = run_cli("check")
    assert run.code == 2
    assert "le dossier de fiches « resources » n'existe pas" in run.err


def test_a_file_given_as_resources_folder_is_a_usage_error(examples):
    run = run_cli("check", "--resources", examples / "services" / "point-conseil-budget-aurillac.yml")
    assert run.code == 2 and "n'existe pas" in run.err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["check", "--vite"], "arguments inconnus : --vite"),
        (["check", "--resources"], "l'option --resources attend une valeur"),
        (["verifier"], "« 'verifier' » invalide"),
        ([], "arguments obligatoires manquants : commande"),
    ],
)
def test_bad_arguments_are_usage_errors(argv, message):
    run = run_cli(*argv)
    assert run.code == 2
    assert run.out == ""
    assert message in run.err
    assert "annuaire : erreur d'utilisation : " in run.err


def test_help_exits_0():
    run = run_cli("check", "--help")
    assert run.code == 0 and "--strict" in run.out


# --- real processes ---------------------------------------------------------------------------------------


def _run(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_python_m_generator_check(examples):
    done = _run(sys.executable, "-m", "generator", "check", "--resources", "resources", cwd=examples.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""
    assert_contract_output(done.stdout)
    assert done.stdout.splitlines()[-1].startswith("3 fichiers vérifiés : ")


def test_python_m_generator_on_broken_input_prints_no_traceback(examples):
    write_record(examples, "services", "atelier-test", b"\xff\xfe" + bytes(range(256)))
    write_record(examples, "services", "atelier-2", "a: " + "[" * 300_000)
    done = _run(sys.executable, "-m", "generator", "check", "--resources", "resources", cwd=examples.parent)
    assert done.returncode == 1
    assert done.stderr == ""
    assert_contract_output(done.stdout)
    assert len([line for line in done.stdout.splitlines() if ": error: " in line]) == 2


def test_python_m_generator_usage_error(tmp_path):
    done = _run(sys.executable, "-m", "generator", "check", "--resources", "nulle-part", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "le dossier de fiches « nulle-part » n'existe pas" in done.stderr


def test_the_annuaire_console_script(examples):
    script = Path(sys.executable).parent / "annuaire"
    if not script.exists():
        pytest.skip(f"{script} absent : installez le projet dans ce Python (make install)")
    done = _run(str(script), "check", "--resources", "resources", cwd=examples.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert_contract_output(done.stdout)
