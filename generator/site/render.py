"""The directory's pages: jinja2 templates of site_templates/ rendered into Markdown files.

Every record value reaches a page through jinja2's autoescape (or the sanitised Markdown subset of
`richtext`), inside raw HTML blocks that the Markdown engine passes through untouched.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from html import escape
from urllib.parse import urlencode

import jinja2
from data_inclusion.schema import v1 as di

from generator.records.catalog import Catalog, bassin_key
from generator.records.fields import format_telephone, telephone_uri
from generator.records.french import date_fr, plain_words, plural
from generator.records.horaires import horaires_en_clair, uses_sun
from generator.records.models import Service, Structure, Territoire, place_of
from generator.referentiels import Document, Frein, document_negations, documents, freins
from generator.referentiels.cog import departements
from generator.site.page import (
    PROJECT_ROOT,
    SIGNALEMENT_BODY,
    SIGNALEMENT_SUBJECT,
    Fiche,
    Page,
    SiteSettings,
    front_matter,
    mailto,
    root_prefix,
)
from generator.site.qrcode import qr_svg
from generator.site.richtext import markdown_to_html, plain_text

TEMPLATES = PROJECT_ROOT / "site_templates"
LATEST_UPDATES = 8
# Where the sun rises for hours that follow it when neither the place nor its territory has coordinates.
FRANCE_CENTRE = (46.6, 1.9)

MOBILISATION_WORDS = {
    "telephoner": "par téléphone",
    "envoyer-un-courriel": "par courriel",
    "se-presenter": "en se présentant sur place",
    "utiliser-lien-mobilisation": "en ligne",
}


@dataclass(frozen=True)
class BassinRef:
    """A bassin in its territory; `key` names its pages (« cantal-aurillac »)."""

    territoire: Territoire
    id: str
    nom: str

    @property
    def key(self) -> str:
        return bassin_key(self.territoire.id, self.id)


@dataclass
class Contact:
    """The address, phone, e-mail and hours a person should use: the service's, else its structure's."""

    adresse: str | None
    complement_adresse: str | None
    code_postal: str | None
    commune: str | None
    telephone: str | None
    courriel: str | None
    site_web: str | None
    horaires: str | None
    latitude: float | None
    longitude: float | None

    @classmethod
    def of(cls, record: Service | Structure, structure: Structure | None = None) -> Contact:
        """A structure's own contact, or a service's with what it inherits from `structure`."""
        place = (
            place_of(record, structure)
            if isinstance(record, Service) and structure is not None
            else record.model_dump()
        )
        return cls(
            adresse=place["adresse"],
            complement_adresse=place["complement_adresse"],
            code_postal=place["code_postal"],
            commune=place["commune"],
            telephone=place["telephone"],
            courriel=place["courriel"],
            site_web=place["site_web"],
            horaires=place["horaires_accueil"],
            latitude=place["latitude"],
            longitude=place["longitude"],
        )

    # Cached: templates read each of them twice (to test, then to show), and parsing is not cheap.
    @cached_property
    def telephone_affiche(self) -> str | None:
        return format_telephone(self.telephone) if self.telephone else None

    @cached_property
    def telephone_lien(self) -> str | None:
        return telephone_uri(self.telephone) if self.telephone else None

    @cached_property
    def horaires_lignes(self) -> list[str]:
        return horaires_en_clair(self.horaires) if self.horaires else []

    @property
    def itineraire(self) -> str | None:
        """OpenStreetMap's route planner with the place as destination: a link, nothing loaded by the page."""
        if self.latitude is None or self.longitude is None:
            return None
        return f"https://www.openstreetmap.org/directions?route=%3B{self.latitude}%2C{self.longitude}"


