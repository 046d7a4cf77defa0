"""The Markdown allowed in descriptions, as data·inclusion's producers write it, rendered to sanitised HTML.

Paragraphs, headings, lists, emphasis, line breaks and links to http(s), mailto and tel. Headings are
demoted under the fiche's own title and sections (the shallowest becomes h3). `<br>`, which real
descriptions use for a line break, is read as one; any other raw HTML is shown as text (markdown-it's
`html` option off), and nh3 removes anything else as a second line of defence.
"""

from __future__ import annotations

import html
import re
from functools import cache, lru_cache

import nh3
from markdown_it import MarkdownIt

_SCHEMES = {"http", "https", "mailto", "tel"}
_TAGS = {"p", "ul", "ol", "li", "em", "strong", "a", "br", "h3", "h4", "h5", "h6"}
_FIRST_HEADING = 3  # h1 is the fiche's name, h2 its sections
# A `<br>` breaks the line; before a blank line or at the end it adds nothing (the paragraph ends there).
_BR = re.compile(r"[ \t]*<br\s*/?>[ \t]*(?:(?P<end>(?=\n[ \t]*(?:\n|$)|$))|\n?)", re.IGNORECASE)


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
    md = _parser()
    tokens = md.parse(_BR.sub(_line_break, text))
    levels = [int(token.tag[1]) for token in tokens if token.type == "heading_open"]
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) - min(levels) + _FIRST_HEADING)}"
    html = md.renderer.render(tokens, md.options, {})
    return nh3.clean(
        html, tags=_TAGS, attributes={"a": {"href"}}, url_schemes=_SCHEMES, link_rel="noopener noreferrer"
    ).strip()


def _line_break(match: re.Match) -> str:
    """A hard line break (backslash, newline) inside a paragraph, nothing where the paragraph ends."""
    return "" if match.group("end") is not None else "\\\n"


def plain_text(text: str) -> str:
    """Description without markup, for the search index and meta descriptions."""
    return html.unescape(nh3.clean(markdown_to_html(text), tags=set())).replace("\n", " ").strip()
