"""One rule per field: each refused value gives one located French message, and `check` exits 1.

Records are written beside the contract's examples; `annuaire check` runs in-process with today frozen
at 2026-11-01 (conftest.TODAY).
"""

from __future__ import annotations

import pytest
from conftest import run_cli, write_record
from pydantic import ValidationError

from generator.records.catalog import load_catalog
from generator.records.diagnostics import Report
from generator.records.models import Service, Structure, Territoire

SERVICE_PATH = "resources/services/atelier-test.yml"
STRUCTURE_PATH = "resources/structures/udaf-cantal.yml"
TERRITOIRE_PATH = "resources/territoires/cantal.yml"

# Fields added to these records go from the next line on: line 7 for a service, 6 for a structure.
SERVICE = {
    "id": "atelier-test",
    "structure": "udaf-cantal",
    "nom": "Atelier budget",
    "description": "Un atelier collectif pour apprendre à tenir son budget.",
    "freins": "[difficultes-financieres]",
    "date_maj": "2026-10-01",
}
STRUCTURE = {
    "id": "udaf-cantal",
    "nom": "Union départementale des associations familiales",
    "territoire": "cantal",
    "description": "Représente les familles du département.",
    "date_maj": "2026-10-01",
}
TERRITOIRE = (
    "id: cantal\n"
    "nom: Cantal\n"
    'departement: "15"\n'
    "bassins:\n"
    "  - id: aurillac\n"
    "    nom: Bassin d'Aurillac\n"
    '    communes: ["15014"]\n'
)


def record(base: dict[str, str], **fields: str | None) -> str:
    """YAML of `base` with `fields` replacing its lines (None removes one) or added at the end."""
    merged = {**base, **fields}
    return "".join(
        f"{key}: {value}\n" if value != "" else f"{key}:\n" for key, value in merged.items() if value is not None
    )


def check(resources, folder: str, record_id: str, content: str):
    write_record(resources, folder, record_id, content)
    return run_cli("check", "--resources", "resources")


def check_service(resources, **fields):
    return check(resources, "services", "atelier-test", record(SERVICE, **fields))


def check_structure(resources, **fields):
    return check(resources, "structures", "udaf-cantal", record(STRUCTURE, **fields))


def assert_only_error(run, expected: str) -> None:
    assert run.diagnostics == [expected], run.out
    assert run.code == 1
    assert run.lines[-1].endswith(": 1 erreur, 0 avertissement.")


@pytest.fixture
def resources(examples, today):
    return examples


# --- values YAML 1.1 reads as numbers, booleans, dates: refused where a text is expected ---------------

YAML11 = {
    "postcode as a number": (
        "code_postal",
        "15000",
        '7:14: error: code_postal: « 15000 » doit être un texte : mettez la valeur entre guillemets ("15000")',
    ),
    "postcode read as octal": (
        "code_postal",
        "01000",
        '7:14: error: code_postal: « 01000 » doit être un texte : mettez la valeur entre guillemets ("01000")',
    ),
    "postcode 0712": (
        "code_postal",
        "0712",
        '7:14: error: code_postal: « 0712 » doit être un texte : mettez la valeur entre guillemets ("0712")',
    ),
    "INSEE code as a number": (
        "code_insee",
        "15014",
        '7:13: error: code_insee: « 15014 » doit être un texte : mettez la valeur entre guillemets ("15014")',
    ),
    "phone as a number": (
        "telephone",
        "0471454647",
        '7:12: error: telephone: « 0471454647 » doit être un texte : mettez la valeur entre guillemets ("0471454647")',
    ),
    "international phone as a number": (
        "telephone",
        "+33471454647",
        "7:12: error: telephone: « +33471454647 » doit "
        'être un texte : mettez la valeur entre guillemets ("+33471454647")',
    ),
    "short number as a number": (
        "telephone",
        "115",
        '7:12: error: telephone: « 115 » doit être un texte : mettez la valeur entre guillemets ("115")',
    ),
    "no": (
        "commune",
        "no",
        '7:10: error: commune: « no » doit être un texte : mettez la valeur entre guillemets ("no")',
    ),
    "on": (
        "commune",
        "on",
        '7:10: error: commune: « on » doit être un texte : mettez la valeur entre guillemets ("on")',
    ),
    "1:30 read as sexagesimal": (
        "periodicite",
        "1:30",
        '7:14: error: periodicite: « 1:30 » doit être un texte : mettez la valeur entre guillemets ("1:30")',
    ),
    "a date where a text is expected": (
        "nom",
        "2026-01-01",
        '3:6: error: nom: « 2026-01-01 » doit être un texte : mettez la valeur entre guillemets ("2026-01-01")',
    ),
    "a decimal number": (
        "frais_precisions",
        "3.50",
        '7:19: error: frais_precisions: « 3.50 » doit être un texte : mettez la valeur entre guillemets ("3.50")',
    ),
    "hexadecimal": (
        "periodicite",
        "0x1F",
        '7:14: error: periodicite: « 0x1F » doit être un texte : mettez la valeur entre guillemets ("0x1F")',
    ),
    "a list for a text": (
        "nom",
        "[Atelier, budget]",
        "3:6: error: nom: un texte est attendu, pas une liste ni un ensemble de champs",
    ),
    "nothing after the colon of a required field": (
        "nom",
        "",
        "3:5: error: nom: valeur manquante : ce champ est obligatoire",
    ),
    "null for a required list": ("freins", "~", "5:9: error: freins: valeur manquante : ce champ est obligatoire"),
    "empty optional list": (
        "partenaires",
        "",
        "7:13: error: partenaires: valeur manquante : complétez le champ ou retirez la ligne",
    ),
    "empty list item": (
        "freins",
        "[sante, ~]",
        "5:17: error: freins: élément de liste vide : complétez-le ou retirez le « - » en trop",
    ),
}


