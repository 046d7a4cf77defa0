"""No file content, however broken, makes `annuaire check` crash: exit 0 or 1, every line compiler style
or the summary, never a traceback nor the « erreur interne » safety net of the catalog."""

from __future__ import annotations

import shutil

import pytest
import yaml
from conftest import DIAGNOSTIC_LINE, EXAMPLE_RECORDS, INFO_LINE, SUMMARY_LINE, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.records.load import _MAY_HAVE_PROPERTIES, _NESTING_INDICATORS, MAX_DEPTH

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

RICH_SERVICE = (
    "# Une fiche complète\n"
    "id: atelier-test\n"
    "structure: udaf-cantal\n"
    "nom: Atelier budget\n"
    "type: atelier\n"
    "description: |\n"
    "  Un atelier *collectif* pour apprendre à tenir son budget.\n"
    "\n"
    "  - un point\n"
    "freins: [difficultes-financieres, numerique]\n"
    "thematiques:\n"
    "  - difficultes-financieres--ameliorer-sa-gestion-budgetaire\n"
    "publics: [tous-publics]\n"
    "partenaires: [udaf-cantal]\n"
    "bassins: [aurillac]\n"
    'code_postal: "15000"\n'
    'code_insee: "15014"\n'
    "latitude: 44.9264\n"
    "longitude: 2.4439\n"
    'telephone: "04 71 45 46 47"\n'
    "courriel: atelier@udaf15.fr\n"
    "site_web: https://udaf15.fr/atelier\n"
    'horaires_accueil: "Tu 14:00-16:00; PH off"\n'
    "periodicite: un mardi sur deux\n"
    "date_maj: 2026-10-01\n"
)

# Pieces of YAML syntax (and of YAML 1.1 surprises) that mutations insert.
SNIPPETS = [
    "&a ",
    "*a",
    "!!str ",
    "!!binary ",
    "! ",
    "!x ",
    "<<: ",
    ": ",
    ":",
    "- ",
    "-",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ",",
    '"',
    "'",
    "|",
    ">",
    "|-",
    "# ",
    "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n",
    "---\n",
    "...\n",
    "@",
    "`",
    "\\",
    "\t",
    "\r",
    "\r\n",
    "\n",
    "\ufeff",
    "\x85",
    "\u2028",
    "\x00",
    "\x7f",
    "é",
    "0x_",
    "0b_",
    "1:30",
    "no",
    "~",
    "2026-02-30",
    "9" * 5000,
    "1e400",
    ".nan",
    "-.inf",
    "15000",
    "0712",
    "null",
    "[" * 300,
    "- " * 200,
]


def _valid_output(run) -> None:
    assert run.code in (0, 1), (run.code, run.out, run.err)
    assert run.err == "", run.err
    lines = run.lines
    assert lines and SUMMARY_LINE.match(lines[-1]), run.out
    for line in lines[:-1]:
        assert DIAGNOSTIC_LINE.match(line) or INFO_LINE.match(line), line
        assert "erreur interne" not in line, line
    assert "Traceback" not in run.out


@pytest.fixture(scope="module")
def resources(tmp_path_factory):
    folder = tmp_path_factory.mktemp("propriete") / "resources"
    shutil.copytree(EXAMPLE_RECORDS, folder)
    (folder / "services" / "atelier-test.yml").write_text(RICH_SERVICE, encoding="utf-8")
    return folder


ORIGINALS = [
    "services/atelier-test.yml",
    "services/point-conseil-budget-aurillac.yml",
    "structures/udaf-cantal.yml",
    "territoires/cantal.yml",
]


def _check_with(resources, relative: str, content: bytes):
    path = resources / relative
    original = path.read_bytes()
    path.write_bytes(content)
    try:
        return run_cli("check", "--resources", resources)
    finally:
        path.write_bytes(original)


@SETTINGS
@given(content=st.binary(max_size=3000), where=st.sampled_from(ORIGINALS))
def test_random_bytes_never_crash(resources, content, where):
    _valid_output(_check_with(resources, where, content))


YAMLISH = st.text(
    st.one_of(st.sampled_from(list("-:?[]{},&*!|>#%@`'\"\\ \t\n\r0123456789aeonly~.")), st.characters(codec="utf-8")),
    max_size=400,
)


@SETTINGS
@given(text=st.one_of(YAMLISH, st.text(max_size=400)), where=st.sampled_from(ORIGINALS))
def test_random_text_never_crashes(resources, text, where):
    _valid_output(_check_with(resources, where, text.encode("utf-8", "surrogatepass")))


@st.composite
def mutated_record(draw):
    where = draw(st.sampled_from(ORIGINALS))
    text = RICH_SERVICE if where == ORIGINALS[0] else (EXAMPLE_RECORDS / where).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            lines = [""]
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(
            st.sampled_from(["delete", "duplicate", "indent", "dedent", "insert", "replace", "swap", "truncate"])
        )
        line = lines[index]
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, line)
        elif action == "indent":
            lines[index] = draw(st.sampled_from([" ", "  ", "    ", "\t", "- "])) + line
        elif action == "dedent":
            lines[index] = line.lstrip(" ")
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], line
        elif action == "truncate":
            lines[index] = line[: draw(st.integers(0, len(line)))]
        else:
            piece = draw(st.one_of(st.sampled_from(SNIPPETS), st.characters(codec="utf-8")))
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + piece + line[at + (1 if action == "replace" else 0) :]
    return where, "".join(lines)


@SETTINGS
@given(mutated=mutated_record())
def test_mutated_records_never_crash(resources, mutated):
    where, text = mutated
    _valid_output(_check_with(resources, where, text.encode("utf-8", "surrogatepass")))


# --- the loader's cheap gates never let an anchor, alias, tag or deep nesting through ----------------


def _events(text: str):
    """The events libyaml reads before any syntax error."""
    events = []
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            events.append(event)
    except yaml.YAMLError:
        pass
    return events


PROPERTY_TEXT = st.lists(
    st.sampled_from(list("&*!ab:-?[]{}, \t\n\r#'\"|>\x85\u2028") + ["!!str", "---", "- ", ": ", "%TAG ! x:\n"]),
    max_size=40,
).map("".join)


@settings(max_examples=3000, deadline=None)
@given(text=PROPERTY_TEXT)
def test_the_property_gate_sees_every_anchor_alias_and_tag(text):
    found = [
        e
        for e in _events(text)
        if isinstance(e, yaml.AliasEvent) or getattr(e, "anchor", None) or getattr(e, "tag", None)
    ]
    if found:
        assert _MAY_HAVE_PROPERTIES.search(text), (text, found)


@settings(max_examples=3000, deadline=None)
@given(text=st.text(st.sampled_from(list("-:?[]{}, \na#'\"")), max_size=80))
def test_the_nesting_gate_bounds_the_depth(text):
    depth = deepest = 0
    for event in _events(text):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    assert deepest <= sum(map(text.count, _NESTING_INDICATORS)) + 1
    assert MAX_DEPTH > 10
