"""French wording shared by every stage: dates as a person reads them, counts with their noun."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def date_fr(day: date) -> str:
    """« 1er mars 2026 », « 14 juillet 2026 »."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def plural(count: int, one: str, many: str | None = None) -> str:
    """« 0 service », « 1 service », « 3 services »: French keeps the singular below two.

    `many` for words (or phrases) that do not just take an s: « 2 fiches modifiées ».
    """
    if count < 2:
        return f"{count} {one}"
    return f"{count} {many if many is not None else one + 's'}"


def plain_words(text: str) -> str:
    """Words to compare, whatever their accents, case, hyphens and apostrophes: « l'Accompagnement-global »
    → « l accompagnement global »."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.findall(r"[^\W_]+", plain.lower()))
