"""The forge side of contributions: CI files, templates, pre-commit, schema lines and CONTRIBUTING.md."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from conftest import REPO, SAMPLE_RECORDS
from data_inclusion.schema import v1 as di

from generator.records.models import Service, Structure
from generator.referentiels import freins

BIN = Path(sys.executable).parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ISSUE_FORMS = sorted(p for p in (REPO / ".github" / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
ISSUE_CHOOSER = REPO / ".github" / "ISSUE_TEMPLATE" / "config.yml"
GITLAB_CI = REPO / ".gitlab-ci.yml"
# GitLab's rule for `expose_as` (Ruby's \w: ASCII letters, digits, underscore).
GITLAB_EXPOSE_AS = re.compile(r"\A[A-Za-z0-9_][-A-Za-z0-9_ ]*\Z")


def run(*command: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True)


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def make_targets() -> set[str]:
    return set(re.findall(r"^([a-z][a-z-]*):", (REPO / "Makefile").read_text(encoding="utf-8"), re.MULTILINE))


@dataclass
class MakeCall:
    """One `make` of a CI script: `make -s diff BASE=x >> out` → target diff, variables {BASE: x}, redirect out."""

    target: str
    flags: list[str] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    redirect: str | None = None


def make_invocations(script: str) -> list[MakeCall]:
    """The Makefile targets a CI script runs, read as the shell reads the lines."""
    calls = []
    for line in script.replace("\\\n", " ").splitlines():
        words = list(shlex.shlex(line, posix=True, punctuation_chars=True))
        for start in [i for i, word in enumerate(words) if word == "make"]:
            targets, flags, variables, redirect = [], [], {}, None
            rest = words[start + 1 :]
            for index, word in enumerate(rest):
                if word in (">", ">>"):
                    redirect = rest[index + 1]
                    break
                if word[0] in ";&|<":
                    break
                if word.startswith("-"):
                    flags.append(word)
                elif "=" in word:
                    name, value = word.split("=", 1)
                    variables[name] = value
                else:
                    targets.append(word)
            calls += [MakeCall(target, flags, variables, redirect) for target in targets]
    return calls


def make_calls(script: str) -> list[str]:
    return [call.target for call in make_invocations(script)]


def workflow_scripts() -> dict[str, str]:
    scripts = {}
    for path in WORKFLOWS:
        for job in load_yaml(path)["jobs"].values():
            scripts[path.name] = scripts.get(path.name, "") + "\n".join(s.get("run", "") for s in job["steps"])
    return scripts


def gitlab_jobs() -> dict[str, dict]:
    config = load_yaml(GITLAB_CI)
    return {name: job for name, job in config.items() if isinstance(job, dict) and "script" in job}


# --- Lint of the CI files -----------------------------------------------------------------------------


def test_workflows_pass_actionlint():
    result = run(BIN / "actionlint", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        (REPO / ".github" / "workflows" / "fiches.yml")
        .read_text(encoding="utf-8")
        .replace("runs-on: ubuntu-latest", "runs-on: ubuntu-lastest"),
        encoding="utf-8",
    )
    result = run(BIN / "actionlint", broken)
    assert result.returncode == 1 and "ubuntu-lastest" in result.stdout


@pytest.mark.parametrize(
    "schema, files",
    [
        ("vendor.github-workflows", WORKFLOWS),
        ("vendor.github-issue-forms", ISSUE_FORMS),
        ("vendor.github-issue-config", [ISSUE_CHOOSER]),
        ("vendor.gitlab-ci", [GITLAB_CI]),
        ("vendor.dependabot", [REPO / ".github" / "dependabot.yml"]),
    ],
    ids=["workflows", "formulaires", "choix-des-tickets", "gitlab-ci", "dependabot"],
)
def test_ci_files_match_the_official_schemas(schema, files):
    assert files
    result = run(BIN / "check-jsonschema", "--builtin-schema", schema, *files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_official_schema_refuses_a_wrong_gitlab_ci(tmp_path):
    wrong = tmp_path / ".gitlab-ci.yml"
    wrong.write_text(GITLAB_CI.read_text(encoding="utf-8").replace("  script:\n", "  scripts:\n", 1), encoding="utf-8")
    assert run(BIN / "check-jsonschema", "--builtin-schema", "vendor.gitlab-ci", wrong).returncode == 1


def test_gitlab_exposed_artifact_names_are_accepted_by_gitlab():
    names = [job["artifacts"]["expose_as"] for job in gitlab_jobs().values() if "expose_as" in job.get("artifacts", {})]
    assert names and all(GITLAB_EXPOSE_AS.match(name) for name in names), names


# --- The CI runs the Makefile's targets ---------------------------------------------------------------


def test_every_make_call_of_the_ci_is_a_makefile_target():
    scripts = [*workflow_scripts().values(), *("\n".join(job["script"]) for job in gitlab_jobs().values())]
    calls = {target for script in scripts for target in make_calls(script)}
    assert {"check", "site", "lint", "test", "diff", "codeowners-check", "stale", "lint-ci", "schemas-check"} <= calls
    assert calls <= make_targets()


def test_pull_request_workflow_checks_annotates_summarises_and_previews():
    workflow = load_yaml(REPO / ".github" / "workflows" / "fiches.yml")
    assert "pull_request" in workflow[True]  # PyYAML reads the key `on` as True
    steps = workflow["jobs"]["verifier"]["steps"]
    calls = [(index, call) for index, step in enumerate(steps) for call in make_invocations(step.get("run", ""))]
    check_step, check = next((i, c) for i, c in calls if c.target == "check")
    # Annotations on the lines of the files the pull request changes.
    assert shlex.split(check.variables["CHECK_FLAGS"]) == [
        "--format",
        "github",
        "--changed-from",
        "origin/$BRANCHE_VISEE",
    ]
    # The check step must fail the job on errors: nothing may swallow its exit code.
    assert steps[check_step]["run"].strip().startswith("make ") and "continue-on-error" not in steps[check_step]
    diff = next(c for _, c in calls if c.target == "diff")
    assert diff.redirect == "$GITHUB_STEP_SUMMARY" and "-s" in diff.flags  # the summary alone, on the run's page
    site_step = next(i for i, c in calls if c.target == "apercu")  # the preview opens from the disk
    assert check_step < site_step
    upload = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload > site_step and steps[upload]["with"]["path"] == "site/"


def test_gitlab_check_job_writes_the_report_its_artifact_declares():
    """The job's own `make check` run for real: the Code Quality report lands where GitLab will read it."""
    job = gitlab_jobs()["verifier"]
    check = next(c for c in make_invocations("\n".join(job["script"])) if c.target == "check")
    report = REPO / job["artifacts"]["reports"]["codequality"]
    assert not report.exists()
    try:
        # The environment running these tests, wherever it is (a clone's own suite has no .venv of its own).
        venv = f"VENV={Path(sys.prefix)}"
        result = run("make", "-s", "-o", "install", "check", venv, f"CHECK_FLAGS={check.variables['CHECK_FLAGS']}")
        assert result.returncode == 0, result.stdout + result.stderr
        issues = json.loads(report.read_text(encoding="utf-8"))
        # resources/ has no error (exit 0); its warnings, if any, point into resources/ or at mkdocs.yml's
        # example forge links.
        assert all(
            i["location"]["path"].startswith(("resources/", "mkdocs.yml")) and i["severity"] == "minor" for i in issues
        ), issues
    finally:
        report.unlink(missing_ok=True)


