"""The everyday words of the job (referentiels/mots_courants.yml): every frein has its words, the words
advisers hear land in the right frein, and a word given to two freins is refused unless declared shared."""

from __future__ import annotations

import shutil

import pytest

import generator.referentiels as referentiels
from generator.referentiels import ReferentielError, freins, mots_courants


def test_every_frein_has_everyday_words():
    words = mots_courants()
    assert {f.id for f in freins()} == set(words.freins)
    assert all(len(words.freins[f.id]) >= 10 for f in freins())


@pytest.mark.parametrize(
    ("frein", "said"),
    [
        ("difficultes-financieres", ["dettes", "impayés", "crédit", "huissier", "surendettement"]),
        ("sante", ["alcool", "alcoolisme", "drogue", "cannabis", "dépression"]),
        ("contraintes-familiales", ["garde", "crèche", "nounou"]),
        ("mobilite", ["permis", "voiture", "transport"]),
        ("logement", ["hébergement d'urgence", "expulsion", "à la rue"]),
        ("maitrise-langue", ["FLE", "illettrisme", "cours de français"]),
        ("besoins-essentiels", ["colis alimentaire", "vêtements"]),
        ("difficultes-administratives", ["SPIP", "sortie de prison", "titre de séjour"]),
    ],
)
def test_words_heard_in_interviews_belong_to_their_frein(frein, said):
    assert set(said) <= set(mots_courants().freins[frein])


def test_thematique_words_are_indexed_with_a_service_that_declares_it():
    words = mots_courants().of(["sante"], ["sante--addictions"])
    assert "ANPAA" in words and "alcool" in words
    assert "ANPAA" not in mots_courants().of(["sante"], [])
    assert len(words) == len(set(words))


SHIPPED = referentiels._HERE


def _with_file(tmp_path, monkeypatch, text: str):
    shutil.copy(SHIPPED / "freins.yml", tmp_path / "freins.yml")
    (tmp_path / "mots_courants.yml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(referentiels, "_HERE", tmp_path)
    mots_courants.cache_clear()


@pytest.fixture
def restore_cache():
    yield
    mots_courants.cache_clear()


def test_a_word_in_two_freins_is_refused_unless_shared(tmp_path, monkeypatch, restore_cache):
    _with_file(tmp_path, monkeypatch, "freins:\n  mobilite: [garage]\n  logement: [garage]\nthematiques: {}\n")
    with pytest.raises(ReferentielError, match="« garage » sert deux freins"):
        mots_courants()
    _with_file(
        tmp_path,
        monkeypatch,
        "freins:\n  mobilite: [garage]\n  logement: [garage]\nthematiques: {}\npartages: [garage]\n",
    )
    assert mots_courants().freins["logement"] == ("garage",)


def test_unknown_frein_and_thematique_are_refused(tmp_path, monkeypatch, restore_cache):
    _with_file(tmp_path, monkeypatch, "freins:\n  velo: [bicyclette]\nthematiques:\n  sante--inconnue: [x]\n")
    with pytest.raises(ReferentielError, match="frein inconnu « velo ».*thématique data·inclusion inconnue"):
        mots_courants()
