"""The small Markdown subset allowed in descriptions, rendered to sanitised HTML.

Paragraphs, lists, emphasis and links to http(s), mailto and tel. Raw HTML in a record is shown as
text (markdown-it's `html` option off), and nh3 removes anything else as a second line of defence.
"""

from __future__ import annotations

import html
from functools import cache, lru_cache

import nh3
from markdown_it import MarkdownIt

_SCHEMES = {"http", "https", "mailto", "tel"}
_TAGS = {"p", "ul", "ol", "li", "em", "strong", "a", "br"}


class _SafeLinks(MarkdownIt):
    """Links only to the schemes above: others (javascript:, data:…) stay plain text."""

    def validateLink(self, url: str) -> bool:
        return url.split(":", 1)[0].lower() in _SCHEMES


@cache
def _parser() -> MarkdownIt:
    md = _SafeLinks("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(
        [
            "image",
            "heading",
            "lheading",
            "code",
            "fence",
            "blockquote",
            "hr",
            "html_block",
            "html_inline",
            "reference",
            "backticks",
            "autolink",
            "entity",
        ]
    )
    return md


# A description is rendered several times per build (fiche, meta description, each export format):
# once is enough. Bounded so that a long `annuaire serve` session does not grow without limit.
@lru_cache(maxsize=32_768)
def markdown_to_html(text: str) -> str:
    html = _parser().render(text)
    return nh3.clean(
        html, tags=_TAGS, attributes={"a": {"href"}}, url_schemes=_SCHEMES, link_rel="noopener noreferrer"
    ).strip()


def plain_text(text: str) -> str:
    """Description without markup, for the search index and meta descriptions."""
    return html.unescape(nh3.clean(markdown_to_html(text), tags=set())).replace("\n", " ").strip()
