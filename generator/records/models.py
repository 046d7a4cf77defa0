"""The three kinds of record (territoire, structure, service) as pydantic models.

Field names follow data·inclusion v1; its official enums are used for the shared vocabularies.
Descriptions are in French: they become the help shown by editors through the JSON Schema.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Annotated, Any, ClassVar

from data_inclusion.schema import v1 as di
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from generator.records.fields import (
    CodeInsee,
    CodePostal,
    Courriel,
    DateMaj,
    Departement,
    Distinct,
    Horaires,
    Identifiant,
    Ligne,
    Siret,
    Telephone,
    Texte,
    Url,
    in_france,
)
from generator.referentiels import FreinId

# Fields data·inclusion does not carry: the territory's alone, an import never touches them.
LOCAL_FIELDS = ("sigle", "mainteneurs", "freins", "partenaires", "bassins", "periodicite")


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: ClassVar[str]
    folder: ClassVar[str]

    id: Annotated[Identifiant, Field(title="Identifiant")]


class Bassin(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[Identifiant, Field(title="Identifiant")]
    nom: Annotated[Ligne, Field(title="Nom", description="Nom du bassin d'emploi, par exemple « Bassin d'Aurillac ».")]
    communes: Annotated[
        list[CodeInsee],
        Distinct(),
        Field(
            title="Communes",
            min_length=1,
            max_length=1000,
            description="Codes INSEE des communes du bassin, entre guillemets.",
        ),
    ]


class Territoire(Record):
    """Un territoire : un département (ou une métropole) et ses bassins d'emploi."""

    kind: ClassVar[str] = "territoire"
    folder: ClassVar[str] = "territoires"

    nom: Annotated[Ligne, Field(title="Nom", description="Nom du territoire, par exemple « Cantal ».")]
    departement: Annotated[Departement, Field(title="Département")]
    description: Annotated[
        Texte | None, Field(title="Description", description="Présentation du territoire et de la base.")
    ] = None
    demonstration: Annotated[
        bool,
        Field(
            title="Données de démonstration",
            strict=True,  # « yes », "true" or 1 are refused: true or false, without quotes
            description="true si les fiches sont des données de démonstration (coordonnées fictives) : le site l'affiche.",
        ),
    ] = False
    bassins: Annotated[
        list[Bassin],
        Field(
            title="Bassins d'emploi", min_length=1, max_length=200, description="Les bassins d'emploi du territoire."
        ),
    ]


class Provenance(BaseModel):
    """Where an imported record comes from, so that the référentiel recognises its own records on export,
    and which of its fields the territory curates (an import never replaces them)."""

    source: Annotated[
        str | None,
        Field(
            title="Source d'origine",
            pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
            max_length=100,
            description=(
                "Producteur d'origine de la fiche dans data·inclusion (par exemple « dora », « carif-oref »). "
                "Absent pour une fiche écrite par le territoire."
            ),
        ),
    ] = None
    id_source: Annotated[
        str | None,
        Field(
            title="Identifiant d'origine",
            pattern=r"^\S+$",
            max_length=300,
            description=(
                "Identifiant de la fiche dans data·inclusion, tel que publié (par exemple "
                "« carif-oref--01_GE2030516 ») : l'export le reprend, un nouvel import s'en sert pour mettre la fiche à jour."
            ),
        ),
    ] = None
    lien_source: Annotated[
        Url | None,
        Field(title="Lien vers la source", description="Lien vers la fiche sur le site du producteur d'origine."),
    ] = None
    champs_locaux: Annotated[
        list[str],
        Field(
            title="Champs tenus par le territoire",
            description=(
                "Champs venus de la source que le territoire corrige lui-même : un nouvel import ne les remplace pas. "
                f"{', '.join(LOCAL_FIELDS)} ne viennent jamais de data·inclusion et sont toujours gardés."
            ),
        ),
    ] = []
    absent_de_la_source: Annotated[
        date | None,
        Field(
            title="Absente de la source depuis",
            description=(
                "Date de l'import où la fiche ne figurait plus dans l'export de sa source : à revoir "
                "(la supprimer, ou retirer ce champ si le service existe toujours)."
            ),
        ),
    ] = None

    @field_validator("champs_locaux")
    @classmethod
    def _known_fields(cls, names: list[str]) -> list[str]:
        unknown = [name for name in names if name not in cls.model_fields]
        if unknown:
            raise ValueError(f"champs inconnus : {', '.join(unknown)}")
        return names


