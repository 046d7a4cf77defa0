"""Field types shared by the record models: each validates one kind of value and says why in French."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import urlsplit

import email_validator
import opening_hours
import phonenumbers
from phonenumbers import shortnumberinfo
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError, core_schema
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError
from stdnum.fr import siret as stdnum_siret

from generator.records.horaires import OpeningHoursError, osm_from_french

# Ids of records, bassins, annex forms and their fields: lowercase words joined by hyphens.
KEBAB_CASE = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Identifiant = Annotated[
    str,
    StringConstraints(pattern=KEBAB_CASE, max_length=120),
    Field(description="Identifiant en minuscules, chiffres et tirets (kebab-case), par exemple « udaf-cantal »."),
]

# Documented limits (CONTRIBUTING.md, « Limites ») : a record stays readable on a page, and a hostile file
# (a 50 MB description, a list of a million freins) is refused at once.
MAX_TEXTE = 5_000  # a description, a « précisions » field: a few paragraphs
MAX_LIGNE = 200  # a name, an address, a commune
MAX_URL = 2_000
MAX_HORAIRES = 500
MAX_TELEPHONE = 30

# Characters that change how a text is shown without being seen: bidirectional controls (U+202E shows
# « exe.gpj » as « jpg.exe »), zero-width spaces and joiners, byte order marks, tag characters.
_HIDDEN = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\U000e0000-\U000e007f]")
_HIDDEN_NAMES = {
    "\u200b": "espace sans largeur",
    "\ufeff": "marque d'ordre des octets",
    "\u200e": "marque de sens d'écriture",
    "\u200f": "marque de sens d'écriture",
}


def _hidden_name(char: str) -> str:
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return " (changement de sens d'écriture)"
    return f" ({_HIDDEN_NAMES[char]})" if char in _HIDDEN_NAMES else ""


def _visible_text(value: Any) -> Any:
    if not isinstance(value, str):  # run before the type check (see Texte): pydantic says what is wrong
        return value
    if found := _HIDDEN.search(value):
        char = found.group()
        raise ValueError(
            f"caractère invisible U+{ord(char):04X}{_hidden_name(char)} interdit (caractère {found.start() + 1}) : "
            "retirez-le "
            "(il vient souvent d'un copier-coller)"
        )
    return value


def _one_line(value: Any) -> Any:
    """A name or an address: visible characters on a single line."""
    if not isinstance(value, str):
        return value
    _visible_text(value)
    for index, char in enumerate(value):
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs"):
            if char in "\n\r\x85\u2028\u2029":
                raise ValueError("retour à la ligne interdit dans ce champ : écrivez-le sur une seule ligne")
            if char == "\t":
                raise ValueError(f"tabulation interdite dans ce champ (caractère {index + 1}) : mettez une espace")
            raise ValueError(
                f"caractère de contrôle ou invisible U+{ord(char):04X} interdit dans ce champ "
                f"(caractère {index + 1}) : retirez-le"
            )
    return value


# The character checks run before the length constraints, so that a field's own Field(min_length=…) stays a
# string constraint (« trop court : au moins 3 caractères »).
Texte = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXTE), BeforeValidator(_visible_text)
]
# One-line texts: names, addresses, communes.
Ligne = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_LIGNE), BeforeValidator(_one_line)
]


def _no_duplicates(items: list) -> list:
    first: dict[Any, int] = {}
    for index, item in enumerate(items, start=1):
        if item in first:
            shown = getattr(item, "value", item)
            raise ValueError(
                f"« {shown} » figure deux fois dans la liste (éléments {first[item]} et {index}) : gardez-en un seul"
            )
        first[item] = index
    return items


class Distinct:
    """Marks a list whose items must all differ: checked, and said to editors (uniqueItems in the JSON Schema)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(_no_duplicates, handler(source))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> Any:
        json_schema = handler(schema)
        json_schema["uniqueItems"] = True
        return json_schema


# The slow checks (phonenumbers, email_validator, the opening_hours parser) run once per distinct value:
# a structure's number, address or opening hours are often repeated in each of its services.
_CACHE_SIZE = 16_384


# Overseas departments and communities are in the French numbering plan (0262…, 0590…, 0696…) but have
# their own region in phonenumbers' metadata.
_OVERSEAS_REGIONS = ("RE", "YT", "GP", "BL", "MF", "MQ", "GF", "PM")


@lru_cache(maxsize=_CACHE_SIZE)
def _parse_french(value: str) -> phonenumbers.PhoneNumber | None:
    """The valid number `value` is, read as dialled in France (overseas included), or None."""
    for region in ("FR", *_OVERSEAS_REGIONS):
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            return None
        if phonenumbers.is_valid_number(number):
            return number
        if number.country_code != phonenumbers.country_code_for_region(region) or not value.lstrip().startswith("0"):
            return None  # written with +33, +262…: the other regions would read it the same way
    return None


