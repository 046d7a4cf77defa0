"""The search's records of the site's written pages: the accompagnement global's procedures and the territory's
own pages (docs/), the forms' pages, « Signaler », « Données ouvertes »…

They are read from the docs folder given to the engine, once every page is written there, so that hand-written
and generated pages are indexed alike, from their Markdown rendered plainly (no theme, no navigation). As with
Material's search plugin, a page whose front matter says `search: exclude: true` is left out: the home page,
the browse pages (freins, bassins, publics, structures), the annuaire page and the fiches' placeholders
(`_gabarit.md`), whose content the services' and structures' records already hold.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import markdown
import yaml

from generator.site.page import page_url
from generator.site.search_records import TYPE_PAGE, SearchRecord, document, tag

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?\n)?---\s*\n", re.DOTALL)
_FIRST_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def page_records(docs: Path, extensions: Sequence[str]) -> Iterator[SearchRecord]:
    """One record per Markdown page of `docs` not excluded from the search, rendered with the site's Markdown
    `extensions` (their names as mkdocs.yml lists them; options only change the look)."""
    renderer = markdown.Markdown(extensions=[name for name in extensions if _loads(name)])
    for file in sorted(docs.rglob("*.md")):
        relative = file.relative_to(docs).as_posix()
        # Not UTF-8: the engine, which runs next, says which file; its record only shows the bad bytes.
        meta, source = split_front_matter(file.read_text(encoding="utf-8", errors="replace"))
        if excluded(meta):
            continue
        body = renderer.reset().convert(source)
        heading = _FIRST_H1.search(body)
        title = meta.get("title") or (_TAG.sub("", heading.group(1)) if heading else "")
        # Generated pages' titles are escaped for the theme: unescaped here, then escaped once by `tag`.
        title = html.unescape(str(title)).strip() or file.stem
        parts = [
            # Pagefind splits « l'entrée » into words, not « l’entrée »: its excerpt keeps the text as written.
            body.replace("’", "'"),
            tag("meta", "title", title),
            tag("meta", "type", TYPE_PAGE),
        ]
        yield document(f"{page_url(relative)}index.html", parts)


def _loads(extension: str) -> bool:
    """False for an extension that cannot be loaded: left out here, the engine reports it with its own message."""
    try:
        markdown.Markdown(extensions=[extension])
    except (ImportError, AttributeError):
        return False
    return True


def split_front_matter(text: str) -> tuple[dict, str]:
    """The page's YAML front matter (empty when absent or unreadable: the engine would show it as text) and
    its Markdown."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1) or "")
    except yaml.YAMLError:
        return {}, text
    return (meta if isinstance(meta, dict) else {}), text[match.end() :]


def excluded(meta: dict) -> bool:
    search = meta.get("search")
    return isinstance(search, dict) and search.get("exclude") is True
