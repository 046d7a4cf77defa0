"""Refused records, one case per folder of tests/data/invalid/: the records laid over the contract's
examples, and `attendu.txt`, the exact problem lines `annuaire check` prints. A new case is one more folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO, run_cli

CASES = REPO / "tests" / "data" / "invalid"


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_each_invalid_case_gets_its_expected_messages(case, examples):
    folder = CASES / case
    for kind in ("territoires", "structures", "services"):
        if (folder / kind).is_dir():
            shutil.copytree(folder / kind, Path("resources") / kind, dirs_exist_ok=True)
    expected = (folder / "attendu.txt").read_text(encoding="utf-8").splitlines()
    run = run_cli("check", "--resources", "resources")
    assert run.code == 1
    assert run.diagnostics == expected
    assert run.err == ""