# What a number is written with; phonenumbers would read letters as a keypad (« CAFE » → 2233).
_TELEPHONE_CHARS = re.compile(r"[0-9 .()+\-\u00a0\u202f]+")


@lru_cache(maxsize=_CACHE_SIZE)
def _is_telephone(value: str) -> bool:
    if len(value) > MAX_TELEPHONE or not _TELEPHONE_CHARS.fullmatch(value):
        return False
    if _parse_french(value) is not None:
        return True
    try:
        return shortnumberinfo.is_valid_short_number(phonenumbers.parse(value, "FR"))  # 115, 3949…
    except phonenumbers.NumberParseException:
        return False


# Two numbers typed in one field: « 04 71 60 12 34 / 04 71 60 56 78 », « … ou … ».
_NUMBER_SEPARATORS = re.compile(r"\s*(?:[/;,|]|\bou\b|\bet\b)\s*", re.IGNORECASE)


def _telephone(value: str) -> str:
    if _is_telephone(value):
        return value
    numbers = [part for part in _NUMBER_SEPARATORS.split(value) if part.strip()]
    if len(numbers) > 1 and all(_is_telephone(number) for number in numbers):
        raise ValueError(
            f"« {value} » : un seul numéro par champ ; gardez « {numbers[0].strip()} » ici et écrivez "
            "l'autre dans la description ou dans la fiche du service concerné"
        )
    if not _TELEPHONE_CHARS.fullmatch(value):
        raise ValueError(
            f"« {value} » n'est pas un numéro de téléphone : chiffres, espaces, points ou tirets seulement "
            "(exemple : « 04 71 45 46 47 »)"
        )
    raise ValueError(f"« {value} » n'est pas un numéro de téléphone valide (exemple : « 04 71 45 46 47 »)")


def format_telephone(value: str) -> str:
    """National display form (« 04 71 45 46 47 ») of a number stored as typed."""
    number = _parse_french(value)
    if number is not None:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return value.strip()


def telephone_e164(value: str) -> str:
    """E.164 form (« +33471454647 ») of a number stored as typed, for data exchange; short numbers (« 115 ») as typed."""
    number = _parse_french(value)
    if number is not None:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return value.strip()


def telephone_uri(value: str) -> str:
    number = _parse_french(value)
    if number is not None:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.RFC3966)
    return "tel:" + re.sub(r"\D", "", value)


@lru_cache(maxsize=_CACHE_SIZE)
def _is_courriel(value: str) -> bool:
    try:
        email_validator.validate_email(value, check_deliverability=False)
    except email_validator.EmailNotValidError:
        return False
    return True


def _courriel(value: str) -> str:
    if not _is_courriel(value):
        raise ValueError(f"« {value} » n'est pas une adresse électronique valide (exemple : « contact@exemple.fr »)")
    return value


_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)


def _url(value: str) -> str:
    if len(value) > MAX_URL:
        raise ValueError(f"adresse web de plus de {MAX_URL} caractères")
    if not _URL.match(value):
        raise ValueError(f"« {value} » n'est pas une adresse web valide : elle doit commencer par https:// ou http://")
    _visible_text(value)
    if "@" in urlsplit(value).netloc:
        raise ValueError(
            f"« {value} » contient « @ » avant le nom du site : un navigateur irait sur ce qui suit le « @ » ; "
            "écrivez l'adresse du site seule"
        )
    return value


def _siret(value: str) -> str:
    try:
        stdnum_siret.validate(value)
    except (InvalidFormat, InvalidLength):
        raise ValueError(f"« {value} » n'est pas un SIRET : 14 chiffres attendus") from None
    except InvalidChecksum:
        raise ValueError(f"« {value} » n'est pas un SIRET valide (clé de contrôle incorrecte)") from None
    except ValidationError:
        raise ValueError(f"« {value} » n'est pas un SIRET valide") from None
    return value


def _code_postal(value: str) -> str:
    if not re.fullmatch(r"[0-9]{5}", value):  # \d would accept other scripts' digits
        raise ValueError(f"« {value} » n'est pas un code postal : 5 chiffres attendus, par exemple « 15000 »")
    return value


def _code_insee(value: str) -> str:
    if not re.fullmatch(r"(?:[0-9]{5}|2[AB][0-9]{3})", value):
        raise ValueError(f"« {value} » n'est pas un code commune INSEE : 5 caractères attendus, par exemple « 15014 »")
    return value


def _departement(value: str) -> str:
    if not re.fullmatch(r"(?:0[1-9]|[1-8][0-9]|9[0-5]|2[AB]|97[1-6])", value):
        raise ValueError(f"« {value} » n'est pas un code de département, par exemple « 15 », « 2A » ou « 974 »")
    return value


_HORAIRES_FORM = "jours en anglais abrégé (Mo Tu We Th Fr Sa Su), heures en 14:00"