class Lieu(BaseModel):
    """Address, contact and opening hours: a structure's, which a service may override."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    adresse: Annotated[
        Ligne | None, Field(title="Adresse", description="Numéro et voie, par exemple « 1 place de la Paix ».")
    ] = None
    complement_adresse: Annotated[
        Ligne | None, Field(title="Complément d'adresse", description="Bâtiment, étage, boîte postale…")
    ] = None
    code_postal: Annotated[CodePostal | None, Field(title="Code postal")] = None
    code_insee: Annotated[CodeInsee | None, Field(title="Code INSEE")] = None
    commune: Annotated[Ligne | None, Field(title="Commune", description="Nom de la commune.")] = None
    latitude: Annotated[
        float | None, Field(title="Latitude", description="Latitude WGS 84 en degrés décimaux, par exemple 44.9264.")
    ] = None
    longitude: Annotated[
        float | None,
        Field(
            title="Longitude",
            validate_default=True,
            description="Longitude WGS 84 en degrés décimaux, par exemple 2.4439.",
        ),
    ] = None
    telephone: Annotated[Telephone | None, Field(title="Téléphone")] = None
    courriel: Annotated[Courriel | None, Field(title="Courriel")] = None
    site_web: Annotated[Url | None, Field(title="Site web")] = None
    horaires_accueil: Annotated[Horaires | None, Field(title="Horaires d'accueil")] = None

    @field_validator("longitude")
    @classmethod
    def _coordinates_in_france(cls, longitude: float | None, info: ValidationInfo) -> float | None:
        if "latitude" not in info.data:  # latitude itself was refused
            return longitude
        latitude = info.data["latitude"]
        if (latitude is None) != (longitude is None):
            raise ValueError("latitude et longitude vont ensemble : renseignez les deux ou aucune")
        if latitude is not None and longitude is not None and not in_france(latitude, longitude):
            raise ValueError(
                f"le point ({latitude}, {longitude}) n'est ni en France métropolitaine ni outre-mer "
                "(latitude et longitude inversées ?)"
            )
        return longitude


class Structure(Record, Lieu, Provenance):
    """Une structure : l'organisation qui porte des services (UDAF, CCAS, association…)."""

    kind: ClassVar[str] = "structure"
    folder: ClassVar[str] = "structures"

    nom: Annotated[Ligne, Field(title="Nom", min_length=3, max_length=150, description="Nom complet de la structure.")]
    sigle: Annotated[Ligne | None, Field(title="Sigle", description="Sigle usuel, par exemple « UDAF ».")] = None
    territoire: Annotated[
        Identifiant, Field(title="Territoire", description="Identifiant du territoire (fichier de territoires/).")
    ]
    siret: Annotated[Siret | None, Field(title="SIRET")] = None
    description: Annotated[
        Texte,
        Field(
            title="Description",
            description=(
                "Présentation de la structure. Markdown simple accepté : paragraphes, listes, *italique*, **gras**, liens."
            ),
        ),
    ]
    accessibilite_lieu: Annotated[
        Url | None, Field(title="Accessibilité du lieu", description="Lien vers la fiche Acceslibre du lieu.")
    ] = None
    mainteneurs: Annotated[
        list[Annotated[str, Field(pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$", max_length=100)]],
        Distinct(),
        Field(
            title="Mainteneurs",
            max_length=20,
            description="Comptes sur la forge des personnes qui relisent les modifications de cette fiche (sans @).",
        ),
    ] = []
    date_maj: Annotated[DateMaj, Field(title="Date de mise à jour")]


class Service(Record, Lieu, Provenance):
    """Un service : ce qu'une structure propose, actions collectives comprises (café santé, atelier budget…)."""

    kind: ClassVar[str] = "service"
    folder: ClassVar[str] = "services"

    structure: Annotated[
        Identifiant, Field(title="Structure", description="Identifiant de la structure qui porte le service.")
    ]
    nom: Annotated[Ligne, Field(title="Nom", min_length=3, max_length=150, description="Nom du service.")]
    description: Annotated[
        Texte,
        Field(
            title="Description",
            description=(
                "Ce que propose le service, en phrases courtes. Markdown simple accepté : paragraphes, listes, *italique*, liens."
            ),
        ),
    ]
    freins: Annotated[
        list[FreinId],
        Distinct(),
        Field(
            title="Freins",
            min_length=1,
            max_length=9,  # the référentiel's size
            description="Freins périphériques à l'emploi auxquels le service répond (référentiel du projet).",
        ),
    ]
    partenaires: Annotated[
        list[Identifiant],
        Distinct(),
        Field(title="Partenaires", max_length=100, description="Identifiants des structures partenaires du service."),
    ] = []
    type: Annotated[
        di.TypeService | None,
        Field(title="Type de service", description="Type de service (vocabulaire data·inclusion)."),
    ] = None
    thematiques: Annotated[
        list[di.Thematique],
        Distinct(),
        Field(title="Thématiques", max_length=100, description="Thématiques data·inclusion du service."),
    ] = []
    publics: Annotated[
        list[di.Public],
        Distinct(),
        Field(
            title="Publics",
            max_length=50,
            description=("Publics visés (vocabulaire data·inclusion) ; « tous-publics » s'emploie seul."),
        ),
    ] = []
    publics_precisions: Annotated[
        Texte | None, Field(title="Précisions sur les publics", description="Précisions sur les publics.")
    ] = None
    conditions_acces: Annotated[
        Texte | None, Field(title="Conditions d'accès", description="Conditions d'accès au service.")
    ] = None
    frais: Annotated[di.Frais | None, Field(title="Frais", description="Gratuit ou payant.")] = None
    frais_precisions: Annotated[
        Texte | None, Field(title="Précisions sur les frais", description="Précisions sur les frais.")
    ] = None
    modes_accueil: Annotated[
        list[di.ModeAccueil],
        Distinct(),
        Field(title="Modes d'accueil", max_length=10, description="En présentiel, à distance."),
    ] = []
    modes_mobilisation: Annotated[
        list[di.ModeMobilisation],
        Distinct(),
        Field(title="Modes de mobilisation", max_length=20, description="Comment mobiliser le service."),
    ] = []
    mobilisable_par: Annotated[
        list[di.PersonneMobilisatrice],
        Distinct(),
        Field(title="Mobilisable par", max_length=20, description="Qui peut mobiliser le service."),
    ] = []
    mobilisation_precisions: Annotated[
        Texte | None,
        Field(
            title="Précisions sur la mobilisation",
            description=("Comment orienter une personne : à qui écrire, quel document joindre (fiche de liaison…)."),
        ),
    ] = None
    bassins: Annotated[
        list[Identifiant],
        Distinct(),
        Field(
            title="Bassins d'emploi",
            max_length=200,
            description=(
                "Bassins d'emploi desservis (identifiants du territoire) ; aucun signifie tout le territoire."
            ),
        ),
    ] = []
    zone_eligibilite: Annotated[
        list[Annotated[str, Field(pattern=r"^(?:\w{2,3}|\w{5}|\d{9}|france)$")]],
        Field(
            title="Zone d'éligibilité",
            description=(
                "Zone d'éligibilité telle que data·inclusion la publie : codes INSEE de communes, "
                "codes SIREN d'EPCI, codes de départements, « france ». Exportée telle quelle ; "
                "sans elle, l'export la déduit des bassins."
            ),
        ),
    ] = []
    lien_mobilisation: Annotated[
        Url | None,
        Field(
            title="Lien de mobilisation",
            description="Lien pour mobiliser le service en ligne (formulaire, prise de rendez-vous).",
        ),
    ] = None
    periodicite: Annotated[
        Ligne | None,
        Field(title="Périodicité", description="Rythme d'une action collective, par exemple « un jeudi par mois »."),
    ] = None
    date_maj: Annotated[DateMaj, Field(title="Date de mise à jour")]

    @field_validator("publics")
    @classmethod
    def _tous_publics_alone(cls, publics: list[di.Public]) -> list[di.Public]:
        if di.Public.TOUS_PUBLICS in publics and len(publics) > 1:
            raise ValueError("« tous-publics » s'emploie seul : retirez-le ou retirez les autres publics")
        return publics


RECORD_KINDS: tuple[type[Record], ...] = (Territoire, Structure, Service)

ADDRESS_FIELDS = ("adresse", "complement_adresse", "code_postal", "code_insee", "commune", "latitude", "longitude")
CONTACT_FIELDS = ("telephone", "courriel", "site_web", "horaires_accueil")


def place_of(service: Service, structure: Structure) -> dict[str, Any]:
    """The address, contact and hours a person should use: the service's own, else its structure's.

    The address goes as a whole (a service's own commune never mixes with its structure's street).
    """
    owner = service if (service.adresse or service.commune) else structure
    place = {name: getattr(owner, name) for name in ADDRESS_FIELDS}
    for name in CONTACT_FIELDS:
        own = getattr(service, name)
        place[name] = own if own is not None else getattr(structure, name)
    return place


def field_order(model: type[Record]) -> list[str]:
    """How a record file reads: what the record is, then where and how to reach it, the check date, then where
    it comes from (an imported record's provenance)."""
    place = [name for name in Lieu.model_fields if name in model.model_fields]
    origin = [name for name in Provenance.model_fields if name in model.model_fields]
    own = [name for name in model.model_fields if name not in place and name not in origin and name != "date_maj"]
    return [*own, *place, *(["date_maj"] if "date_maj" in model.model_fields else []), *origin]


@cache
def field_labels() -> dict[str, str]:
    """Field name → its French label (the `title` of the models), for every kind: a name means the same everywhere."""
    models: tuple[type[BaseModel], ...] = (*RECORD_KINDS, Bassin)
    return {name: info.title or name for model in models for name, info in model.model_fields.items()}
