"""The search's records, read as Pagefind reads them: which pages become records, at which URL, with which
title, and what a structure's record holds. The browser side is tested in test_search.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import CONFIG, DOCS, TERRITORY_DOCS, markdown_extensions, read_config, write_docs
from generator.forms.model import formulaires
from generator.site.page import SiteSettings, page_url
from generator.site.search_pages import page_records
from generator.site.search_records import service_records, structure_records

EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.details", "pymdownx.superfences"]


def meta(html: str) -> dict[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    return {
        re.match(r"(\w+)\[", tag["data-pagefind-meta"])[1]: tag["data-v"] for tag in soup.select("[data-pagefind-meta]")
    }


def filters(html: str) -> set[tuple[str, str]]:
    soup = BeautifulSoup(html, "html.parser")
    return {
        (re.match(r"(\w+)\[", t["data-pagefind-filter"])[1], t["data-v"]) for t in soup.select("[data-pagefind-filter]")
    }


def test_the_pages_are_rendered_with_the_extensions_of_mkdocs_yml_without_their_options():
    assert markdown_extensions(read_config(CONFIG)) == EXTENSIONS


@pytest.mark.parametrize(
    ("page", "url"),
    [
        ("index.md", ""),
        ("signaler.md", "signaler/"),
        ("accompagnement-global/index.md", "accompagnement-global/"),
        ("accompagnement-global/etapes.md", "accompagnement-global/etapes/"),
        ("accompagnement-global/territoire/cantal.md", "accompagnement-global/territoire/cantal/"),
        ("fiches/index.md", "fiches/"),
    ],
)
def test_a_page_is_found_at_the_url_the_engine_builds(page, url):
    assert page_url(page) == url


def test_pages_are_titled_by_their_front_matter_or_first_heading_and_excluded_ones_are_left_out(tmp_path):
    docs = tmp_path / "docs"
    (docs / "guide" / "sous-partie").mkdir(parents=True)
    (docs / "services").mkdir()
    (docs / "index.md").write_text("# Accueil du guide\n\nBienvenue.\n", encoding="utf-8")
    (docs / "guide" / "sous-partie" / "index.md").write_text(
        "---\ntitle: L&#x27;entrée dans le dispositif\n---\n\n<h1>Autre titre</h1>\n\nLe **diagnostic** partagé.\n",
        encoding="utf-8",
    )
    (docs / "guide" / "sans-titre.md").write_text("Du texte sans titre, l’entrée.\n", encoding="utf-8")
    (docs / "guide" / "liste.md").write_text("---\nsearch:\n  exclude: true\n---\n\n# Liste\n", encoding="utf-8")
    (docs / "services" / "_gabarit.md").write_text(
        "---\ntitle: ANNUAIRE-GABARIT-TITRE\nsearch:\n  exclude: true\n---\n\n<h1>ANNUAIRE-GABARIT-TITRE</h1>\n",
        encoding="utf-8",
    )
    records = {r.path: r.html for r in page_records(docs, EXTENSIONS)}
    assert sorted(records) == ["guide/sans-titre/index.html", "guide/sous-partie/index.html", "index.html"]
    assert meta(records["index.html"]) == {"title": "Accueil du guide", "type": "page"}
    assert meta(records["guide/sous-partie/index.html"]) == {"title": "L'entrée dans le dispositif", "type": "page"}
    assert meta(records["guide/sans-titre/index.html"]) == {"title": "sans-titre", "type": "page"}
    assert filters(records["index.html"]) == set()
    body = BeautifulSoup(records["guide/sous-partie/index.html"], "html.parser")
    assert body.find("strong").text == "diagnostic"  # rendered, not the Markdown marks
    assert "l'entrée" in records["guide/sans-titre/index.html"]  # an apostrophe Pagefind splits words at


@pytest.fixture(scope="module")
def staged_docs(tmp_path_factory, catalog) -> Path:
    """The docs folder as `annuaire build` gives it to the engine, with the « Signaler » page on."""
    docs = tmp_path_factory.mktemp("recherche") / "docs"
    settings = SiteSettings(site_name="Annuaire", annuaire={"courriel_contact": "equipe@cantal.example.org"})
    write_docs(catalog, settings, docs)
    return docs


def test_the_written_pages_are_indexed_and_the_generated_lists_are_not(staged_docs):
    paths = {r.path for r in page_records(staged_docs, EXTENSIONS)}
    territory = {f"accompagnement-global/territoire/{p.stem}/index.html" for p in (DOCS / TERRITORY_DOCS).glob("*.md")}
    assert territory <= paths
    assert {
        "accompagnement-global/index.html",
        "accompagnement-global/etapes/index.html",
        "fiches/index.html",
        "fiches/diagnostic-partage-ft-vers-ts/index.html",
        "signaler/index.html",
        "donnees/index.html",
    } <= paths
    generated = {
        "index.html",  # the home page: lists of fiches and counts
        "annuaire/index.html",
        "selection/index.html",
        "structures/index.html",
        "structures/_gabarit/index.html",
        "services/_gabarit/index.html",
        "freins/index.html",
        "freins/logement/index.html",
        "freins/logement/cantal-aurillac/index.html",
        "bassins/cantal-aurillac/index.html",
        "publics/index.html",
        "donnees/qualite/index.html",
    }
    assert paths & generated == set()
    assert not [p for p in paths if p.startswith(("services/", "structures/", "freins/", "bassins/", "publics/"))]


def test_no_record_is_made_twice(staged_docs, catalog):
    paths = [r.path for r in service_records(catalog)]
    paths += [r.path for r in structure_records(catalog)]
    paths += [r.path for r in page_records(staged_docs, EXTENSIONS)]
    assert len(paths) == len(set(paths))


def test_a_structure_record_holds_its_name_sigle_commune_description_and_services(catalog):
    record = next(r for r in structure_records(catalog) if r.path == "structures/spip-cantal.html")
    assert meta(record.html) == {
        "title": "Service pénitentiaire d'insertion et de probation du Cantal",
        "id": "spip-cantal",
        "sigle": "SPIP",
        "commune": "Aurillac",
        "resume": (
            "Service du ministère de la Justice, le SPIP suit les personnes placées sous main de justice, en "
            "détention comme en milieu ouvert (sursis probatoire, travail…"
        ),
        "type": "structure",
    }
    assert filters(record.html) == set()  # the filters of the annuaire page are the services'
    soup = BeautifulSoup(record.html, "html.parser")
    weighted = {p.get_text(): p["data-pagefind-weight"] for p in soup.select("[data-pagefind-weight]")}
    assert weighted["Service pénitentiaire insertion et de probation du Cantal"] == "10"
    assert weighted["SPIP"] == "10"
    assert weighted["Aurillac"] == "4"
    assert "Accompagnement des personnes placées sous main de justice" in next(
        text for text, weight in weighted.items() if weight == "2"
    )


def test_the_services_have_an_index_of_their_own_beside_the_structures_and_pages(built_site, catalog):
    services = json.loads((built_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    others = json.loads((built_site / "pagefind" / "autres" / "pagefind-entry.json").read_text(encoding="utf-8"))
    written = len(list(DOCS.rglob("*.md")))  # every page of docs/ is indexed, none is excluded there
    forms = len(formulaires()) + 1  # a page per form and their index
    assert services["languages"]["fr"]["page_count"] == len(catalog.services)
    assert others["languages"]["fr"]["page_count"] == len(catalog.structures) + written + forms + 1  # « Données »


def test_an_extension_that_does_not_load_is_left_to_the_engine_to_report(tmp_path):
    (tmp_path / "page.md").write_text("# Une page\n\n!!! note\n    Le texte.\n", encoding="utf-8")
    records = list(page_records(tmp_path, ["admonition", "extension.inconnue"]))
    assert [r.path for r in records] == ["page/index.html"]
    assert 'class="admonition note"' in records[0].html
