"""A quality score per record, in the spirit of data·inclusion's `score_qualite`.

Each criterion gives a score between 0 and 1, or None where it does not apply (an address for a
service only given at a distance); a record's score is the mean of the criteria that apply.
Thresholds follow data·inclusion's: a description of 200 to 2,000 characters is ideal, a record
checked in the last 6 months is fresh, and one not checked for 2 years scores nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from data_inclusion.schema import v1 as di

from generator.opendata.export import csv_safe, description_text
from generator.records.catalog import Catalog
from generator.records.french import plural
from generator.records.models import Service, Structure, place_of

CRITERIA = {
    "contact": "Contact",
    "adresse": "Adresse",
    "horaires": "Horaires",
    "description": "Description",
    "fraicheur": "Fraîcheur",
}
LOW_SCORE = 0.5
FRESH_DAYS, OLD_DAYS = 183, 730  # six months, two years

# Each mode of mobilisation announced needs its channel.
_CHANNELS = {
    di.ModeMobilisation.TELEPHONER: ("telephone", "un numéro de téléphone"),
    di.ModeMobilisation.ENVOYER_UN_COURRIEL: ("courriel", "un courriel"),
    di.ModeMobilisation.UTILISER_LIEN_MOBILISATION: ("site_web", "un site web"),
}


@dataclass
class Quality:
    record: Structure | Service
    scores: dict[str, float | None]
    advice: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        applicable = [value for value in self.scores.values() if value is not None]
        return round(sum(applicable) / len(applicable), 2)


def assess(catalog: Catalog, record: Structure | Service) -> Quality:
    if isinstance(record, Service):
        place = place_of(record, catalog.structure_of(record))
        in_person = (
            di.ModeAccueil.EN_PRESENTIEL in record.modes_accueil
            or di.ModeMobilisation.SE_PRESENTER in record.modes_mobilisation
        )
        modes = record.modes_mobilisation
    else:
        place = {
            name: getattr(record, name)
            for name in ("adresse", "code_postal", "commune", "telephone", "courriel", "site_web", "horaires_accueil")
        }
        in_person, modes = True, []
    quality = Quality(record, {})
    quality.scores["contact"] = _contact(place, modes, quality.advice)
    quality.scores["adresse"] = _adresse(place, quality.advice) if in_person else None
    quality.scores["horaires"] = _horaires(place, quality.advice) if in_person else None
    quality.scores["description"] = _description(record.description, quality.advice)
    quality.scores["fraicheur"] = _fraicheur(record.date_maj, catalog.today, quality.advice)
    return quality


def assess_all(catalog: Catalog) -> list[Quality]:
    """Every structure and service, worst first; a service whose structure was refused is left to `check`'s errors."""
    services = [s for s in catalog.services.values() if s.structure in catalog.structures]
    records: list[Structure | Service] = [*catalog.structures.values(), *services]
    return sorted((assess(catalog, r) for r in records), key=lambda q: (q.score, q.record.kind, q.record.id))


def _contact(place: dict, modes: list[di.ModeMobilisation], advice: list[str]) -> float:
    if not any(place[name] for name in ("telephone", "courriel", "site_web")):
        advice.append("aucun moyen de contact : ajoutez un téléphone, un courriel ou un site web")
        return 0.0
    missing = [(mode, what) for mode, (name, what) in _CHANNELS.items() if mode in modes and not place[name]]
    for mode, what in missing:
        advice.append(f"mobilisation « {mode.value} » annoncée sans {what}")
    return 0.5 if missing else 1.0


def _adresse(place: dict, advice: list[str]) -> float:
    if place["adresse"] and place["code_postal"] and place["commune"]:
        return 1.0
    if place["commune"]:
        advice.append("adresse incomplète : précisez la voie et le code postal")
        return 0.5
    advice.append("accueil sur place sans adresse")
    return 0.0


def _horaires(place: dict, advice: list[str]) -> float:
    if place["horaires_accueil"]:
        return 1.0
    advice.append("accueil sur place sans horaires d'accueil")
    return 0.0


def _description(markdown: str, advice: list[str]) -> float:
    length = len(description_text(markdown))
    if length < 50:
        advice.append(f"description très courte ({length} caractères ; 200 à 2 000 conseillés)")
        return 0.0
    if length < 200:
        advice.append(f"description courte ({length} caractères ; 200 à 2 000 conseillés)")
        return 0.5
    if length <= 2000:
        return 1.0
    advice.append(f"description longue ({length} caractères ; 200 à 2 000 conseillés)")
    return 0.5


def _fraicheur(date_maj: date, today: date, advice: list[str]) -> float:
    age = (today - date_maj).days
    if age <= FRESH_DAYS:
        return 1.0
    advice.append(f"fiche vérifiée il y a {age // 30} mois")
    if age >= OLD_DAYS:
        return 0.0
    return round((OLD_DAYS - age) / (OLD_DAYS - FRESH_DAYS), 2)


def quality_csv(qualities: list[Quality]) -> str:
    """The quality page's table in full, for a spreadsheet: one row per fiche, worst first, no formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["type", "id", "nom", "score", *CRITERIA, "a_completer"])
    for q in qualities:
        scores = ["" if q.scores[name] is None else f"{q.scores[name]:.2f}" for name in CRITERIA]
        row = [q.record.kind, q.record.id, q.record.nom, f"{q.score:.2f}", *scores, " ; ".join(q.advice)]
        writer.writerow([csv_safe(cell) for cell in row])
    return buffer.getvalue()


def percent(score: float) -> str:
    return f"{round(score * 100)} %"


def summary_line(catalog: Catalog) -> str | None:
    """One line for `annuaire check`: the mean score and how many records need attention."""
    qualities = assess_all(catalog)
    if not qualities:
        return None
    mean = sum(q.score for q in qualities) / len(qualities)
    low = sum(1 for q in qualities if q.score < LOW_SCORE)
    return (
        f"Qualité des fiches : {percent(mean)} en moyenne sur {plural(len(qualities), 'fiche')}, {low} sous {percent(LOW_SCORE)} "
        "(détail : page « donnees/qualite » du site)."
    )
