"""The built site read as HTML files: home, fiches, browse pages, search index, escaping, no other host.

Each check runs on two sites: the shipped sample data (resources/) and the contract's examples with the
varied records of tests/data/site-varie (demonstration territory, stale fiche, partners, hostile text).
What a page should show is computed here from the catalog, independently of the templates.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO

from generator import referentiels
from generator.build import read_config
from generator.records.catalog import Catalog
from generator.records.horaires import horaires_en_clair
from generator.records.models import Service
from generator.referentiels import cog, freins
from generator.site.render import documents_named

REFERENTIELS = REPO / "generator" / "referentiels"

LATEST = 8
HOSTILE = "atelier-hostile"


@dataclass(frozen=True)
class Site:
    out: Path
    catalog: Catalog

    def page(self, url: str) -> BeautifulSoup:
        return _soup(self.out / url / "index.html")

    def content(self, url: str):
        article = self.page(url).select_one("article.md-content__inner")
        assert article is not None, url
        return article


@cache
def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(params=["echantillon", "varie"])
def site(request) -> Site:
    if request.param == "echantillon":
        return Site(request.getfixturevalue("built_site"), request.getfixturevalue("catalog"))
    return Site(request.getfixturevalue("varied_site"), request.getfixturevalue("varied_catalog"))


@pytest.fixture
def varied(varied_site, varied_catalog) -> Site:
    return Site(varied_site, varied_catalog)


# What the pages should say, computed from the catalog.


def bassin_keys(catalog: Catalog, service: Service) -> set[str]:
    territoire = catalog.territoire_of(service)
    return {f"{territoire.id}-{b}" for b in (service.bassins or [b.id for b in territoire.bassins])}


def all_bassins(catalog: Catalog) -> dict[str, str]:
    return {f"{t.id}-{b.id}": b.nom for t in catalog.territoires.values() for b in t.bassins}


def for_public(catalog: Catalog, public: str) -> set[str]:
    """A public's services: those naming it and, for any public but « tous-publics », those open to all."""
    return {
        s.id
        for s in catalog.services.values()
        if public in {p.value for p in s.publics} or "tous-publics" in {p.value for p in s.publics}
    }


def contact_value(catalog: Catalog, service: Service, name: str):
    own = getattr(service, name)
    return own if own is not None else getattr(catalog.structure_of(service), name)


def correction_url(kind: str, record_id: str) -> str | None:
    """The « Proposer une correction » link of mkdocs.yml; none while it is the project's example repository."""
    pattern = read_config(REPO / "mkdocs.yml")["extra"]["annuaire"]["lien_correction"]
    if pattern.startswith("https://github.com/exemple/"):
        return None
    return pattern.format(fichier=f"{kind}/{record_id}.yml")


def href(link) -> str | None:
    return link["href"] if link is not None else None


def linked(element, prefix: str) -> set[str]:
    """Ids of the records linked from `element` (hrefs « …/<prefix>/<id>/ »)."""
    found = set()
    for a in element.select("a[href]"):
        match = re.search(rf"(?:^|/){prefix}/([a-z0-9-]+)/$", a["href"])
        if match:
            found.add(match[1])
    return found


def count_text(n: int) -> str:
    return f"{n} service{'s' if n > 1 else ''}"


def text(element) -> str:
    """Visible text, one space between elements, none before a comma or a full stop."""
    return re.sub(r" ([,.])", r"\1", " ".join(element.get_text(" ").split()))


# Home.


def test_home_says_what_the_base_is_and_for_whom(site):
    intro = text(site.content(""))
    for words in ("accompagnement global", "conseiller France Travail", "travailleur social"):
        assert words in intro


def test_home_has_an_entry_per_frein_with_its_count(site):
    home = site.content("")
    empty = {text(li.select_one(".annuaire-grille-titre")): li for li in home.select("li.annuaire-grille-vide")}
    for frein in freins():
        link = home.select_one(f'a[href="freins/{frein.id}/"]')
        n = sum(frein.id in {f.value for f in s.freins} for s in site.catalog.services.values())
        if n:
            assert link is not None and text(link) == f"{frein.label} {count_text(n)}", frein.id
        else:  # said plainly, not a link to an empty page
            assert link is None and "aucun service pour l'instant" in text(empty.pop(frein.label)), frein.id
    assert empty == {}