class Directory:
    """The catalog seen by the pages: indexes by frein, bassin, public and structure."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.freins: tuple[Frein, ...] = freins()
        self.bassins: list[BassinRef] = [
            BassinRef(t, b.id, b.nom)
            for t in sorted(catalog.territoires.values(), key=lambda t: t.nom)
            for b in t.bassins
        ]
        self.services = sorted(catalog.services.values(), key=lambda s: (s.nom.casefold(), s.id))
        self.structures = sorted(catalog.structures.values(), key=lambda s: (s.nom.casefold(), s.id))
        self._contacts: dict[str, Contact] = {}

    def contact_of(self, service: Service) -> Contact:
        """A service's contact with what it inherits from its structure; one per service, as a service shows
        in several lists and its number is formatted once."""
        if service.id not in self._contacts:
            self._contacts[service.id] = Contact.of(service, self.catalog.structure_of(service))
        return self._contacts[service.id]

    @cached_property
    def _bassin_by_key(self) -> dict[tuple[str, str], BassinRef]:
        return {(b.territoire.id, b.id): b for b in self.bassins}

    def departement_of(self, record: Service | Structure) -> str:
        """The name of the record's département (« Moselle »), whose own public holidays the hours follow."""
        return departements().get(self.catalog.territoire_of(record).departement, "")

    @cached_property
    def territory_centres(self) -> dict[str, tuple[float, float]]:
        """Each territory's centre: the mean of the coordinates its structures and services give."""
        points: dict[str, list[tuple[float, float]]] = defaultdict(list)
        records: list[Service | Structure] = [*self.catalog.structures.values(), *self.catalog.services.values()]
        for record in records:
            if record.latitude is not None and record.longitude is not None:
                points[self.catalog.territoire_of(record).id].append((record.latitude, record.longitude))
        return {
            territoire: (sum(p[0] for p in found) / len(found), sum(p[1] for p in found) / len(found))
            for territoire, found in points.items()
        }

    def sun_position(self, record: Service | Structure, contact: Contact) -> str:
        """« latitude,longitude » for hours that follow the sun (« Mo-Fr sunrise-sunset »), empty for the others:
        the place's own coordinates, else its territory's centre, else France's."""
        if not contact.horaires or not uses_sun(contact.horaires):
            return ""
        if contact.latitude is not None and contact.longitude is not None:
            latitude, longitude = contact.latitude, contact.longitude
        else:
            centre = self.territory_centres.get(self.catalog.territoire_of(record).id, FRANCE_CENTRE)
            latitude, longitude = round(centre[0], 4), round(centre[1], 4)
        return f"{latitude},{longitude}"

    def bassins_of(self, service: Service) -> list[BassinRef]:
        territoire = self.catalog.territoire_of(service)
        return [self._bassin_by_key[(territoire.id, b)] for b in self.catalog.bassins_of(service)]

    def _group(self, keys: Callable[[Service], Iterable[str]]) -> dict[str, list[Service]]:
        index: dict[str, list[Service]] = defaultdict(list)
        for service in self.services:
            for key in keys(service):
                index[key].append(service)
        return index

    @cached_property
    def by_frein(self) -> dict[str, list[Service]]:
        return self._group(lambda service: (frein.value for frein in service.freins))

    @cached_property
    def by_bassin(self) -> dict[str, list[Service]]:
        return self._group(lambda service: (bassin.key for bassin in self.bassins_of(service)))

    @cached_property
    def by_public(self) -> dict[str, list[Service]]:
        return self._group(lambda service: (public.value for public in service.publics))

    def for_public(self, public: str) -> list[Service]:
        """Services for a public, those open to every public included (they serve it too)."""
        if public == di.Public.TOUS_PUBLICS.value:
            return self.by_public.get(public, [])
        explicit = {id(s) for s in self.by_public.get(public, [])}
        everyone = {id(s) for s in self.by_public.get(di.Public.TOUS_PUBLICS.value, [])}
        return [s for s in self.services if id(s) in explicit or id(s) in everyone]

    def for_public_by_frein(self, public: str) -> dict[str, list[Service]]:
        """The services of `for_public` under each of their freins (one pass: a filter per frein in the template
        read every service ten times)."""
        groups: dict[str, list[Service]] = {frein.id: [] for frein in self.freins}
        for service in self.for_public(public):
            for frein in service.freins:
                groups.setdefault(frein.value, []).append(service)
        return groups

    @cached_property
    def publics(self) -> list[di.Public]:
        return [p for p in di.Public if p.value in self.by_public]

    @cached_property
    def _by_frein_bassin(self) -> dict[str, list[Service]]:
        return self._group(
            lambda service: (f"{f.value} {b.key}" for f in service.freins for b in self.bassins_of(service))
        )

    def map_points(self, bassin_key: str) -> list[list]:
        """The bassin's services that have coordinates, for its map: [latitude, longitude, name, fiche]."""
        points = []
        for service in self.by_bassin.get(bassin_key, []):
            contact = self.contact_of(service)
            if contact.latitude is not None and contact.longitude is not None:
                points.append([contact.latitude, contact.longitude, service.nom, f"services/{service.id}/"])
        return points

    def frein_bassin(self, frein: str, bassin_key: str) -> list[Service]:
        return self._by_frein_bassin.get(f"{frein} {bassin_key}", [])

    def latest(self) -> list[Service | Structure]:
        records: list[Service | Structure] = [*self.catalog.services.values(), *self.catalog.structures.values()]
        return sorted(records, key=lambda r: (r.date_maj, r.nom), reverse=True)[:LATEST_UPDATES]


