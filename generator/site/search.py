"""The search: one Pagefind record per service, indexed into the built site by `annuaire build`.

Records are small HTML documents made from the catalog, not the built fiches, so the search does not depend
on how (or by which engine) the fiches are rendered. Pagefind splits the index into chunks that the browser
fetches only when someone searches. Weights rank a match in the name above one in the structure, the commune,
the description and, lowest, the everyday words of the service's freins (referentiels/mots_courants.yml).
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path

from data_inclusion.schema import v1 as di
from pagefind_bin import get_executable

from generator.records.catalog import Catalog
from generator.referentiels import cog, frein_labels, mots_courants
from generator.site.render import Directory

OUTPUT = "pagefind"  # folder of the built site holding the index (and Pagefind's script)
COMMUNES = "pagefind/communes.json"  # commune name → bassins, read by the search script on the first query

# « l'hébergement », « d'enfant » index and match as « hébergement », « enfant »: the elided article is no word.
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)

WEIGHT_NAME = 10
WEIGHT_STRUCTURE = 6
WEIGHT_COMMUNE = 4
WEIGHT_FREINS = 2
WEIGHT_WORDS = 0.5  # everyday words: they find the service, they do not outrank a service that names the thing


@dataclass(frozen=True)
class SearchRecord:
    path: str  # « services/cafe-sante/index.html »: Pagefind gives it the URL /services/cafe-sante/
    html: str


def without_elisions(text: str) -> str:
    return _ELISION.sub("", text)


def sort_key(text: str) -> str:
    """Accent-free lower case, so that « École » sorts among the e."""
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))


def _block(text: str | None, weight: float | None = None) -> str:
    if not text:
        return ""
    attribute = f' data-pagefind-weight="{weight}"' if weight is not None else ""
    return f"<p{attribute}>{escape(without_elisions(text))}</p>"


def _tag(kind: str, name: str, value: str) -> str:
    return f'<span data-pagefind-{kind}="{name}[data-v]" data-v="{escape(value)}"></span>'


def service_records(catalog: Catalog, d: Directory | None = None) -> Iterator[SearchRecord]:
    d = d or Directory(catalog)
    labels = frein_labels()
    words = mots_courants()
    for service in d.services:
        structure = catalog.structure_of(service)
        contact = d.contact_of(service)
        frein_ids = [f.value for f in service.freins]
        everyday = words.of(frein_ids, [t.value for t in service.thematiques])
        meta = {
            "title": service.nom,
            "id": service.id,
            "structure": structure.sigle or structure.nom,
            "commune": contact.commune or "",
            "telephone": contact.telephone_affiche or "",
            "telephone_lien": contact.telephone_lien or "",
            "freins": " · ".join(labels[f] for f in frein_ids),
            "horaires_osm": contact.horaires or "",
            "horaires_lieu": d.sun_position(service, contact),
        }
        filters = [("frein", f) for f in frein_ids]
        filters += [("bassin", b.key) for b in d.bassins_of(service)]
        filters += [("public", p.value) for p in service.publics or [di.Public.TOUS_PUBLICS]]
        if contact.commune:  # where it is: a commune typed alone lists those first
            filters.append(("commune", contact.commune))
        parts = [
            f"<h1 data-pagefind-weight={WEIGHT_NAME}>{escape(without_elisions(service.nom))}</h1>",
            _block(" ".join(filter(None, [structure.sigle, structure.nom])), WEIGHT_STRUCTURE),
            _block(contact.commune, WEIGHT_COMMUNE),
            _block(" ".join(labels[f] for f in frein_ids), WEIGHT_FREINS),
            _block(service.description),  # its Markdown marks are punctuation to Pagefind: no need to render it
            _block(service.publics_precisions),
            _block(" · ".join(everyday), WEIGHT_WORDS),
            *(_tag("meta", name, value) for name, value in meta.items() if value),
            *(_tag("filter", name, value) for name, value in filters),
            f'<span data-pagefind-sort="nom[data-v]" data-v="{escape(sort_key(service.nom))}"></span>',
        ]
        html = '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"></head><body>'
        yield SearchRecord(f"services/{service.id}/index.html", html + "".join(parts) + "</body></html>")


def communes_index(catalog: Catalog) -> str:
    """Every commune of every territoire (current and former names, from the COG) with the bassins that
    serve it, so that typing a commune filters on its bassin: services covering the whole territoire are
    tagged with all its bassins."""
    known = cog.communes()
    bassins: dict[str, list[str]] = {}
    for territoire in sorted(catalog.territoires.values(), key=lambda t: t.nom):
        for bassin in territoire.bassins:
            for code in bassin.communes:
                bassins.setdefault(code, []).append(f"{territoire.id}-{bassin.id}")
    rows = []
    for code, keys in sorted(bassins.items()):
        commune = known.get(code)
        if commune is None:
            continue
        rows.append([commune.nom, keys])
        rows.extend([former, keys] for former in commune.anciens_noms)
    return json.dumps({"communes": rows}, ensure_ascii=False, separators=(",", ":"))


class SearchIndexing:
    """Pagefind indexing the services in the background (its own binary, shipped by the pagefind_bin wheel),
    while the engine builds the pages: the records come from the catalog, not from the built site.

    Start it with the staging folder; `finish` waits for it and puts the index into the built site."""

    def __init__(self, catalog: Catalog, staging: Path):
        self.catalog = catalog
        self.records = staging / "recherche"
        self.index = staging / "index-recherche"
        for record in service_records(catalog):
            path = self.records / record.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(record.html, encoding="utf-8")
        command = [str(get_executable()), "--site", str(self.records), "--output-path", str(self.index)]
        self._process = subprocess.Popen(
            [*command, "--force-language", "fr", "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def finish(self, site: Path) -> None:
        """Wait for Pagefind, then move its index into `site`/pagefind with the communes' file."""
        out, err = self._process.communicate()
        if self._process.returncode != 0:
            raise SearchIndexError((err or out).strip().splitlines()[-1:])
        self.index.replace(site / OUTPUT)
        (site / COMMUNES).write_text(communes_index(self.catalog), encoding="utf-8")

    def stop(self) -> None:
        """End Pagefind if the build stops before it is done."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.communicate()


def write_search_index(catalog: Catalog, site: Path) -> None:
    """Index every service into `site`/pagefind, waiting for it (the benchmarks time it alone)."""
    with tempfile.TemporaryDirectory(prefix="recherche-", dir=site.parent) as folder:
        SearchIndexing(catalog, Path(folder)).finish(site)


class SearchIndexError(Exception):
    """Pagefind failed; the message holds its last line."""
