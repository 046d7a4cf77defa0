"""The directory's pages: jinja2 templates of site_templates/ rendered into Markdown files.

Every record value reaches a page through jinja2's autoescape (or the sanitised Markdown subset of
`richtext`), inside raw HTML blocks that the Markdown engine passes through untouched.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from html import escape

import jinja2
from data_inclusion.schema import v1 as di

from generator.records.catalog import Catalog
from generator.records.fields import format_telephone, telephone_uri
from generator.records.french import date_fr, plural
from generator.records.horaires import horaires_en_clair
from generator.records.models import Service, Structure, Territoire, place_of
from generator.referentiels import Frein, freins
from generator.site.page import PROJECT_ROOT, Page, SiteSettings, front_matter, root_prefix
from generator.site.richtext import markdown_to_html, plain_text

TEMPLATES = PROJECT_ROOT / "site_templates"
LATEST_UPDATES = 8

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
        return f"{self.territoire.id}-{self.id}"


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

    @cached_property
    def publics(self) -> list[di.Public]:
        return [p for p in di.Public if p.value in self.by_public]

    def frein_bassin(self, frein: str, bassin_key: str) -> list[Service]:
        return [s for s in self.by_frein.get(frein, []) if bassin_key in {b.key for b in self.bassins_of(s)}]

    def latest(self) -> list[Service | Structure]:
        records: list[Service | Structure] = [*self.catalog.services.values(), *self.catalog.structures.values()]
        return sorted(records, key=lambda r: (r.date_maj, r.nom), reverse=True)[:LATEST_UPDATES]


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
    env.tests["contains"] = lambda sequence, value: value in sequence
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
        title: str,
        *,
        search: bool = True,
        hide: tuple[str, ...] = (),
        description: str | None = None,
        **context,
    ) -> Page:
        # Material prints title and description without escaping them: they are escaped here, once.
        meta: dict = {"title": escape(title)}
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

    def service_context(self, service: Service) -> dict:
        structure = self.catalog.structure_of(service)
        return {
            "service": service,
            "structure": structure,
            "contact": self.directory.contact_of(service),
            "bassins": self.directory.bassins_of(service),
            "whole_territory": not service.bassins,
            "territoire": self.catalog.territoire_of(service),
            "partenaires": [self.catalog.structures[p] for p in service.partenaires],
            "labels": {f.id: f.label for f in self.directory.freins},
            "stale": self.catalog.is_stale(service),
            "months": self.catalog.months_since_check(service),
            "correction": self.settings.correction_link(self.catalog.source(service).relative),
        }

    def structure_context(self, structure: Structure) -> dict:
        return {
            "structure": structure,
            "contact": Contact.of(structure),
            "territoire": self.catalog.territoires[structure.territoire],
            "services": self.catalog.services_of(structure.id),
            "stale": self.catalog.is_stale(structure),
            "months": self.catalog.months_since_check(structure),
            "correction": self.settings.correction_link(self.catalog.source(structure).relative),
        }


def site_pages(catalog: Catalog, settings: SiteSettings) -> Iterator[Page]:
    """Home, fiches, browse pages, the filter page and its compact index."""
    w = PageWriter(catalog, settings)
    d = w.directory
    yield w.page("index.md", "accueil.md.j2", settings.site_name, hide=("navigation", "toc"))
    for service in d.services:
        yield w.page(
            f"services/{service.id}.md",
            "service.md.j2",
            service.nom,
            hide=("navigation", "toc"),
            description=plain_text(service.description),
            **w.service_context(service),
        )
    for structure in d.structures:
        yield w.page(
            f"structures/{structure.id}.md",
            "structure.md.j2",
            structure.nom,
            hide=("navigation", "toc"),
            description=plain_text(structure.description),
            **w.structure_context(structure),
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
    yield w.page("annuaire.md", "annuaire.md.j2", "Rechercher dans l'annuaire", search=False, hide=("toc",))
    yield Page("assets/annuaire.json", compact_index(d))


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
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
