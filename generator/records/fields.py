"""Field types shared by the record models: each validates one kind of value and says why in French."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Annotated, Any

import email_validator
import opening_hours
import phonenumbers
from phonenumbers import shortnumberinfo
from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, ValidationInfo
from pydantic_core import PydanticCustomError
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError
from stdnum.fr import siret as stdnum_siret

# Ids of records, bassins, annex forms and their fields: lowercase words joined by hyphens.
KEBAB_CASE = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Identifiant = Annotated[
    str,
    StringConstraints(pattern=KEBAB_CASE, max_length=120),
    Field(description="Identifiant en minuscules, chiffres et tirets (kebab-case), par exemple « udaf-cantal »."),
]

Texte = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


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


@lru_cache(maxsize=_CACHE_SIZE)
def _is_telephone(value: str) -> bool:
    if _parse_french(value) is not None:
        return True
    try:
        return shortnumberinfo.is_valid_short_number(phonenumbers.parse(value, "FR"))  # 115, 3949…
    except phonenumbers.NumberParseException:
        return False


def _telephone(value: str) -> str:
    if _is_telephone(value):
        return value
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
    if not _URL.match(value):
        raise ValueError(f"« {value} » n'est pas une adresse web valide : elle doit commencer par https:// ou http://")
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


# The package's type stub leaves out the exception its parser raises.
_OpeningHoursError: type[Exception] = opening_hours.ParserError  # type: ignore[attr-defined]


@lru_cache(maxsize=_CACHE_SIZE)
def _horaires_problem(value: str) -> str | None:
    try:
        opening_hours.OpeningHours(value)
    except _OpeningHoursError as exc:
        return _parser_hint(str(exc))
    return None


def _horaires(value: str) -> str:
    problem = _horaires_problem(value)
    if problem is not None:
        raise ValueError(
            f"« {value} » n'est pas au format OpenStreetMap opening_hours "
            f"(exemple : « Mo-Fr 09:00-12:00,13:30-17:00; PH off ») : {problem}"
        )
    return value


def _parser_hint(text: str) -> str:
    """Turn the pest parser's report into one line: where it stopped and what it expected."""
    where = re.search(r"--> \d+:(\d+)", text)
    expected = re.search(r"= expected (.+)", text)
    parts = []
    if where:
        parts.append(f"erreur au caractère {where.group(1)}")
    if expected:
        parts.append(f"attendu : {expected.group(1).strip()}")
    return ", ".join(parts) or "syntaxe non reconnue"


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