# A browse page lists at most this many services (or the quality page this many fiches): beyond, nobody reads a
# list to the end, and a regional or national base would make pages of megabytes. The rest is one click away,
# in the annuaire with the same filters (or in the quality file).
LIST_LIMIT = 100


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["richtext"] = lambda text: jinja2.utils.markupsafe.Markup(markdown_to_html(text))
    env.filters["date_fr"] = date_fr
    env.filters["plural"] = plural
    env.filters["mois"] = lambda months: f"{months} mois"
    env.globals["mobilisation_words"] = MOBILISATION_WORDS
    env.globals["list_limit"] = LIST_LIMIT
    return env


class PageWriter:
    def __init__(self, catalog: Catalog, settings: SiteSettings):
        self.catalog = catalog
        self.directory = Directory(catalog)
        self.settings = settings
        self.env = _environment()
        self.demonstration = [t for t in catalog.territoires.values() if t.demonstration]

    def page(
        self,
        path: str,
        template: str,
        title: str | None,
        *,
        search: bool = True,
        hide: tuple[str, ...] = (),
        description: str | None = None,
        **context,
    ) -> Page:
        # Material prints title and description without escaping them: they are escaped here, once.
        meta: dict = {"title": escape(title)} if title else {}
        if description:
            meta["description"] = escape(description[:300])
        if hide:
            meta["hide"] = list(hide)
        if not search:
            meta["search"] = {"exclude": True}
        body = self.env.get_template(template).render(
            root=root_prefix(path),
            d=self.directory,
            catalog=self.catalog,
            settings=self.settings,
            demonstration=self.demonstration,
            **context,
        )
        return Page(path, front_matter(**meta) + body)

    def fiche(self, record: Service | Structure) -> Fiche:
        """A record's page content, for the shell of its kind (see generator/site/stamp.py)."""
        if isinstance(record, Service):
            folder, template, context = "services", "service.md.j2", self.service_context(record)
        else:
            folder, template, context = "structures", "structure.md.j2", self.structure_context(record)
        body = self.env.get_template(template).render(
            root=root_prefix(f"{folder}/{record.id}.md"),
            d=self.directory,
            catalog=self.catalog,
            settings=self.settings,
            demonstration=self.demonstration,
            **context,
        )
        return Fiche(
            folder=folder,
            id=record.id,
            title=escape(record.nom),
            description=escape(plain_text(record.description)[:300]),
            body=body,
            date_maj=record.date_maj.isoformat(),
        )

    def printed(self, path: str) -> dict:
        """What the printed fiche adds: its public address and a QR code to it, when the site's address is set."""
        url = self.settings.url_of(path)
        return {"page_url": url, "qr": jinja2.utils.markupsafe.Markup(qr_svg(url)) if url else None}

    def service_context(self, service: Service) -> dict:
        structure = self.catalog.structure_of(service)
        contact = self.directory.contact_of(service)
        # « Orienter » opens a referral form with the service's details filled in (read by orienter.js).
        orienter = {
            "service": service.nom,
            "structure": structure.nom,
            "telephone": contact.telephone_affiche or "",
            "courriel": contact.courriel or "",
        }
        return {
            **self.printed(f"services/{service.id}/"),
            "orienter": urlencode({k: v for k, v in orienter.items() if v}),
            "documents": documents_named(service.mobilisation_precisions),
            "departement": self.directory.departement_of(service),
            "sun_position": self.directory.sun_position(service, contact),
            "service": service,
            "structure": structure,
            "contact": contact,
            "bassins": self.directory.bassins_of(service),
            "whole_territory": not service.bassins,
            "territoire": self.catalog.territoire_of(service),
            "partenaires": [self.catalog.structures[p] for p in service.partenaires],
            "labels": {f.id: f.label for f in self.directory.freins},
            "stale": self.catalog.is_stale(service),
            "months": self.catalog.months_since_check(service),
            "correction": self.settings.correction_link(self.catalog.source(service).relative),
            "signalement": self.settings.report_link(service.nom, self.catalog.source(service).relative),
        }

    def structure_context(self, structure: Structure) -> dict:
        contact = Contact.of(structure)
        return {
            **self.printed(f"structures/{structure.id}/"),
            "departement": self.directory.departement_of(structure),
            "sun_position": self.directory.sun_position(structure, contact),
            "structure": structure,
            "contact": contact,
            "territoire": self.catalog.territoires[structure.territoire],
            "services": self.catalog.services_of(structure.id),
            "stale": self.catalog.is_stale(structure),
            "months": self.catalog.months_since_check(structure),
            "correction": self.settings.correction_link(self.catalog.source(structure).relative),
            "signalement": self.settings.report_link(structure.nom, self.catalog.source(structure).relative),
        }


