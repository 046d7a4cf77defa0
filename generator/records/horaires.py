"""OpenStreetMap opening hours said in French words: « du lundi au vendredi : 9 h – 12 h, 13 h 30 – 17 h »."""

from __future__ import annotations

import re
import unicodedata

import opening_hours

from generator.records.french import MONTHS

# The package's type stub leaves out the exception its parser raises.
OpeningHoursError: type[Exception] = opening_hours.ParserError  # type: ignore[attr-defined]

_DAYS = {
    "Mo": "lundi",
    "Tu": "mardi",
    "We": "mercredi",
    "Th": "jeudi",
    "Fr": "vendredi",
    "Sa": "samedi",
    "Su": "dimanche",
}
_MONTHS = dict(
    zip(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), MONTHS, strict=True)
)
_ORDER = list(_DAYS)
_DAY = "|".join(_DAYS)
_MONTH = "|".join(_MONTHS)
# Times that follow the sun: the words said after « de »/« du » and « à »/« au », with their elision.
_SUN_EVENTS = {
    "sunrise": ("du lever du soleil", "au lever du soleil"),
    "sunset": ("du coucher du soleil", "au coucher du soleil"),
    "dawn": ("de l'aube", "à l'aube"),
    "dusk": ("du crépuscule", "au crépuscule"),
}
_SUN = "|".join(_SUN_EVENTS)
_TIME = rf"(?:\d\d:\d\d|{_SUN}|\((?:{_SUN})[+-]\d\d:\d\d\))"
_SPAN = re.compile(rf"({_TIME})-({_TIME})")
_OFFSET = re.compile(rf"\((?P<event>{_SUN})(?P<sign>[+-])(?P<offset>\d\d:\d\d)\)")
_RULE = re.compile(
    rf"^(?:(?P<months>(?:{_MONTH})(?:-(?:{_MONTH}))?)\s+)?"
    rf"(?P<days>(?:{_DAY}|PH)(?:-(?:{_DAY}))?(?:,(?:{_DAY}|PH)(?:-(?:{_DAY}))?)*)?\s*"
    rf"(?P<times>{_TIME}-{_TIME}(?:,{_TIME}-{_TIME})*|off|closed|open)?\s*"
    r'(?:"(?P<comment>[^"]*)")?$'
)


def horaires_en_clair(value: str) -> list[str]:
    """One French line per rule; the raw value alone when a rule is beyond the common forms."""
    if value.strip() == "24/7":
        return ["Tous les jours, 24 h sur 24"]
    normalized = str(opening_hours.OpeningHours(value).normalize())
    lines = []
    for rule in (part.strip() for part in normalized.split(";")):
        if not rule:
            continue
        match = _RULE.match(rule)
        if match is None or not (match["days"] or match["times"] or match["comment"]):
            return [value]
        lines.append(_rule_text(match))
    return lines


def _rule_text(match: re.Match) -> str:
    days, times, comment, months = match["days"], match["times"], match["comment"], match["months"]
    if days == "PH":
        text = "jours fériés"
        text = (
            "fermé les jours fériés" if times in ("off", "closed") else f"{text} : {_times(times)}" if times else text
        )
    else:
        when = _days(days) if days else "tous les jours"
        if times in ("off", "closed"):
            text = f"fermé {when}" if days else "fermé"
        elif times and times != "open":
            text = f"{when} : {_times(times)}"
        else:
            text = when
    if months:
        text = f"{_months(months)}, {text}"
    if comment:
        text = f"{text} ({comment})"
    return text[0].upper() + text[1:]


def _days(selector: str) -> str:
    parts = []
    for item in selector.split(","):
        if item == "PH":
            parts.append("les jours fériés")
        elif "-" in item:
            start, end = item.split("-")
            if _ORDER.index(end) - _ORDER.index(start) == 1:  # two days in a row are named, not spanned
                parts.extend([f"le {_DAYS[start]}", f"le {_DAYS[end]}"])
            else:
                parts.append(f"du {_DAYS[start]} au {_DAYS[end]}")
        else:
            parts.append(f"le {_DAYS[item]}")
    return _join(parts)


def _months(selector: str) -> str:
    if "-" in selector:
        start, end = selector.split("-")
        return f"de {_MONTHS[start]} à {_MONTHS[end]}"
    return f"en {_MONTHS[selector]}"


def uses_sun(value: str) -> bool:
    """Whether hours follow sunrise or sunset: their status then needs the place's coordinates."""
    return re.search(rf"\b(?:{_SUN})\b", value) is not None


def _times(spans: str) -> str:
    return ", ".join(_span(start, end) for start, end in _SPAN.findall(spans))


