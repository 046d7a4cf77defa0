"""The territory's own records (resources/), whatever they are: the only tests that read them.

The rest of the suite builds its own folders (tests/data/), so that a territory that replaces the
demonstration data keeps a green suite; these checks then say whether its records are publishable.
Run them alone with `make check-resources` (or `pytest tests/test_resources.py`).
"""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from conftest import REPO, RESOURCES, run_cli

from generator.records.load import load_file

KINDS = {"territoires": "territoire", "structures": "structure", "services": "service"}
RECORD_FILES = sorted(RESOURCES.glob("*/*.yml"))


def test_committed_codeowners_is_up_to_date(monkeypatch):
    monkeypatch.chdir(REPO)
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    owners = re.search(r"^CODEOWNERS_DEFAUT :=(.*)$", makefile, re.MULTILINE).group(1).split()
    result = run_cli("codeowners", "--check", *[a for owner in owners for a in ("--default-owner", owner)])
    assert result.code == 0, "lancez « make codeowners »\n" + result.out


def test_annuaire_check_finds_no_error_in_resources():
    run = run_cli("check", "--resources", RESOURCES)
    assert run.code == 0, run.out


@pytest.mark.parametrize("path", RECORD_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_record_points_to_its_schema_and_validates_against_it(path):
    kind = KINDS[path.parent.name]
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json"
    schema = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    data = json.loads(json.dumps(load_file(path).data, default=str))  # dates as an editor's YAML 1.2 reads them
    assert [error.message for error in validator.iter_errors(data)] == []