def site_pages(catalog: Catalog, settings: SiteSettings) -> Iterator[Page]:
    """Home, fiches, browse pages, the filter page and its compact index."""
    w = PageWriter(catalog, settings)
    d = w.directory
    # No title of its own: Material then titles the home page with the site name alone (not « nom - nom »).
    # Out of the search, as the browse pages: its lists are the fiches' names, found as fiches.
    yield w.page("index.md", "accueil.md.j2", None, search=False, hide=("navigation", "toc"))
    if settings.contact_email:  # the route without a forge account, linked from the forge's issue chooser
        yield w.page(
            "signaler.md",
            "signaler.md.j2",
            "Signaler une erreur, proposer une ressource",
            hide=("navigation", "toc"),
            signalement=mailto(settings.contact_email, SIGNALEMENT_SUBJECT, SIGNALEMENT_BODY),
        )
    yield w.page("structures/index.md", "structures.md.j2", "Structures", search=False)
    yield w.page("freins/index.md", "freins.md.j2", "Parcourir par frein", search=False)
    for frein in d.freins:
        yield w.page(f"freins/{frein.id}.md", "frein.md.j2", frein.label, search=False, frein=frein)
        for bassin in d.bassins:
            services = d.frein_bassin(frein.id, bassin.key)
            yield w.page(
                f"freins/{frein.id}/{bassin.key}.md",
                "frein_bassin.md.j2",
                f"{frein.label} — {bassin.nom}",
                search=False,
                frein=frein,
                bassin=bassin,
                services=services,
            )
    yield w.page("bassins/index.md", "bassins.md.j2", "Parcourir par bassin d'emploi", search=False)
    for bassin in d.bassins:
        yield w.page(f"bassins/{bassin.key}.md", "bassin.md.j2", bassin.nom, search=False, bassin=bassin)
    yield w.page("publics/index.md", "publics.md.j2", "Parcourir par public", search=False)
    for public in d.publics:
        yield w.page(f"publics/{public.value}.md", "public.md.j2", public.label, search=False, public=public)
    yield w.page("selection.md", "selection.md.j2", "Sélection à remettre", search=False, hide=("navigation", "toc"))
    yield w.page("annuaire.md", "annuaire.md.j2", "Rechercher dans l'annuaire", search=False, hide=("toc",))
    yield Page("assets/annuaire.json", compact_index(d))