@pytest.mark.parametrize("field, value, expected", YAML11.values(), ids=YAML11.keys())
def test_yaml11_values_are_refused_quoting_the_text_as_typed(resources, field, value, expected):
    assert_only_error(check_service(resources, **{field: value}), f"{SERVICE_PATH}:{expected}")


def test_quoted_codes_are_accepted_and_kept_as_typed(resources):
    run = check_service(
        resources, code_postal='"15000"', code_insee="'15014'", telephone='"0471454647"', commune='"no"'
    )
    assert run.diagnostics == [] and run.code == 0, run.out
    catalog = load_catalog(resources, "resources", Report())
    service = catalog.services["atelier-test"]
    assert (service.code_postal, service.code_insee, service.telephone, service.commune) == (
        "15000",
        "15014",
        "0471454647",
        "no",
    )


# --- unknown fields and vocabularies ----------------------------------------------------------------

UNKNOWN_AND_ENUMS = {
    "misspelt field": (
        "telephon",
        '"04 71 45 46 47"',
        "7:1: error: telephon: champ inconnu : vouliez-vous dire « telephone » ?",
    ),
    "unknown field": (
        "zzz",
        "1",
        "7:1: error: zzz: champ inconnu (les champs possibles sont décrits dans CONTRIBUTING.md)",
    ),
    "structure-only field on a service": (
        "sigle",
        "UDAF",
        "7:1: error: sigle: champ inconnu (les champs possibles sont décrits dans CONTRIBUTING.md)",
    ),
    "misspelt type": (
        "type",
        "accompagnemant",
        "7:7: error: type: « accompagnemant » n'est pas une valeur autorisée : vouliez-vous dire « accompagnement » ?",
    ),
    "capitalised type": (
        "type",
        "Accompagnement",
        "7:7: error: type: « Accompagnement » n'est pas une valeur autorisée : écrivez « accompagnement »",
    ),
    "type out of the vocabulary": (
        "type",
        "conseil",
        "7:7: error: type: « conseil » n'est pas une valeur autorisée ; valeurs possibles : "
        "accompagnement (Accompagnement), aide-financiere (Aide financière), aide-materielle (Aide matérielle), "
        "atelier (Atelier), formation (Formation), information (Information)",
    ),
    "a list for one value": (
        "type",
        "[atelier]",
        "7:7: error: type: une seule valeur est attendue ici, pas une liste ni un ensemble de champs",
    ),
    "a number for a vocabulary value": (
        "frais",
        "0",
        "7:8: error: frais: « 0 » n'est pas une valeur autorisée ; valeurs possibles : gratuit (Gratuit), payant (Payant)",
    ),
    "misspelt frais": (
        "frais",
        "gratuite",
        "7:8: error: frais: « gratuite » n'est pas une valeur autorisée : vouliez-vous dire « gratuit » ?",
    ),
    "thematique category only": (
        "thematiques",
        "[numerique]",
        "7:15: error: thematiques: « numerique » n'est pas une valeur autorisée ; "
        "valeurs commençant ainsi : numerique--acceder-a-des-services-en-ligne, "
        "numerique--acceder-a-une-connexion-internet, numerique--acquerir-un-equipement, "
        "numerique--maitriser-les-fondamentaux-du-numerique",
    ),
    "misspelt thematique": (
        "thematiques",
        "[sante--acces-aux-soin]",
        "7:15: error: thematiques: « sante--acces-aux-soin » n'est pas "
        "une valeur autorisée : vouliez-vous dire « sante--acces-aux-soins » ?",
    ),
    "misspelt public": (
        "publics",
        "[jeunes, femme]",
        "7:19: error: publics: « femme » n'est pas une valeur autorisée : vouliez-vous dire « femmes » ?",
    ),
    "misspelt mode d'accueil": (
        "modes_accueil",
        "[presentiel]",
        "7:17: error: modes_accueil: « presentiel » n'est pas une valeur "
        "autorisée : vouliez-vous dire « en-presentiel » ?",
    ),
    "misspelt mobilisable_par": (
        "mobilisable_par",
        "[professionnel]",
        "7:19: error: mobilisable_par: « professionnel » n'est pas "
        "une valeur autorisée : vouliez-vous dire « professionnels » ?",
    ),
    "frein with an accent": (
        "freins",
        "[mobilité]",
        "5:10: error: freins: « mobilité » n'est pas une valeur autorisée : écrivez « mobilite »",
    ),
    "frein out of the référentiel": (
        "freins",
        "[transport]",
        "5:10: error: freins: « transport » n'est pas une valeur autorisée ; valeurs possibles : mobilite (Mobilité), "
        "logement (Logement, hébergement), sante (Santé, addictions, santé mentale), contraintes-familiales "
        "(Contraintes familiales, garde d'enfants), difficultes-financieres (Budget, difficultés financières), "
        "difficultes-administratives (Démarches administratives, accès aux droits, justice), maitrise-langue "
        "(Maîtrise du français, savoirs de base), numerique (Numérique), besoins-essentiels (Alimentation, "
        "équipement, aide d'urgence)",
    ),
    "no frein": ("freins", "[]", "5:9: error: freins: au moins 1 valeur attendue"),
    "frein not in a list": (
        "freins",
        "sante",
        "5:9: error: freins: une liste est attendue, par exemple [valeur1, valeur2] "
        "ou une valeur par ligne précédée de « - »",
    ),
    "tous-publics with another public": (
        "publics",
        "[tous-publics, jeunes]",
        "7:10: error: publics: « tous-publics » s'emploie seul : retirez-le ou retirez les autres publics",
    ),
}