def test_home_is_titled_with_the_site_name_once(site):
    assert site.page("").title.get_text() == read_config(REPO / "mkdocs.yml")["site_name"]


def test_home_shows_the_territories_descriptions(site):
    shown = text(site.content(""))
    for territoire in site.catalog.territoires.values():
        if territoire.description:
            assert " ".join(territoire.description.split()) in shown, territoire.id


def test_home_has_an_entry_per_bassin_with_its_count(site):
    home = site.content("")
    for key, nom in all_bassins(site.catalog).items():
        link = home.select_one(f'a[href="bassins/{key}/"]')
        assert link is not None, key
        n = sum(key in bassin_keys(site.catalog, s) for s in site.catalog.services.values())
        assert text(link) == f"{nom} {count_text(n)}"


def test_home_lists_the_latest_updates_newest_first(site):
    home = site.content("")
    heading = next(h for h in home.find_all("h2") if "Dernières mises à jour" in h.get_text())
    items = heading.find_next_sibling("ul").find_all("li")
    records = [*site.catalog.services.values(), *site.catalog.structures.values()]
    assert len(items) == min(LATEST, len(records))
    dates = [item.find("time")["datetime"] for item in items]
    assert dates == sorted(dates, reverse=True)
    if records:
        assert dates[0] == max(r.date_maj for r in records).isoformat()
        newest = {(r.folder, r.id) for r in records if r.date_maj.isoformat() == dates[0]}
        href = items[0].find("a")["href"].strip("/").split("/")
        assert (href[0], href[1]) in newest


def test_demonstration_notice_names_the_demonstration_territories(site):
    notice = site.content("").select_one(".annuaire-demo")
    demo = [t for t in site.catalog.territoires.values() if t.demonstration]
    if not demo:
        assert notice is None
        return
    assert notice is not None and "Données de démonstration" in text(notice)
    for territoire in site.catalog.territoires.values():
        assert (f"« {territoire.nom} »" in text(notice)) == territoire.demonstration


def test_a_fiche_says_demonstration_when_its_territory_is(site):
    for service in site.catalog.services.values():
        banner = site.content(f"services/{service.id}").select_one(".fiche-demo")
        assert (banner is not None) == site.catalog.territoire_of(service).demonstration, service.id


# Service fiches.


def test_every_service_has_a_complete_fiche(site):
    catalog = site.catalog
    labels = {f.id: f.label for f in freins()}
    for service in catalog.services.values():
        url = f"services/{service.id}"
        page, fiche = site.page(url), site.content(url)
        assert fiche.find("h1").get_text() == service.nom
        assert page.title.get_text().startswith(service.nom + " - ")
        structure = catalog.structure_of(service)
        assert [text(a) for a in fiche.select(".fiche-surtitre a")] == [structure.nom]
        assert linked(fiche.select_one(".fiche-surtitre"), "structures") == {structure.id}
        assert [text(a) for a in fiche.select(".fiche-freins a")] == [labels[f.value] for f in service.freins]
        for public in service.publics:
            assert public.label in text(fiche)
        assert linked(fiche.select_one(".fiche-bassins"), "bassins") == bassin_keys(catalog, service)
        assert linked(fiche.select_one(".fiche-partenaires") or fiche.new_tag("p"), "structures") == set(
            service.partenaires
        )
        phone = contact_value(catalog, service, "telephone")
        tel = fiche.select('.fiche-contact a[href^="tel:"]')
        assert len(tel) == (1 if phone else 0), service.id
        if phone:
            assert re.sub(r"\D", "", tel[0]["href"])[-9:] == re.sub(r"\D", "", phone)[-9:]
        email = contact_value(catalog, service, "courriel")
        assert [a["href"] for a in fiche.select('.fiche-contact a[href^="mailto:"]')] == (
            [f"mailto:{email}"] if email else []
        )
        correction = fiche.find("a", string="Proposer une correction")
        assert href(correction) == correction_url("services", service.id)
        checked = fiche.select_one(".fiche-verification time")
        assert checked["datetime"] == service.date_maj.isoformat()
        stale = fiche.select_one(".badge-a-verifier")
        assert (stale is not None) == catalog.is_stale(service), service.id


