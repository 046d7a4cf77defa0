"""A built site that opens from the disk: links to a folder point at its index.html.

With directory URLs (`services/cafe-sante/`), a browser opening the files directly shows the folder's
listing (« Index of … ») instead of the page; a web server would have served index.html. The preview
that a pull request offers for download is read that way, so its links name index.html.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

# href="…" or src="…" relative to the page (no scheme, no leading / or #), as MkDocs and our templates write them.
_LINK = re.compile(r'(?P<attr>\bhref=")(?P<path>(?![a-z][a-z0-9+.-]*:|/|#)[^"?#]*)(?P<rest>[?#][^"]*)?"')


def link_index_files(site: Path) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        linked = _LINK.sub(_to_index, text)
        if linked != text:  # written beside then renamed: a page linked from the previous site stays as it was
            partial = page.with_name(f".{page.name}.tmp")
            partial.write_text(linked, encoding="utf-8")
            os.replace(partial, page)


def _to_index(found: re.Match) -> str:
    path, rest = found["path"], found["rest"] or ""
    if path in ("", ".") and not rest.startswith("#"):
        path = ""
    elif path == ".." or path.endswith(("/.", "/..")):
        path += "/"
    elif not path.endswith("/"):
        return found.group()  # a file, or a fragment of the same page
    return f'{found["attr"]}{path}index.html{rest}"'
