"""The quality score per record (in the spirit of data·inclusion's score_qualite) and its line in `annuaire check`."""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from generator.cli import main
from generator.opendata import quality
from generator.records.catalog import load_catalog
from generator.records.diagnostics import Report

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "data" / "annuaire"
TODAY = date(2026, 11, 23)
PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: (error|warning): .+$")


@pytest.fixture(scope="module")
def catalog():
    report = Report()
    catalog = load_catalog(FIXTURE, str(FIXTURE), report, today=TODAY)
    assert not report.errors
    return catalog


def scores(catalog, kind: str, record_id: str) -> quality.Quality:
    return quality.assess(catalog, getattr(catalog, kind)[record_id])


def test_complete_structure_scores_full_marks(catalog):
    q = scores(catalog, "structures", "ccas-aurillac")
    assert q.scores == {"contact": 1.0, "adresse": 1.0, "horaires": 1.0, "description": 1.0, "fraicheur": 1.0}
    assert q.score == 1.0 and q.advice == []


def test_short_description_scores_half(catalog):
    q = scores(catalog, "services", "domiciliation-ccas-aurillac")
    assert q.scores["description"] == 0.5
    assert q.advice == ["description courte (102 caractères ; 200 à 2 000 conseillés)"]


def test_structure_without_address_hours_or_description(catalog):
    q = scores(catalog, "structures", "addictions-france-cantal")
    # Checked 2025-03-15: 618 days before TODAY, between six months and two years.
    assert q.scores == {
        "contact": 1.0,
        "adresse": 0.0,
        "horaires": 0.0,
        "description": 0.0,
        "fraicheur": round((730 - 618) / (730 - 183), 2),
    }
    assert q.score == round((1 + 0.2) / 5, 2)
    assert "accueil sur place sans adresse" in q.advice
    assert "accueil sur place sans horaires d'accueil" in q.advice


def test_service_at_a_distance_has_no_address_criterion(catalog):
    q = scores(catalog, "services", "consultation-addictologie-mauriac")
    assert q.scores["adresse"] is None and q.scores["horaires"] is None
    assert q.scores["fraicheur"] == 0.0  # more than two years
    assert q.scores["contact"] == 1.0  # « telephoner » with a (short) number
    assert q.score == round((1 + 0 + 0) / 3, 2)


def test_service_inherits_its_structures_contact_address_and_hours(catalog):
    q = scores(catalog, "services", "aide-alimentaire-ccas-aurillac")
    assert q.scores["contact"] == 1.0 and q.scores["adresse"] == 1.0 and q.scores["horaires"] == 1.0


def test_announced_mobilisation_needs_its_channel(catalog):
    service = catalog.services["aide-alimentaire-ccas-aurillac"].model_copy(
        update={"modes_mobilisation": ["envoyer-un-courriel", "utiliser-lien-mobilisation"]}
    )
    structure = catalog.structures["ccas-aurillac"].model_copy(update={"courriel": None, "site_web": None})
    catalog = catalog.__class__(
        territoires=catalog.territoires,
        structures={**catalog.structures, structure.id: structure},
        services={service.id: service},
        today=TODAY,
    )
    q = quality.assess(catalog, service)
    assert q.scores["contact"] == 0.5
    assert q.advice[:2] == [
        "mobilisation « envoyer-un-courriel » annoncée sans un courriel",
        "mobilisation « utiliser-lien-mobilisation » annoncée sans un site web",
    ]
    bare = structure.model_copy(update={"telephone": None})
    catalog.structures[bare.id] = bare
    assert quality.assess(catalog, service).scores["contact"] == 0.0


@pytest.mark.parametrize(
    "length, expected", [(10, 0.0), (49, 0.0), (50, 0.5), (199, 0.5), (200, 1.0), (2000, 1.0), (2001, 0.5)]
)
def test_description_thresholds_of_data_inclusion(length, expected):
    assert quality._description("a" * length, []) == expected


def test_description_measured_without_markup():
    assert quality._description("**" + "a" * 48 + "**", []) == 0.0  # 48 characters of text


@pytest.mark.parametrize("days, expected", [(0, 1.0), (183, 1.0), (456, 0.5), (729, 0.0), (730, 0.0), (2000, 0.0)])
def test_freshness_linear_between_six_months_and_two_years(days, expected):
    assert quality._fraicheur(TODAY - timedelta(days=days), TODAY, []) == pytest.approx(expected, abs=0.01)


def test_records_listed_worst_first(catalog):
    ordered = [q.score for q in quality.assess_all(catalog)]
    assert ordered == sorted(ordered)
    assert len(ordered) == len(catalog.structures) + len(catalog.services)


def test_summary_line(catalog):
    qualities = quality.assess_all(catalog)
    mean = round(100 * sum(q.score for q in qualities) / len(qualities))
    low = sum(1 for q in qualities if q.score < 0.5)
    assert low == 2
    assert quality.summary_line(catalog) == (
        f"Qualité des fiches : {mean} % en moyenne sur 5 fiches, 2 sous 50 % (détail : page « donnees/qualite » du site)."
    )


def test_check_prints_the_quality_line_first_and_the_summary_last(capsys):
    assert main(["check", "--resources", str(FIXTURE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "6 fichiers vérifiés : 0 erreur, 2 avertissements."
    assert lines[0].startswith("Qualité des fiches : ")
    assert all(PROBLEM_LINE.match(line) for line in lines[1:-1])
    assert len(lines) == 4


def test_check_with_errors_and_orphan_services_keeps_its_format(tmp_path, capsys):
    resources = tmp_path / "resources"
    shutil.copytree(FIXTURE, resources)
    (resources / "structures" / "ccas-aurillac.yml").write_text("id: ccas-aurillac\nnom: [\n", encoding="utf-8")
    assert main(["check", "--resources", str(resources)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"Qualité des fiches : \d+ % en moyenne sur 2 fiches, \d sous 50 % .*", lines[0])
    assert lines[-1].startswith("6 fichiers vérifiés : ")
    assert all(PROBLEM_LINE.match(line) for line in lines[1:-1])


def test_check_without_records_prints_no_quality_line(tmp_path, capsys):
    assert main(["check", "--resources", str(tmp_path)]) == 2  # a folder without records: the wrong folder
    printed = capsys.readouterr()
    assert printed.out == ""
    assert "ne contient aucune fiche" in printed.err


def test_build_prints_no_quality_line(tmp_path, capsys, monkeypatch):
    from generator import build

    monkeypatch.setattr(build, "build_site", lambda *args, **kwargs: None)  # the check stage only
    assert main(["build", "--resources", str(FIXTURE), "--out", str(tmp_path / "site")]) == 0
    assert not any(line.startswith("Qualité") for line in capsys.readouterr().out.splitlines())