@pytest.mark.parametrize("field, value, expected", UNKNOWN_AND_ENUMS.values(), ids=UNKNOWN_AND_ENUMS.keys())
def test_unknown_fields_and_vocabulary_values_are_refused_with_a_hint(resources, field, value, expected):
    assert_only_error(check_service(resources, **{field: value}), f"{SERVICE_PATH}:{expected}")


def test_every_data_inclusion_vocabulary_is_accepted(resources):
    run = check_service(
        resources,
        type="atelier",
        thematiques="[sante--acces-aux-soins]",
        publics="[tous-publics]",
        frais="payant",
        modes_accueil="[a-distance]",
        modes_mobilisation="[se-presenter]",
        mobilisable_par="[professionnels, usagers]",
        freins="[mobilite, logement, sante, contraintes-familiales, difficultes-financieres, "
        "difficultes-administratives, maitrise-langue, numerique, besoins-essentiels]",
    )
    assert run.diagnostics == [] and run.code == 0, run.out


# --- contact, codes, coordinates, opening hours, dates ------------------------------------------------

FIELDS = {
    "short phone": (
        "telephone",
        '"04 71"',
        "7:12: error: telephone: « 04 71 » n'est pas un numéro de téléphone valide (exemple : « 04 71 45 46 47 »)",
    ),
    "unknown short number": (
        "telephone",
        '"1234"',
        "7:12: error: telephone: « 1234 » n'est pas un numéro de téléphone valide (exemple : « 04 71 45 46 47 »)",
    ),
    "letters for a phone": (
        "telephone",
        '"standard"',
        "7:12: error: telephone: « standard » n'est pas un numéro de téléphone : chiffres, espaces, points ou tirets "
        "seulement (exemple : « 04 71 45 46 47 »)",
    ),
    "e-mail without domain": (
        "courriel",
        "contact@",
        "7:11: error: courriel: « contact@ » n'est pas une adresse électronique "
        "valide (exemple : « contact@exemple.fr »)",
    ),
    "e-mail without a dot": (
        "courriel",
        "contact@udaf",
        "7:11: error: courriel: « contact@udaf » n'est pas une adresse "
        "électronique valide (exemple : « contact@exemple.fr »)",
    ),
    "ftp URL": (
        "site_web",
        "ftp://udaf15.fr",
        "7:11: error: site_web: « ftp://udaf15.fr » n'est pas une adresse web valide : "
        "elle doit commencer par https:// ou http://",
    ),
    "URL without scheme": (
        "site_web",
        "www.udaf15.fr",
        "7:11: error: site_web: « www.udaf15.fr » n'est pas une adresse web "
        "valide : elle doit commencer par https:// ou http://",
    ),
    "javascript URL": (
        "site_web",
        '"javascript:alert(1)"',
        "7:11: error: site_web: « javascript:alert(1) » n'est pas une adresse "
        "web valide : elle doit commencer par https:// ou http://",
    ),
    "URL without a domain": (
        "site_web",
        "https://intranet",
        "7:11: error: site_web: « https://intranet » n'est pas une adresse "
        "web valide : elle doit commencer par https:// ou http://",
    ),
    "postcode of four digits": (
        "code_postal",
        '"1500"',
        "7:14: error: code_postal: « 1500 » n'est pas un code postal : 5 chiffres attendus, par exemple « 15000 »",
    ),
    "postcode with letters": (
        "code_postal",
        '"2A004"',
        "7:14: error: code_postal: « 2A004 » n'est pas un code postal : 5 chiffres attendus, par exemple « 15000 »",
    ),
    "postcode with other digits": (
        "code_postal",
        '"١٥٠٠٠"',
        "7:14: error: code_postal: « ١٥٠٠٠ » n'est pas un code postal : 5 chiffres attendus, par exemple « 15000 »",
    ),
    "INSEE code of four digits": (
        "code_insee",
        '"1501"',
        "7:13: error: code_insee: « 1501 » n'est pas un code commune INSEE : "
        "5 caractères attendus, par exemple « 15014 »",
    ),
    "INSEE code 2C": (
        "code_insee",
        '"2C004"',
        "7:13: error: code_insee: « 2C004 » n'est pas un code commune INSEE : "
        "5 caractères attendus, par exemple « 15014 »",
    ),
    "coordinates swapped": (
        "latitude",
        "2.4439\nlongitude: 44.9264",
        "8:12: error: longitude: le point (2.4439, 44.9264) n'est ni "
        "en France métropolitaine ni outre-mer (latitude et longitude inversées ?)",
    ),
    "coordinates abroad": (
        "latitude",
        "40.4168\nlongitude: -3.7038",
        "8:12: error: longitude: le point (40.4168, -3.7038) n'est ni "
        "en France métropolitaine ni outre-mer (latitude et longitude inversées ?)",
    ),
    "latitude alone": (
        "latitude",
        "44.9264",
        "7:1: error: longitude: latitude et longitude vont ensemble : renseignez les deux ou aucune",
    ),
    "longitude alone": (
        "longitude",
        "2.4439",
        "7:12: error: longitude: latitude et longitude vont ensemble : renseignez les deux ou aucune",
    ),
    "decimal comma": (
        "latitude",
        '"44,9264"\nlongitude: 2.4439',
        "7:11: error: latitude: « 44,9264 » n'est pas un nombre (par exemple 44.9264)",
    ),
    "opening hours in words": (
        "horaires_accueil",
        '"lundi 9h-12h"',
        "7:19: error: horaires_accueil: « lundi 9h-12h » n'est pas écrit au format des horaires : écrivez "
        "« Mo 09:00-12:00 » : jours en anglais abrégé (Mo Tu We Th Fr Sa Su), heures en 14:00",
    ),
    "opening hours without minutes": (
        "horaires_accueil",
        '"Mo-Fr 9-12"',
        "7:19: error: horaires_accueil: « Mo-Fr 9-12 » n'est pas écrit au format des horaires : jours en anglais "
        "abrégé (Mo Tu We Th Fr Sa Su), heures en 14:00, plages séparées par une virgule et jours différents par "
        "un point-virgule, par exemple « Mo-Fr 09:00-12:00,13:30-17:00; PH off » (PH : jours fériés, off : fermé)",
    ),
    "date in the future": (
        "date_maj",
        "2026-11-02",
        "6:11: error: date_maj: la date 2026-11-02 est dans le futur : indiquez la date de la dernière vérification",
    ),
    "date too old": (
        "date_maj",
        "1999-12-31",
        "6:11: error: date_maj: la date 1999-12-31 est trop ancienne pour une vérification",
    ),
    "month only": (
        "date_maj",
        "2026-10",
        "6:11: error: date_maj: « 2026-10 » n'est pas une date au format AAAA-MM-JJ "
        "(par exemple 2026-09-30, sans guillemets)",
    ),
    "date and time": (
        "date_maj",
        "2026-10-01T10:00:00",
        "6:11: error: date_maj: « 2026-10-01T10:00:00 » n'est pas une date au format "
        "AAAA-MM-JJ (par exemple 2026-09-30, sans guillemets)",
    ),
    "Unix time": (
        "date_maj",
        "1790000000",
        "6:11: error: date_maj: « 1790000000 » n'est pas une date au format AAAA-MM-JJ "
        "(par exemple 2026-09-30, sans guillemets)",
    ),
    "French date": (
        "date_maj",
        "01/10/2026",
        "6:11: error: date_maj: « 01/10/2026 » n'est pas une date au format AAAA-MM-JJ "
        "(par exemple 2026-09-30, sans guillemets)",
    ),
    "id with capitals": (
        "id",
        "Atelier-Test",
        "1:5: error: id: « Atelier-Test » n'est pas un identifiant valide : lettres "
        "minuscules sans accent, chiffres et tirets ; écrivez « atelier-test »",
    ),
    "structure id with an accent": (
        "structure",
        "udaf-cantal-é",
        "2:12: error: structure: « udaf-cantal-é » n'est pas un identifiant "
        "valide : lettres minuscules sans accent, chiffres et tirets ; écrivez « udaf-cantal-e »",
    ),
    "name too short": ("nom", "PC", "3:6: error: nom: trop court : au moins 3 caractères"),
    "name too long": ("nom", "A" * 151, "3:6: error: nom: trop long : au plus 150 caractères"),
    "blank description": ("description", '"   "', "4:14: error: description: ne doit pas être vide"),
    "missing frein": (
        "freins",
        None,
        "5:1: error: freins: champ obligatoire manquant : ajoutez à cette ligne « freins: [besoins-essentiels] »",
    ),
}


