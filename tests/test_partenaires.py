"""The routes a partner without a forge account has: the « Signaler une erreur / proposer une ressource »
e-mail of each fiche and of the site's « signaler » page, to the address the territory sets in mkdocs.yml."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import EXAMPLE_RECORDS, REPO, load, run_cli

from generator.build import read_config, settings_from
from generator.contrib.guide import END, START
from generator.referentiels import freins
from generator.site.page import SiteSettings
from generator.site.render import PageWriter, site_pages

CONFIG = read_config(REPO / "mkdocs.yml")


def pages(settings: SiteSettings) -> dict[str, BeautifulSoup]:
    """The pages the engine builds and the fiches stamped into their shell, by path."""
    catalog = load(EXAMPLE_RECORDS)
    writer = PageWriter(catalog, settings)
    fiches = [writer.fiche(record) for record in [*catalog.services.values(), *catalog.structures.values()]]
    return {
        **{page.path: BeautifulSoup(page.content, "html.parser") for page in site_pages(catalog, settings)},
        **{fiche.path: BeautifulSoup(fiche.body, "html.parser") for fiche in fiches},
    }


def mail(href: str) -> tuple[str, str, str]:
    parts = urlsplit(href)
    query = parse_qs(parts.query)
    return unquote(parts.path), query["subject"][0], query["body"][0]


def test_each_fiche_offers_a_prefilled_email_to_the_territory_team():
    site = pages(SiteSettings(site_name="Annuaire", annuaire={"courriel_contact": "annuaire@cantal.example.org"}))
    link = site["services/point-conseil-budget-aurillac/index.html"].select_one("a.annuaire-signaler")
    assert link.get_text() == "Signaler une erreur / proposer une ressource"
    address, subject, body = mail(link["href"])
    assert link["href"].startswith("mailto:annuaire@cantal.example.org?subject=Annuaire%20%3A%20Point%20conseil")
    assert (address, subject) == ("annuaire@cantal.example.org", "Annuaire : Point conseil budget")
    assert body.splitlines()[0] == "Fiche : Point conseil budget (services/point-conseil-budget-aurillac.yml)"
    assert "N'écrivez rien sur une personne accompagnée." in body
    structure = site["structures/udaf-cantal/index.html"].select_one("a.annuaire-signaler")
    assert mail(structure["href"])[2].startswith("Fiche : Union départementale des associations familiales du Cantal")
    page = site["signaler.md"].select_one("a.annuaire-signaler")
    assert mail(page["href"])[:2] == (
        "annuaire@cantal.example.org",
        "Annuaire : signaler une erreur ou proposer une ressource",
    )


def test_without_an_address_there_is_no_email_link():
    site = pages(SiteSettings(site_name="Annuaire"))
    assert "signaler.md" not in site
    assert not any(soup.select("a.annuaire-signaler") for soup in site.values())


def test_the_address_comes_from_mkdocs_yml_and_the_issue_chooser_leads_to_it():
    territory = {**CONFIG, "extra": {"annuaire": {"courriel_contact": "annuaire@cantal.example.org"}}}
    assert settings_from(territory).contact_email == "annuaire@cantal.example.org"
    # The example address shipped in mkdocs.yml is no one's: no link until the territory sets its own.
    assert CONFIG["extra"]["annuaire"]["courriel_contact"] == "annuaire@exemple.org"
    assert settings_from(CONFIG).contact_email is None
    chooser = yaml.safe_load((REPO / ".github" / "ISSUE_TEMPLATE" / "config.yml").read_text(encoding="utf-8"))
    link = chooser["contact_links"][0]
    assert link["url"].endswith("/signaler/")
    assert "sans compte" in link["name"]


# --- CONTRIBUTING.md and the pull request templates -------------------------------------------------------

GUIDE = REPO / "CONTRIBUTING.md"


def test_the_guide_lists_the_values_of_the_referentiels_as_generated(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    assert run_cli("guide", "--check").code == 0
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index(START) : text.index(END)]
    for frein in freins():
        assert f"| `{frein.id}` | {frein.label} |" in section
    assert "| `aide-materielle` | Aide matérielle — " in section
    # The bassins of the repository's own territories (the demonstration's, or a territory's after init).
    bassins = [
        b for t in (REPO / "resources" / "territoires").glob("*.yml") for b in yaml.safe_load(t.read_text())["bassins"]
    ]
    assert bassins and all(f"| `{b['id']}` | {b['nom']} |" in section for b in bassins)
    # A value edited by hand is caught, and `annuaire guide` writes it back.
    drifted = tmp_path / "CONTRIBUTING.md"
    drifted.write_text(text.replace("| `mobilite` | Mobilité |", "| `mobilite` | Transport |"), encoding="utf-8")
    run = run_cli("guide", "--check", "--fichier", drifted)
    assert (run.code, run.out) == (
        1,
        f"« {drifted} » n'est plus à jour (valeurs des listes) : lancez « make contributing ».\n",
    )
    assert run_cli("guide", "--fichier", drifted).code == 0
    assert drifted.read_text(encoding="utf-8") == text


def test_the_create_link_opens_githubs_new_file_page_with_the_commented_skeleton():
    """The demonstration's forge, or a territory's after `annuaire init` (this suite runs in its clone too)."""
    text = GUIDE.read_text(encoding="utf-8")
    correction = settings_from(read_config()).annuaire.lien_correction or ""
    if "github.com" not in correction:  # GitLab's new-file page is not filled from its address: no such link
        assert "[Créer une fiche de service]" not in text
        return
    link = re.search(r"\[Créer une fiche de service\]\((\S+)\)", text).group(1)
    parts = urlsplit(link)
    assert parts.netloc == "github.com"
    repository = urlsplit(correction).path.split("/edit/")[0]  # « /exemple/base-ressources-sociales »
    assert parts.path == f"{repository}/new/main/resources/services"
    query = parse_qs(parts.query)
    assert query["filename"] == ["nouveau-service.yml"]
    skeleton = query["value"][0]
    assert skeleton.startswith("# Nouvelle fiche de service.")
    assert yaml.safe_load(skeleton)["freins"] == ["besoins-essentiels"]


@pytest.mark.parametrize(
    "template",
    [REPO / ".github" / "PULL_REQUEST_TEMPLATE.md", REPO / ".gitlab" / "merge_request_templates" / "Default.md"],
    ids=["github", "gitlab"],
)
def test_the_pull_request_template_asks_about_a_removal_and_nothing_before_ci_has_run(template):
    text = template.read_text(encoding="utf-8")
    boxes = re.findall(r"^- \[ \] (.+)$", text, re.MULTILINE)
    assert boxes and not any("vert" in box or "pipeline" in box or "vérification" in box for box in boxes)
    assert "## Une fiche est retirée ?" in text
