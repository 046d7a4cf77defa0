"""What data·inclusion publishes, read as rows: structures and services, each with where it was read.

Shapes read, as published:
- a JSON list of v1 objects (the open-data export's `structures.json`, `services.json`, a flat file);
- a page of the API (`{"items": […], "total", "page", "size", "pages"}`), several pages at once;
- services carrying their structure (`"structure": {…}`), as the API v1 gives them;
- the open-data export's CSV (`,` or `;`), list cells as `a,b`, `["a","b"]` or `{a,b}`.
A service is an object with a `structure_id` or an embedded `structure`.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_SHOWN = 80  # characters of a value quoted in a message


class UnreadableExport(Exception):
    """The file cannot be read as a data·inclusion export: nothing is imported."""


@dataclass
class Row:
    where: str  # « services.csv:5 » or « services.json[3] »
    data: Any
    embedded: bool = False  # a structure read inside one of its services


@dataclass
class Rows:
    structures: list[Row] = field(default_factory=list)
    services: list[Row] = field(default_factory=list)
    invalid: list[Row] = field(default_factory=list)  # not an object
    pages: dict[str, tuple[set[int], int]] = field(default_factory=dict)  # per shape of page: seen, total

    def complete(self) -> bool:
        """Whether every page of a paginated answer was given: without them all, absences mean nothing."""
        return all(seen >= set(range(1, total + 1)) for seen, total in self.pages.values())

    def add(self, row: Row) -> None:
        if not isinstance(row.data, dict):
            self.invalid.append(row)
        elif isinstance(row.data.get("structure"), dict):
            embedded = row.data["structure"]
            self.structures.append(Row(f"{row.where}.structure", embedded, embedded=True))
            service = {k: v for k, v in row.data.items() if k != "structure"}
            service.setdefault("structure_id", embedded.get("id"))
            self.services.append(Row(row.where, service))
        elif "structure_id" in row.data:
            self.services.append(row)
        else:
            self.structures.append(row)


def shorten(value: Any) -> str:
    """A value quoted in a message: one line, at most MAX_SHOWN characters."""
    text = str(value).replace("\r", "").replace("\n", "⏎")
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def read_files(paths: list[tuple[Path, str]]) -> Rows:
    rows = Rows()
    for path, shown in paths:
        _read(path, shown, rows)
    return rows


def _read(path: Path, shown: str, rows: Rows) -> None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableExport(f"{shown}: error: fichier illisible ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableExport(f"{shown}: error: le fichier doit être encodé en UTF-8") from None
    if path.suffix.lower() == ".json" or (path.suffix.lower() != ".csv" and text.lstrip()[:1] in ("[", "{")):
        _json_rows(text, shown, rows)
    else:
        for row in _csv_rows(text, shown):
            rows.add(row)


def _json_rows(text: str, shown: str, rows: Rows) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableExport(f"{shown}:{exc.lineno}:{exc.colno}: error: JSON invalide ({exc.msg})") from None
    except RecursionError:
        raise UnreadableExport(
            f"{shown}: error: JSON imbriqué trop profondément pour un export data·inclusion"
        ) from None
    except ValueError:  # an integer of more than 4,300 digits
        raise UnreadableExport(f"{shown}: error: JSON illisible : un nombre a trop de chiffres") from None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        _page(data, shown, rows)
        items, prefix = data["items"], f"{shown}:items"
    elif isinstance(data, list):
        items, prefix = data, shown
    else:
        raise UnreadableExport(
            f"{shown}: error: une liste d'objets data·inclusion ([{{…}}, {{…}}]) ou une page de l'API "
            '({"items": […], …}) est attendue'
        )
    for index, item in enumerate(items):
        rows.add(Row(f"{prefix}[{index}]", item))


def _page(data: dict[str, Any], shown: str, rows: Rows) -> None:
    page, pages = data.get("page"), data.get("pages")
    if isinstance(page, int) and isinstance(pages, int) and 0 < page <= pages <= 100_000:
        # Pages of one answer share their size and total: that is how they are told apart.
        key = f"{data.get('total')}/{data.get('size')}"
        seen, _ = rows.pages.setdefault(key, (set(), pages))
        seen.add(page)


def _csv_rows(text: str, shown: str) -> list[Row]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        names = reader.fieldnames
    except csv.Error as exc:
        raise UnreadableExport(f"{shown}:1: error: CSV illisible ({exc})") from None
    if not names or not {"id", "nom"} <= set(names):
        raise UnreadableExport(f"{shown}:1: error: en-tête CSV data·inclusion attendu (colonnes id, nom, date_maj…)")
    rows = []
    start = 2
    try:
        for record in reader:
            data = {key: (value if value != "" else None) for key, value in record.items() if key is not None}
            rows.append(Row(f"{shown}:{start}", data))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableExport(f"{shown}:{reader.line_num}: error: CSV illisible ({exc})") from None
    return rows