def test_scheduled_jobs_report_stale_records():
    workflow = load_yaml(REPO / ".github" / "workflows" / "fiches-a-reverifier.yml")
    assert workflow[True]["schedule"][0]["cron"]
    assert "stale" in make_calls(workflow_scripts()["fiches-a-reverifier.yml"])
    job = gitlab_jobs()["fiches-a-reverifier"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
    stale = next(c for c in make_invocations("\n".join(job["script"])) if c.target == "stale")
    assert "-s" in stale.flags and stale.redirect in job["artifacts"]["paths"]  # the report alone, kept


def test_merged_changes_are_published():
    workflow = load_yaml(REPO / ".github" / "workflows" / "publier.yml")
    assert workflow[True]["push"]["branches"] == ["main"]
    assert "site" in make_calls(workflow_scripts()["publier.yml"])
    pages = gitlab_jobs()["pages"]
    assert pages["artifacts"]["paths"] == ["public"] and "site" in make_calls("\n".join(pages["script"]))
    # A failing `tests` job (the project's code) does not hold back a territory's publication: only the check.
    assert pages["needs"] == ["verifier"] and "check" in make_calls("\n".join(gitlab_jobs()["verifier"]["script"]))


def test_gitlab_merge_requests_get_a_built_site_and_a_summary():
    jobs = gitlab_jobs()
    assert jobs["construire"]["artifacts"]["paths"] == ["site/"]
    summary = jobs["resume-des-modifications"]
    diff = next(c for c in make_invocations("\n".join(summary["script"])) if c.target == "diff")
    assert (
        diff.variables["BASE"] == "$CI_MERGE_REQUEST_DIFF_BASE_SHA" and diff.redirect in summary["artifacts"]["paths"]
    )
    assert jobs["codeowners"]["allow_failure"] is True


# --- Dependencies: actions pinned by commit, the whole Python tree locked, updates proposed ---------------


def test_every_action_is_pinned_by_commit_with_its_version_beside():
    uses = [
        line.split("uses:", 1)[1].strip()
        for path in WORKFLOWS
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith(("uses:", "- uses:"))
    ]
    assert uses
    for use in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*", use), use


def test_the_lock_pins_every_dependency_of_pyproject_with_hashes():
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    direct = [*project["project"]["dependencies"], *project["project"]["optional-dependencies"]["test"]]
    text = (REPO / "requirements.lock").read_text(encoding="utf-8")
    # Each pin is followed by the sha256 of its files, `pip install --require-hashes` refusing any other.
    pinned = re.findall(r"^([a-z0-9._-]+)==(\S+) \\\n(?:\s+--hash=sha256:[0-9a-f]{64}(?: \\\n)?)+", text, re.MULTILINE)
    assert len(pinned) == len(re.findall(r"^[a-z]", text, re.MULTILINE)) > len(direct)
    locked = dict(pinned)
    for requirement in direct:
        name, version = requirement.split("==")
        assert locked.get(re.sub(r"[._]", "-", name.lower())) == version, f"{requirement} : lancez « make lock »"


def test_the_pip_that_installs_the_lock_is_locked_too():
    text = (REPO / "requirements-pip.lock").read_text(encoding="utf-8")
    assert re.search(r"^pip==[0-9.]+ \\\n\s+--hash=sha256:[0-9a-f]{64}", text, re.MULTILINE)
    assert re.findall(r"^[a-z][a-z0-9._-]*==", text, re.MULTILINE) == ["pip=="]


def test_dependabot_watches_python_packages_and_actions():
    config = load_yaml(REPO / ".github" / "dependabot.yml")
    assert {update["package-ecosystem"] for update in config["updates"]} == {"pip", "github-actions"}


# --- Templates and pre-commit ---------------------------------------------------------------------------


def test_issue_forms_and_templates_exist_in_french_on_both_forges():
    names = {load_yaml(path)["name"] for path in ISSUE_FORMS}
    assert names == {"Signaler une information erronée", "Proposer une ressource"}
    gitlab = {p.stem for p in (REPO / ".gitlab" / "issue_templates").glob("*.md")}
    assert gitlab == names
    for path in [
        REPO / ".github" / "PULL_REQUEST_TEMPLATE.md",
        REPO / ".gitlab" / "merge_request_templates" / "Default.md",
    ]:
        text = path.read_text(encoding="utf-8")
        assert "date_maj" in text and "CONTRIBUTING.md" in text and "personne accompagnée" in text


def test_proposal_templates_offer_exactly_the_freins_of_the_referentiel():
    labels = [f.label for f in freins()]
    form = load_yaml(REPO / ".github" / "ISSUE_TEMPLATE" / "proposer-une-ressource.yml")
    field = next(item for item in form["body"] if item.get("id") == "freins")
    assert [option["label"] for option in field["attributes"]["options"]] == labels
    gitlab = (REPO / ".gitlab" / "issue_templates" / "Proposer une ressource.md").read_text(encoding="utf-8")
    assert re.findall(r"^- \[ \] (.+)$", gitlab.split("## À quels freins")[1].split("##")[0], re.MULTILINE) == labels


def test_pre_commit_runs_the_check_as_a_local_hook():
    config = load_yaml(REPO / ".pre-commit-config.yaml")
    hooks = {hook["id"]: hook for repo in config["repos"] if repo["repo"] == "local" for hook in repo["hooks"]}
    assert make_calls(hooks["annuaire-check"]["entry"]) == ["check"]
    assert re.match(hooks["annuaire-check"]["files"], "resources/services/cafe-sante.yml")
    assert make_calls(hooks["lint"]["entry"]) == ["lint"] and hooks["lint"]["types"] == ["python"]
    for hook in hooks.values():
        assert hook["language"] == "system" and hook["pass_filenames"] is False
        assert set(make_calls(hook["entry"])) <= make_targets()


# --- CONTRIBUTING.md covers the model ---------------------------------------


def test_contributing_guide_names_every_field_and_every_value():
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for model in (Structure, Service):
        for name in model.model_fields:
            assert f"`{name}`" in text, name
    for frein in freins():
        assert f"`{frein.id}`" in text and frein.label in text
    for enum in (
        di.TypeService,
        di.Thematique,
        di.Public,
        di.Frais,
        di.ModeAccueil,
        di.ModeMobilisation,
        di.PersonneMobilisatrice,
    ):
        for member in enum:
            assert f"`{member.value}`" in text, member.value
    for command in ("annuaire new", "annuaire check", "annuaire schema", "make codeowners"):
        assert command in text


def test_the_example_record_of_the_guide_passes_the_check(tmp_path):
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    example = next(block for block in re.findall(r"```yaml\n(.*?)```", guide, re.DOTALL) if block.startswith("# yaml"))
    resources = tmp_path / "resources"
    shutil.copytree(SAMPLE_RECORDS, resources)
    record_id = re.search(r"^id: (\S+)$", example, re.MULTILINE).group(1)
    (resources / "services" / f"{record_id}.yml").write_text(example, encoding="utf-8")
    result = run(BIN / "annuaire", "check", "--resources", resources)
    assert result.returncode == 0, result.stdout
    assert f"{record_id}.yml" not in result.stdout  # not even a warning