@pytest.mark.parametrize("field, value, expected", FIELDS.values(), ids=FIELDS.keys())
def test_field_values_are_checked(resources, field, value, expected):
    assert_only_error(check_service(resources, **{field: value}), f"{SERVICE_PATH}:{expected}")


ACCEPTED = {
    "national phone": {"telephone": '"04 71 45 46 47"'},
    "phone with dots": {"telephone": '"04.71.45.46.47"'},
    "international phone": {"telephone": '"+33 4 71 45 46 47"'},
    "mobile phone": {"telephone": '"06 12 34 56 78"'},
    "emergency accommodation number": {"telephone": '"115"'},
    "four-digit short number": {"telephone": '"3949"'},
    "free number": {"telephone": '"0 800 840 800"'},
    "La Réunion number": {"telephone": '"0262 12 34 56"'},
    "La Réunion mobile": {"telephone": '"0692 12 34 56"'},
    "Guadeloupe number": {"telephone": '"0590 27 00 00"'},
    "e-mail": {"courriel": "contact@udaf15.fr"},
    "https URL with a path": {"site_web": "https://www.udaf15.fr/contact?sujet=budget#horaires"},
    "http URL": {"site_web": "http://udaf15.fr"},
    "Corsican INSEE code": {"code_insee": '"2A004"'},
    "metropolitan point": {"latitude": "44.9264", "longitude": "2.4439"},
    "La Réunion point": {"latitude": "-20.8823", "longitude": "55.4504"},
    "Guyane point": {"latitude": "4.9372", "longitude": "-52.3260"},
    "opening hours": {"horaires_accueil": '"Mo-Fr 09:00-12:00,13:30-17:00; PH off"'},
    "opening hours by week": {"horaires_accueil": '"Tu 14:00-16:00; week 1-53/2 Th 09:00-12:00"'},
    "opening hours from sunrise to sunset": {"horaires_accueil": '"Mo-Fr sunrise-sunset; PH off"'},
    "opening hours until sunset": {"horaires_accueil": '"Sa 08:00-sunset"'},
    "opening hours with a sun offset": {"horaires_accueil": '"Mo-Fr (sunrise+01:00)-(sunset-00:30)"'},
    "date of today": {"date_maj": "2026-11-01"},
    "quoted date": {"date_maj": '"2026-10-01"'},
    "tous-publics alone": {"publics": "[tous-publics]"},
    "partner and bassin": {"partenaires": "[udaf-cantal]", "bassins": "[aurillac, saint-flour]"},
    "collective action": {"type": "atelier", "periodicite": "un jeudi par mois"},
    "multi-line Markdown description": {"description": "|\n  Premier paragraphe.\n\n  - un point\n  - un autre"},
}


