"""French wording shared by every stage: dates and counts."""

from __future__ import annotations

from datetime import date

import pytest

from generator.records.french import date_fr, plural


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 3, 1), "1er mars 2026"),
        (date(2026, 8, 14), "14 août 2026"),
        (date(2027, 12, 31), "31 décembre 2027"),
        (date(2026, 2, 2), "2 février 2026"),
    ],
)
def test_dates_read_as_in_french(day, expected):
    assert date_fr(day) == expected


@pytest.mark.parametrize(
    "count, words, expected",
    [
        (0, ("service",), "0 service"),
        (1, ("service",), "1 service"),
        (2, ("service",), "2 services"),
        (1, ("fiche modifiée", "fiches modifiées"), "1 fiche modifiée"),
        (12, ("fiche n'a pas été vérifiée", "fiches n'ont pas été vérifiées"), "12 fiches n'ont pas été vérifiées"),
    ],
)
def test_counts_keep_the_singular_below_two(count, words, expected):
    assert plural(count, *words) == expected