def _span(start: str, end: str) -> str:
    """« 9 h – 12 h », « du lever au coucher du soleil », « de 8 h au coucher du soleil »."""
    if start[0].isdigit() and end[0].isdigit():
        return f"{_hour(start)} – {_hour(end)}"
    if (start, end) == ("sunrise", "sunset"):
        return "du lever au coucher du soleil"
    return f"{_edge(start, 0)} {_edge(end, 1)}"


def _edge(time: str, side: int) -> str:
    """A span's start (side 0: « de 8 h », « du lever du soleil ») or end (side 1: « à 12 h », « au crépuscule »)."""
    if time in _SUN_EVENTS:
        return _SUN_EVENTS[time][side]
    preposition = ("de", "à")[side]
    return f"{preposition} {_hour(time) if time[0].isdigit() else _shifted(time)}"


def _shifted(time: str) -> str:
    """« (sunset-00:30) » → « 30 min avant le coucher du soleil »."""
    match = _OFFSET.fullmatch(time)
    assert match is not None  # _TIME admits nothing else
    hours, minutes = (int(part) for part in match["offset"].split(":"))
    delay = " ".join(part for part in (f"{hours} h" if hours else "", f"{minutes} min" if minutes else "") if part)
    event = _SUN_EVENTS[match["event"]][1].replace("au ", "le ", 1).replace("à l'", "l'", 1)
    return f"{delay} {'après' if match['sign'] == '+' else 'avant'} {event}"


def _hour(text: str) -> str:
    hours, minutes = text.split(":")
    return f"{int(hours)} h" if minutes == "00" else f"{int(hours)} h {minutes}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]


# --- The other way: opening hours as a partner types them, written in the OpenStreetMap syntax -------------

_TYPED_DAYS = {
    **{code.lower(): code for code in _DAYS},
    **{name: code for code, name in _DAYS.items()},
    **dict(zip(["lun", "mar", "mer", "jeu", "ven", "sam", "dim"], _DAYS, strict=True)),
    **dict(zip(["lu", "ma", "me", "je", "ve", "sa", "di"], _DAYS, strict=True)),
    "ph": "PH",
    "feries": "PH",
    "ferie": "PH",
}
_TYPED_OFF = {"ferme", "fermee", "off", "closed"}
_TYPED_RANGE = {"au", "a", "-", "jusqu", "–"}
_TYPED_AND = {"et", ",", "&", "/", "+"}
_TYPED_FILLERS = {"du", "le", "les", "de", "des", "d", "tous", "chaque", "jours", "jour", "h", "'"}
_TYPED_TOKEN = re.compile(r"(\d{1,2})\s*[h:]\s*(\d{2})?|[a-z]+|[-–,;/&+']|\S")
_QUOTES = "\"'“”„«»‘’‚‹› \u00a0"


def osm_from_french(typed: str) -> str | None:
    """« mardi et jeudi 14h-17h » → « Tu,Th 14:00-17:00 », when every word of it is understood and the
    result is read by the opening_hours parser; None otherwise (the intent is not clear enough)."""
    text = "".join(
        c for c in unicodedata.normalize("NFKD", typed.strip(_QUOTES).lower()) if not unicodedata.combining(c)
    )
    items: list[tuple[str, str]] = []  # (kind, text): D day, T time, R range, A and, S rule separator, O off
    for found in _TYPED_TOKEN.finditer(text):
        token = found.group()
        if found.group(1):
            items.append(("T", f"{int(found.group(1)):02d}:{found.group(2) or '00'}"))
        elif token in _TYPED_DAYS:
            items.append(("D", _TYPED_DAYS[token]))
        elif token in _TYPED_OFF:
            items.append(("O", "off"))
        elif token in _TYPED_RANGE:
            items.append(("R", "-"))
        elif token in _TYPED_AND:
            items.append(("A", ","))
        elif token == ";":
            items.append(("S", ";"))
        elif token not in _TYPED_FILLERS:
            return None
    rules: list[tuple[list[str], list[str]]] = []
    index = 0
    while index < len(items):
        kind, value = items[index]
        if index + 2 < len(items) and items[index + 1][0] == "R" and items[index + 2][0] == kind in "DT":
            value, index = f"{value}-{items[index + 2][1]}", index + 2
        if kind == "D" and (not rules or rules[-1][1]):
            rules.append(([], []))
        if kind in "TO" and not rules:
            rules.append(([], []))
        if kind == "D":
            rules[-1][0].append(value)
        elif kind in "TO":
            rules[-1][1].append(value)
        elif kind == "R":
            return None
        index += 1
    written = "; ".join(" ".join(part for part in (",".join(days), ",".join(times)) if part) for days, times in rules)
    try:
        opening_hours.OpeningHours(written)
    except (OpeningHoursError, ValueError):
        return None
    return written or None