@lru_cache(maxsize=_CACHE_SIZE)
def _horaires_problem(value: str) -> str | None:
    """What to write instead, in the partner's words; never the parser's grammar."""
    try:
        opening_hours.OpeningHours(value)
    except (OpeningHoursError, ValueError):
        converted = osm_from_french(value)
        if converted is not None:
            return f"écrivez « {converted} » : {_HORAIRES_FORM}"
        return (
            f"{_HORAIRES_FORM}, plages séparées par une virgule et jours différents par un point-virgule, "
            "par exemple « Mo-Fr 09:00-12:00,13:30-17:00; PH off » (PH : jours fériés, off : fermé)"
        )
    return None


def _horaires(value: str) -> str:
    if len(value) > MAX_HORAIRES:
        raise ValueError(f"horaires de plus de {MAX_HORAIRES} caractères : simplifiez-les")
    problem = _horaires_problem(value)
    if problem is not None:
        raise ValueError(f"« {value} » n'est pas écrit au format des horaires : {problem}")
    return value


def _not_a_number(value: Any) -> Any:
    """pydantic would read 1700000000 as a Unix time: a date is written 2026-09-30."""
    if isinstance(value, (bool, int, float)):
        raise PydanticCustomError("date_type", "date attendue")  # said in French by messages.py
    return value


def _date_maj(value: date, info: ValidationInfo) -> date:
    today = (info.context or {}).get("today") or date.today()
    if value > today:
        raise ValueError(
            f"la date {value.isoformat()} est dans le futur : indiquez la date de la dernière vérification"
        )
    if value < date(2000, 1, 1):
        raise ValueError(f"la date {value.isoformat()} est trop ancienne pour une vérification")
    return value


Telephone = Annotated[
    str,
    AfterValidator(_telephone),
    Field(
        description="Numéro de téléphone, entre guillemets, tel qu'on le compose en France (« 04 71 45 46 47 ») ou court (« 115 »).",
        examples=["04 71 45 46 47"],
    ),
]
Courriel = Annotated[
    str,
    AfterValidator(_courriel),
    Field(description="Adresse électronique de contact.", examples=["contact@exemple.fr"]),
]
Url = Annotated[
    str,
    AfterValidator(_url),
    Field(description="Adresse web commençant par https:// (ou http://).", examples=["https://www.exemple.fr"]),
]
Siret = Annotated[
    str,
    AfterValidator(_siret),
    Field(description="Numéro SIRET de l'établissement : 14 chiffres entre guillemets.", examples=["13003013300016"]),
]
CodePostal = Annotated[
    str,
    AfterValidator(_code_postal),
    Field(description="Code postal : 5 chiffres entre guillemets.", examples=["15000"]),
]
CodeInsee = Annotated[
    str,
    AfterValidator(_code_insee),
    Field(description="Code officiel géographique (INSEE) de la commune, entre guillemets.", examples=["15014"]),
]
Departement = Annotated[
    str,
    AfterValidator(_departement),
    Field(description="Code du département, entre guillemets.", examples=["15", "69", "2A", "974"]),
]
Horaires = Annotated[
    str,
    AfterValidator(_horaires),
    Field(
        description="Horaires d'accueil au format OpenStreetMap opening_hours (jours Mo Tu We Th Fr Sa Su, PH pour les jours fériés).",
        examples=["Mo-Fr 09:00-12:00,13:30-17:00; PH off"],
    ),
]
DateMaj = Annotated[
    date,
    BeforeValidator(_not_a_number),
    AfterValidator(_date_maj),
    Field(
        description="Date de la dernière vérification de la fiche (AAAA-MM-JJ), sans guillemets ; pas dans le futur.",
        examples=["2026-09-30"],
    ),
]

# Bounding boxes (lat min, lat max, lon min, lon max) of metropolitan France and the overseas territories.
FRANCE_AREAS = {
    "France métropolitaine": (41.3, 51.2, -5.3, 9.7),
    "Guadeloupe": (15.8, 16.6, -61.9, -60.9),
    "Martinique": (14.3, 14.9, -61.3, -60.8),
    "Guyane": (2.1, 5.9, -54.7, -51.5),
    "La Réunion": (-21.4, -20.8, 55.2, 55.9),
    "Mayotte": (-13.1, -12.6, 44.9, 45.4),
    "Saint-Pierre-et-Miquelon": (46.7, 47.2, -56.5, -56.1),
    "Saint-Martin et Saint-Barthélemy": (17.8, 18.2, -63.2, -62.7),
    "Wallis-et-Futuna": (-14.4, -13.1, -178.3, -176.1),
    "Polynésie française": (-27.7, -7.8, -154.8, -134.4),
    "Nouvelle-Calédonie": (-22.8, -19.5, 163.5, 168.2),
}


def in_france(latitude: float, longitude: float) -> bool:
    return any(a <= latitude <= b and c <= longitude <= d for a, b, c, d in FRANCE_AREAS.values())