@pytest.mark.parametrize("fields", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_valid_values_are_accepted(resources, fields):
    run = check_service(resources, **fields)
    assert run.diagnostics == [] and run.code == 0, run.out


def test_phone_numbers_are_stored_as_typed(resources):
    check_service(resources, telephone='"04.71.45.46.47"')
    catalog = load_catalog(resources, "resources", Report())
    assert catalog.services["atelier-test"].telephone == "04.71.45.46.47"


# --- structures and territories ---------------------------------------------------------------------

STRUCTURE_FIELDS = {
    "SIRET with a wrong key": (
        "siret",
        '"13003013300017"',
        "6:8: error: siret: « 13003013300017 » n'est pas un SIRET valide (clé de contrôle incorrecte)",
    ),
    "SIRET too short": (
        "siret",
        '"1300301330001"',
        "6:8: error: siret: « 1300301330001 » n'est pas un SIRET : 14 chiffres attendus",
    ),
    "SIRET with letters": (
        "siret",
        '"1300301330001A"',
        "6:8: error: siret: « 1300301330001A » n'est pas un SIRET : 14 chiffres attendus",
    ),
    "SIRET as a number": (
        "siret",
        "13003013300016",
        "6:8: error: siret: « 13003013300016 » doit être un texte : mettez la valeur "
        'entre guillemets ("13003013300016")',
    ),
    "maintainer with @": (
        "mainteneurs",
        '["@marie"]',
        "6:15: error: mainteneurs: « @marie » n'est pas un nom de compte de la forge "
        "(lettres, chiffres, - _ . ; sans @)",
    ),
    "unknown field on a structure": (
        "horaires",
        '"Mo-Fr 09:00-12:00"',
        "6:1: error: horaires: champ inconnu : vouliez-vous dire « horaires_accueil » ?",
    ),
    "accessibility link": (
        "accessibilite_lieu",
        "acceslibre",
        "6:21: error: accessibilite_lieu: « acceslibre » n'est pas une adresse "
        "web valide : elle doit commencer par https:// ou http://",
    ),
    "missing territory": (
        "territoire",
        None,
        "3:1: error: territoire: champ obligatoire manquant : ajoutez à cette ligne « territoire: cantal »",
    ),
}


@pytest.mark.parametrize("field, value, expected", STRUCTURE_FIELDS.values(), ids=STRUCTURE_FIELDS.keys())
def test_structure_fields_are_checked(resources, field, value, expected):
    assert_only_error(check_structure(resources, **{field: value}), f"{STRUCTURE_PATH}:{expected}")


def test_a_valid_siret_is_accepted(resources):
    run = check_structure(resources, siret='"13003013300016"', sigle="UDAF", mainteneurs="[marie.dupont, udaf_15]")
    assert run.diagnostics == [] and run.code == 0, run.out


TERRITOIRE_CASES = {
    "département as a number": (
        TERRITOIRE.replace('"15"', "15"),
        '3:14: error: departement: « 15 » doit être un texte : mettez la valeur entre guillemets ("15")',
    ),
    "unknown département": (
        TERRITOIRE.replace('"15"', '"99"'),
        "3:14: error: departement: « 99 » n'est pas un code de département, par exemple « 15 », « 2A » ou « 974 »",
    ),
    "bassin without name": (
        TERRITOIRE.replace("    nom: Bassin d'Aurillac\n", ""),
        "5:5: error: bassins[0].nom: champ obligatoire manquant : ajoutez dans cet élément « nom: Bassin de Saint-Flour »",
    ),
    "commune code as a number": (
        TERRITOIRE.replace('["15014"]', "[15014]"),
        '7:16: error: bassins[0].communes: « 15014 » doit être un texte : mettez la valeur entre guillemets ("15014")',
    ),
    "no bassin": (
        TERRITOIRE.split("bassins:")[0] + "bassins: []\n",
        "4:10: error: bassins: au moins 1 valeur attendue",
    ),
    "demonstration flag in words": (
        TERRITOIRE + "demonstration: peut-être\n",
        "8:16: error: demonstration: « peut-être » : true ou false attendu",
    ),
}


@pytest.mark.parametrize("content, expected", TERRITOIRE_CASES.values(), ids=TERRITOIRE_CASES.keys())
def test_territoire_fields_are_checked(resources, content, expected):
    assert_only_error(check(resources, "territoires", "cantal", content), f"{TERRITOIRE_PATH}:{expected}")


def test_a_misspelt_nested_field_is_unknown_and_the_right_one_missing(resources):
    run = check(resources, "territoires", "cantal", TERRITOIRE.replace("communes:", "commune:"))
    assert run.diagnostics == [
        f"{TERRITOIRE_PATH}:7:5: error: bassins[0].commune: champ inconnu : vouliez-vous dire « communes » ?",
    ]
    assert run.code == 1


# Each département with a commune of its own (the chef-lieu): the bassins' communes must belong to it.
CHEFS_LIEUX = {
    "01": "01053",
    "15": "15014",
    "2A": "2A004",
    "2B": "2B033",
    "69": "69123",
    "95": "95500",
    "971": "97105",
    "974": "97411",
    "976": "97611",
}


@pytest.mark.parametrize("departement", sorted(CHEFS_LIEUX))
def test_departement_codes_are_accepted(resources, departement):
    territoire = TERRITOIRE.replace('"15"', f'"{departement}"').replace('"15014"', f'"{CHEFS_LIEUX[departement]}"')
    run = check(resources, "territoires", "cantal", territoire)
    assert run.code == 0, run.out  # a warning (postcodes outside the département) is not an error


# --- the models themselves -----------------------------------------------------------------------------


def test_models_describe_every_field_in_french_for_the_json_schema():
    for model in (Territoire, Structure, Service):
        schema = model.model_json_schema()
        assert model.__doc__ and schema["description"]
        for name, prop in schema["properties"].items():
            assert prop.get("description") or "$ref" in prop or "allOf" in prop or "anyOf" in prop, (
                model.__name__,
                name,
            )


def test_models_refuse_extra_fields_and_are_frozen():
    service = Service.model_validate(
        {
            **{k: v for k, v in SERVICE.items() if k not in ("freins", "date_maj")},
            "freins": ["sante"],
            "date_maj": "2026-10-01",
        },
        context={"today": __import__("datetime").date(2026, 11, 1)},
    )
    with pytest.raises(ValidationError):
        service.nom = "autre"  # type: ignore[misc]


def test_an_invisible_character_in_a_field_name_is_shown_and_explained(resources):
    content = record(SERVICE).replace("nom: ", "\u200bnom: ").replace("date_maj:", "date_maj\u00a0:")
    run = check(resources, "services", "atelier-test", content)
    assert run.diagnostics == [
        f"{SERVICE_PATH}:3:1: error: \\u200bnom: champ inconnu : espace ou caractère invisible dans le nom, "
        "vouliez-vous dire « nom » ?",
        f"{SERVICE_PATH}:6:1: error: date_maj\\xa0: champ inconnu : espace ou caractère invisible dans le nom, "
        "vouliez-vous dire « date_maj » ?",
    ]
    assert run.code == 1
