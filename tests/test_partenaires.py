"""The routes a partner without a forge account has: the « Signaler une erreur / proposer une ressource »
e-mail of each fiche and of the site's « signaler » page, to the address the territory sets in mkdocs.yml."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import yaml
from bs4 import BeautifulSoup
from conftest import EXAMPLE_RECORDS, REPO, load

from generator.build import read_config, settings_from
from generator.site.page import SiteSettings
from generator.site.render import site_pages

CONFIG = read_config(REPO / "mkdocs.yml")


def pages(settings: SiteSettings) -> dict[str, BeautifulSoup]:
    return {page.path: BeautifulSoup(page.content, "html.parser") for page in site_pages(load(EXAMPLE_RECORDS), settings)}


def mail(href: str) -> tuple[str, str, str]:
    parts = urlsplit(href)
    query = parse_qs(parts.query)
    return unquote(parts.path), query["subject"][0], query["body"][0]


def test_each_fiche_offers_a_prefilled_email_to_the_territory_team():
    site = pages(SiteSettings("Annuaire", contact_email="annuaire@cantal.example.org"))
    link = site["services/point-conseil-budget-aurillac.md"].select_one("a.annuaire-signaler")
    assert link.get_text() == "Signaler une erreur / proposer une ressource"
    address, subject, body = mail(link["href"])
    assert link["href"].startswith("mailto:annuaire@cantal.example.org?subject=Annuaire%20%3A%20Point%20conseil")
    assert (address, subject) == ("annuaire@cantal.example.org", "Annuaire : Point conseil budget")
    assert body.splitlines()[0] == "Fiche : Point conseil budget (services/point-conseil-budget-aurillac.yml)"
    assert "N'écrivez rien sur une personne accompagnée." in body
    structure = site["structures/udaf-cantal.md"].select_one("a.annuaire-signaler")
    assert mail(structure["href"])[2].startswith("Fiche : Union départementale des associations familiales du Cantal")
    page = site["signaler.md"].select_one("a.annuaire-signaler")
    assert mail(page["href"])[:2] == (
        "annuaire@cantal.example.org",
        "Annuaire : signaler une erreur ou proposer une ressource",
    )


def test_without_an_address_there_is_no_email_link():
    site = pages(SiteSettings("Annuaire"))
    assert "signaler.md" not in site
    assert not any(soup.select("a.annuaire-signaler") for soup in site.values())


def test_the_address_comes_from_mkdocs_yml_and_the_issue_chooser_leads_to_it():
    assert settings_from(CONFIG).contact_email == CONFIG["extra"]["annuaire"]["courriel_contact"]
    chooser = yaml.safe_load((REPO / ".github" / "ISSUE_TEMPLATE" / "config.yml").read_text(encoding="utf-8"))
    link = chooser["contact_links"][0]
    assert link["url"].endswith("/signaler/")
    assert "sans compte" in link["name"]