def test_a_service_fiche_says_everything_in_words(varied):
    fiche = text(varied.content("services/atelier-budget-villeurbanne"))
    for words in [
        "Budget, difficultés financières",
        "Numérique",  # freins
        "Améliorer sa gestion budgétaire",  # thématique
        "Bénéficiaires des minimas sociaux",
        "Jeunes",
        "Allocataires du RSA accompagnés par un binôme.",
        "Conditions d'accès Inscription préalable par le conseiller ou le travailleur social.",
        "Coût Payant : 2 € par séance, gratuit pour les allocataires du RSA.",
        "Comment par courriel, en se présentant sur place",
        "Qui peut orienter les professionnels",
        "Précisions Joindre la fiche de demande de premier rendez-vous au courriel.",
        "Téléphone 04 72 00 00 01",
        "Adresse 3 rue de l'Essai 69100 Villeurbanne",
        "Horaires d'accueil Le jeudi : 14 h – 16 h 30",
        "Tout le territoire (Rhône) : Bassin de Lyon, Bassin de Villeurbanne, Bassin de Villefranche-sur-Saône",
        "Partenaires Secours populaire, fédération du Rhône",
        "Fiche vérifiée le 1er juin 2025 À vérifier : non vérifiée depuis",
    ]:
        assert words in fiche
    example = text(varied.content("services/point-conseil-budget-aurillac"))
    assert "Horaires d'accueil Du lundi au vendredi : 9 h – 12 h, 13 h 30 – 17 h Fermé les jours fériés" in example
    assert "Comment par téléphone, par courriel" in example
    assert "Bassins d'emploi desservis Bassin d'Aurillac" in example
    assert "À vérifier" not in example


@pytest.mark.parametrize(
    ("osm", "words"),
    [
        (
            "Mo-Fr sunrise-sunset; PH off",
            ["Du lundi au vendredi : du lever au coucher du soleil", "Fermé les jours fériés"],
        ),
        ("Sa 08:00-sunset", ["Le samedi : de 8 h au coucher du soleil"]),
        ("Mo-Fr 08:00-12:00,14:00-sunset", ["Du lundi au vendredi : 8 h – 12 h, de 14 h au coucher du soleil"]),
        ("Su sunrise-12:30", ["Le dimanche : du lever du soleil à 12 h 30"]),
        ("Mo-Su dawn-dusk", ["Du lundi au dimanche : de l'aube au crépuscule"]),
        ("Mo-Fr 09:00-(sunset-00:30)", ["Du lundi au vendredi : de 9 h à 30 min avant le coucher du soleil"]),
        ("Tu,Th 14:00-17:00; PH off", ["Le mardi et le jeudi : 14 h – 17 h", "Fermé les jours fériés"]),
    ],
)
def test_hours_that_follow_the_sun_are_said_in_words(osm, words):
    assert horaires_en_clair(osm) == words


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Envoyer la fiche de prescription par courriel.", ["diagnostic-partage"]),
        ("Envoyer la Fiche de liaison ; le diagnostic partagé convient aussi.", ["diagnostic-partage"]),
        ("Joindre la fiche-navette à la demande de premier RDV.", ["fiche-navette", "demande-premier-rdv"]),
        ("Le formulaire Cerfa n° 15692, puis la fiche de sortie.", ["cerfa", "fiche-de-sortie"]),
        ("Appeler le secrétariat ; apporter un justificatif de domicile.", []),
        ("Une fiche de liaisons téléphoniques.", []),  # whole words only
        ("Aucune fiche de liaison n'est transmise sans son accord.", []),
        ("Aucune fiche de diagnostic partagé, le CERFA seul.", ["cerfa"]),
        ("Sans fiche navette, envoyer la fiche de liaison.", ["diagnostic-partage"]),
        ("Pas d'autre formulaire que la fiche de liaison.", ["diagnostic-partage"]),
    ],
)
def test_documents_named_in_a_mobilisation_text(text, named):
    assert [document.id for document in documents_named(text)] == named