@cache
def _document_names() -> tuple[re.Pattern, re.Pattern, dict[str, Document]]:
    """documents.yml as two patterns on plain words: a name ruled out (« aucune fiche de liaison »), a name. The
    longest names come first, so that « fiche de diagnostic partagé » is not read as « diagnostic partagé »."""
    by_name = {plain_words(nom): document for document in documents() for nom in document.noms}
    names = "|".join(re.escape(name) for name in sorted(by_name, key=len, reverse=True))
    negations = "|".join(re.escape(plain_words(word)) for word in document_negations())
    return re.compile(f" (?:{negations}) (?:{names})(?= )"), re.compile(f" ({names})(?= )"), by_name


def documents_named(text: str | None) -> list[Document]:
    """The documents of documents.yml a mobilisation text names (« envoyer la fiche de liaison »), in its order;
    not those it rules out (« aucune fiche de liaison »)."""
    if not text:
        return []
    ruled_out, name, by_name = _document_names()
    words = ruled_out.sub("", f" {plain_words(text)} ")
    found = [by_name[match[1]] for match in name.finditer(words)]
    return list(dict.fromkeys(found))


def is_accompagnement_global(service: Service) -> bool:
    """The accompagnement global service itself (France Travail's dedicated adviser, or the social worker's side
    of the binôme): its name or its id says « accompagnement global » (case, accents and hyphens aside). The
    data has no other mark of it: its freins and thématiques are those of many services."""
    return " accompagnement global " in f" {plain_words(service.nom)} {plain_words(service.id)} "


def compact_index(d: Directory) -> str:
    """The filter page's data: one short row per service, shared strings listed once."""
    frein_bit = {f.id: 1 << i for i, f in enumerate(d.freins)}
    publics = list(di.Public)
    public_bit = {p.value: 1 << i for i, p in enumerate(publics)}
    bassin_index = {b.key: i for i, b in enumerate(d.bassins)}
    structure_index = {s.id: i for i, s in enumerate(d.structures)}
    communes: dict[str, int] = {}
    rows = []
    for service in d.services:
        contact = d.contact_of(service)
        commune = communes.setdefault(contact.commune or "", len(communes))
        rows.append(
            [
                service.id,
                service.nom,
                structure_index[service.structure],
                sum(frein_bit[f.value] for f in service.freins),
                [bassin_index[b.key] for b in d.bassins_of(service)],
                sum(public_bit[p.value] for p in service.publics),
                commune,
                contact.telephone_affiche or "",  # shown in the results, and in the forms' « Contacts utiles »
            ]
        )
    data = {
        "freins": [[f.id, f.label] for f in d.freins],
        "bassins": [[b.key, b.nom, b.territoire.nom] for b in d.bassins],
        "publics": [[p.value, p.label] for p in publics],
        "structures": [[s.nom, s.sigle or ""] for s in d.structures],
        "communes": list(communes),
        "services": rows,
        # Never suggested in the forms' « Contacts utiles »: the person is already in accompagnement global.
        "accompagnement_global": [s.id for s in d.services if is_accompagnement_global(s)],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
