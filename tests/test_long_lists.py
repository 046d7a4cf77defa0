"""A regional base: browse pages list the first services and send the rest to the annuaire; the quality page
shows the worst fiches and offers the whole table as a file."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import load, resources_from_examples, write_record

from generator.build import read_config, settings_from
from generator.opendata.pages import open_data_pages
from generator.site.render import LIST_LIMIT, site_pages

MANY = LIST_LIMIT + 23


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    """The generated pages of the contract's examples plus MANY services of one frein in the bassin d'Aurillac."""
    resources = resources_from_examples(tmp_path_factory.mktemp("listes") / "resources")
    for index in range(MANY):
        write_record(
            resources,
            "services",
            f"atelier-{index:03d}",
            f"id: atelier-{index:03d}\nstructure: udaf-cantal\nnom: Atelier budget {index:03d}\n"
            "description: Un atelier collectif pour apprendre à tenir son budget.\n"
            "freins: [difficultes-financieres]\nbassins: [aurillac]\npublics: [jeunes]\ndate_maj: 2026-10-01\n",
        )
    catalog = load(resources)
    settings = settings_from(read_config())
    return {
        page.path: page.content if isinstance(page.content, str) else page.content.decode("utf-8")
        for provider in (site_pages, open_data_pages)
        for page in provider(catalog, settings)
    }


def test_a_long_frein_bassin_list_shows_the_first_and_links_to_the_annuaire(pages):
    page = pages["freins/difficultes-financieres/cantal-aurillac.md"]
    assert page.count('class="annuaire-item"') == LIST_LIMIT
    assert "Atelier budget 000" in page and f"Atelier budget {LIST_LIMIT - 1:03d}" in page
    assert f"Atelier budget {LIST_LIMIT:03d}" not in page
    total = MANY + 1  # the contract's own Point conseil budget is in this frein and bassin too
    assert f"{total - LIST_LIMIT} autres services répondent aussi" in page
    assert (
        f'<a href="../../../annuaire/?frein=difficultes-financieres&amp;bassin=cantal-aurillac">voir les {total} dans '
        "l'annuaire</a>" in page
    )


def test_a_long_public_list_links_to_the_annuaire_with_the_public_and_the_frein(pages):
    page = pages["publics/jeunes.md"]
    assert page.count('class="annuaire-item"') == LIST_LIMIT
    assert 'href="../../annuaire/?public=jeunes&amp;frein=difficultes-financieres"' in page


def test_a_short_list_is_listed_whole(pages):
    page = pages["freins/difficultes-financieres/cantal-mauriac.md"]
    assert "annuaire-suite" not in page


def test_the_quality_page_shows_the_worst_and_the_file_holds_every_fiche(pages):
    page = pages["donnees/qualite.md"]
    assert page.count("<tr><td>") == LIST_LIMIT
    assert f"Les {MANY + 2 - LIST_LIMIT} autres, et celles-ci" in page  # services and the structure
    assert 'href="../../donnees/qualite.csv"' in page
    rows = list(csv.reader(io.StringIO(pages["donnees/qualite.csv"])))
    assert rows[0] == [
        "type",
        "id",
        "nom",
        "score",
        "contact",
        "adresse",
        "horaires",
        "description",
        "fraicheur",
        "a_completer",
    ]
    assert len(rows) == 1 + MANY + 2
    scores = [float(row[3]) for row in rows[1:]]
    assert scores == sorted(scores)  # worst first, as on the page
    assert {row[1] for row in rows[1:]} >= {"atelier-000", "udaf-cantal", "point-conseil-budget-aurillac"}