def test_documents_may_only_point_to_annex_forms_the_site_has(tmp_path, monkeypatch):
    for name in ("documents.yml", "formulaires.yml"):
        (tmp_path / name).write_text((REFERENTIELS / name).read_text(encoding="utf-8"), encoding="utf-8")
    with (tmp_path / "documents.yml").open("a", encoding="utf-8") as file:
        file.write("  - {id: bilan, titre: Bilan, noms: [bilan], fiches: [bilan-de-fin]}\n")
    monkeypatch.setattr(referentiels, "_HERE", tmp_path)
    referentiels.documents.cache_clear()
    referentiels._documents_file.cache_clear()
    try:
        with pytest.raises(
            referentiels.ReferentielError, match="fiches annexes inconnues de formulaires.yml : bilan-de-fin"
        ):
            referentiels.documents()
    finally:
        referentiels.documents.cache_clear()
        referentiels._documents_file.cache_clear()


# Structure fiches and browse pages.


def test_every_structure_has_a_fiche_listing_its_services(site):
    catalog = site.catalog
    for structure in catalog.structures.values():
        fiche = site.content(f"structures/{structure.id}")
        assert fiche.find("h1").get_text().startswith(structure.nom)
        assert linked(fiche, "services") == {s.id for s in catalog.services.values() if s.structure == structure.id}
        if structure.telephone:
            assert fiche.select_one('.fiche-contact a[href^="tel:"]') is not None
        if structure.courriel:
            assert fiche.select_one(f'.fiche-contact a[href="mailto:{structure.courriel}"]') is not None
        correction = fiche.find("a", string="Proposer une correction")
        assert href(correction) == correction_url("structures", structure.id)
        assert (fiche.select_one(".badge-a-verifier") is not None) == catalog.is_stale(structure), structure.id


def test_structures_page_lists_every_structure(site):
    assert linked(site.content("structures"), "structures") == set(site.catalog.structures)


def test_each_frein_and_bassin_page_lists_exactly_its_services(site):
    catalog = site.catalog
    bassins = all_bassins(catalog)
    for frein in freins():
        frein_page = site.content(f"freins/{frein.id}")
        for key in bassins:
            expected = {
                s.id
                for s in catalog.services.values()
                if frein.id in {f.value for f in s.freins} and key in bassin_keys(catalog, s)
            }
            link = frein_page.select_one(f'a[href$="/freins/{frein.id}/{key}/"]')
            assert link is not None and text(link).endswith(count_text(len(expected))), (frein.id, key)
            bassin_link = site.content(f"bassins/{key}").select_one(f'a[href$="/freins/{frein.id}/{key}/"]')
            assert bassin_link is not None and text(bassin_link).endswith(count_text(len(expected)))
            listing = site.content(f"freins/{frein.id}/{key}").select_one(".annuaire-parcours")
            assert linked(listing, "services") == expected, (frein.id, key)


# Numbers as a list shows them, the service's own else its structure's: resources/, then tests/data/.
LISTED_PHONES = {
    "cafe-sante": ("04 65 71 11 81", "tel:+33-4-65-71-11-81"),  # its own
    "acces-associations-caritatives": ("04 65 71 11 50", "tel:+33-4-65-71-11-50"),  # france-travail-aurillac's
    "permis-solidaire-villefranche": ("04 74 00 00 03", "tel:+33-4-74-00-00-03"),  # its own
    "epicerie-solidaire-lyon": ("04 78 00 00 02", "tel:+33-4-78-00-00-02"),  # secours-populaire-rhone's
}


def test_browse_lists_give_the_number_to_call(site):
    catalog = site.catalog
    shown = {}
    for public in {p.value for s in catalog.services.values() for p in s.publics}:
        for item in site.content(f"publics/{public}").select(".annuaire-liste > li"):
            service_id = item.select_one('a[href*="/services/"]')["href"].rstrip("/").rsplit("/", 1)[1]
            tel = item.select_one("a.annuaire-item-telephone")
            shown[service_id] = (text(tel), tel["href"]) if tel is not None else None
    known = sorted(LISTED_PHONES.keys() & shown.keys())
    assert len(known) == 2
    for service_id in known:
        assert shown[service_id] == LISTED_PHONES[service_id]
    for service_id, phone in shown.items():
        service = catalog.services[service_id]
        typed = service.telephone or catalog.structure_of(service).telephone
        if typed is None:
            assert phone is None, service_id
            continue
        # A French number shows as « 0X XX XX XX XX » and links to its international form.
        assert phone is not None and re.fullmatch(r"0[1-9]( [0-9]{2}){4}", phone[0]), (service_id, phone)
        assert phone[0].replace(" ", "") == re.sub(r"[^0-9]", "", typed), service_id
        assert phone[1] == "tel:+33-" + phone[0][1:].replace(" ", "-"), service_id


def test_each_public_page_lists_its_services_and_those_open_to_all(site):
    catalog = site.catalog
    publics = {p.value for s in catalog.services.values() for p in s.publics}
    index = site.content("publics")
    assert linked(index, "publics") == publics
    for public in publics:
        assert linked(site.content(f"publics/{public}"), "services") == for_public(catalog, public), public


def test_filter_index_has_one_row_per_service(site):
    data = json.loads((site.out / "assets" / "annuaire.json").read_text(encoding="utf-8"))
    assert sorted(row[0] for row in data["services"]) == sorted(site.catalog.services)
    assert [f[0] for f in data["freins"]] == [f.id for f in freins()]


# Search.


def test_search_index_has_every_service_and_every_commune_of_the_territoires(site):
    entry = json.loads((site.out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["fr"]
    assert entry["languages"]["fr"]["page_count"] == len(site.catalog.services)
    communes = dict(json.loads((site.out / "pagefind" / "communes.json").read_text(encoding="utf-8"))["communes"])
    for territoire in site.catalog.territoires.values():
        for bassin in territoire.bassins:
            for code in bassin.communes:  # every commune the territoire lists, by its COG name
                assert f"{territoire.id}-{bassin.id}" in communes[cog.communes()[code].nom], code
    assert not (site.out / "search" / "search_index.json").exists()  # Material's whole index is gone


# Record text is data.


def test_hostile_record_text_reaches_pages_as_text(varied):
    fiche = varied.content(f"services/{HOSTILE}")
    nom = varied.catalog.services[HOSTILE].nom
    assert fiche.find("h1").get_text() == nom
    assert varied.page(f"services/{HOSTILE}").title.get_text().startswith(nom)
    shown = text(fiche)
    assert 'Texte <script>window.__pwned=1</script> et <img src=x onerror="window.__pwned=1">' in shown
    assert "[un lien piégé](javascript:window.__pwned=1) et {{ jinja }} {% raw %}." in shown
    assert "Écrire <script>window.__pwned=1</script> <img src=x onerror=window.__pwned=1>" in shown
    description = fiche.select_one(".fiche-description")
    assert [e.name for e in description.find_all(True)] == ["p", "ul", "li", "em", "li", "a"]
    assert description.find("a")["href"] == "https://atelier.example.org/"


def test_descriptions_keep_their_small_markdown_subset(varied):
    description = varied.content("services/atelier-budget-villeurbanne").select_one(".fiche-description")
    assert [e.name for e in description.find_all(True)] == ["p", "em", "ul", "li", "li", "p", "a"]
    assert description.find("a")["href"] == "https://ccas-villeurbanne.example.org/atelier"
    structure = varied.content("structures/ccas-villeurbanne").select_one(".fiche-description")
    assert structure.find("strong").get_text() == "accompagnement budgétaire"


def built_files(out: Path, *suffixes: str):
    return [p for p in out.rglob("*") if p.suffix in suffixes and p.is_file()]


def test_no_markup_from_a_record_reaches_any_page(varied):
    pages = built_files(varied.out, ".html")
    assert len(pages) > 20
    for path in pages:
        soup = _soup(path)
        assert not [s for s in soup.find_all("script") if "__pwned" in s.get_text()], path
        assert not soup.find_all("img", src="x"), path
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                assert not (name.startswith("on") and "__pwned" in str(value)), (path, tag)
            assert not str(tag.get("href", "")).strip().lower().startswith("javascript:"), (path, tag)


# Nothing loaded from another host.

REMOTE = r"(?:https?:)?//[^/'\"\s)]"
CSS_REMOTE = [
    re.compile(rf"url\(\s*['\"]?\s*{REMOTE}", re.I),
    re.compile(rf"@import\s+(?:url\()?\s*['\"]?\s*{REMOTE}", re.I),
]
JS_REMOTE = [
    re.compile(rf"\b(?:fetch|importScripts|import|XMLHttpRequest\(\)\.open)\(\s*['\"`]\s*{REMOTE}"),
    re.compile(rf"\.src\s*=\s*['\"`]{REMOTE}"),
    *CSS_REMOTE,
]
LOADING_ATTRIBUTES = ("src", "href", "srcset", "data", "poster", "action", "formaction", "xlink:href")


def remote_loads(path: Path) -> list[str]:
    content = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".css":
        return [m.group(0) for pattern in CSS_REMOTE for m in pattern.finditer(content)]
    if path.suffix in (".js", ".mjs"):
        return [m.group(0) for pattern in JS_REMOTE for m in pattern.finditer(content)]
    found = []
    for tag in _soup(path).find_all(True):
        if tag.name == "a":  # a link the reader may follow (a partner's web site) loads nothing
            continue
        if tag.name == "link" and "canonical" in tag.get("rel", []):  # the page's own address (site_url)
            continue
        for name in LOADING_ATTRIBUTES:
            if re.match(REMOTE, str(tag.get(name, "")).strip()):
                found.append(f"<{tag.name} {name}={tag[name]}>")
        style = (tag.get("style") or "") + (tag.get_text() if tag.name == "style" else "")
        found += [m.group(0) for pattern in CSS_REMOTE for m in pattern.finditer(style)]
        if tag.name == "script":
            found += [m.group(0) for pattern in JS_REMOTE for m in pattern.finditer(tag.get_text())]
    return found


def test_nothing_is_loaded_from_another_host(site):
    files = built_files(site.out, ".html", ".css", ".js", ".mjs")
    assert any(p.suffix == ".css" for p in files) and any(p.suffix == ".js" for p in files)
    problems = {str(p.relative_to(site.out)): found for p in files if (found := remote_loads(p))}
    assert problems == {}


def test_the_remote_scan_sees_remote_loads(tmp_path):
    """The scan itself: each way of loading from another host is caught, a link to a web site is not."""
    samples = {
        "a.html": '<script src="https://cdn.example.org/x.js"></script>',
        "b.html": '<link rel="stylesheet" href="//fonts.example.org/css">',
        "c.html": '<div style="background: url(https://img.example.org/a.png)"></div>',
        "d.css": '@import "https://fonts.example.org/css";',
        "e.js": 'fetch("https://api.example.org/x")',
    }
    for name, content in samples.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
        assert remote_loads(tmp_path / name), name
    (tmp_path / "ok.html").write_text(
        '<link rel="canonical" href="https://base.example.org/a/">'
        '<a href="https://udaf.example.org">site</a><img src="../x.png">',
        encoding="utf-8",
    )
    assert remote_loads(tmp_path / "ok.html") == []


def test_an_imported_description_renders_its_markdown_under_the_fiche_title(varied):
    fiche = varied.content("services/permis-solidaire-villefranche")
    description = fiche.select_one(".fiche-description")
    assert [e.name for e in description.find_all(True)] == ["h3", "p", "br", "h3", "ul", "li"]
    assert [h.get_text() for h in description.find_all("h3")] == ["Objectif", "Pour qui"]
    assert "###" not in text(fiche) and "<br>" not in text(fiche)
    link = fiche.select_one('.fiche-orienter a[href="https://permis.example.org/inscription"]')
    assert link is not None and link.get_text() == "https://permis.example.org/inscription"


def test_an_imported_record_is_published_under_its_original_id(varied):
    services = json.loads((varied.out / "donnees" / "services.json").read_text(encoding="utf-8"))
    permis = next(s for s in services if s["nom"] == "Permis solidaire")
    assert (permis["source"], permis["id"]) == ("dora", "dora--permis-7e87aef9")
    assert permis["lien_source"] == "https://dora.example.org/services/permis-7e87aef9"
    assert permis["zone_eligibilite"] == ["69264"]
