"""Given-name gender guesses: the hand-made news list first, then the bundled census table."""

from __future__ import annotations

import pytest
from newsbot.summaries.name_gender import first_name_gender


@pytest.mark.parametrize(
    ("name", "gender"),
    [
        ("Nadia", "f"),  # census table only
        ("Dennis", "m"),
        ("TERESA", "f"),  # any case
        ("Siobhán", "f"),  # accents as the census writes the name: without
        ("Zoë", "f"),
        ("Volodymyr", "m"),  # hand-made list: rare in the census
        ("Chrystia", "f"),
        ("Dr.", None),  # not a given name
        ("Navdeep", None),  # unknown: compatible with any pronoun
        ("Erin", None),  # the hand-made list marks it as given to both
        ("Lu", None),  # East Asian names the census files under one sex decide nothing
        ("Wei", None),
    ],
)
def test_first_name_gender(name: str, gender: str | None) -> None:
    assert first_name_gender(name) == gender


@pytest.mark.parametrize(
    ("name", "gender"),
    [("Kwame", "m"), ("Iryna", "f"), ("Ragnar", "m"), ("Saoirse", "f"), ("Mehmet", "m")],
)
def test_names_the_census_lacks_come_from_the_hand_made_list(name: str, gender: str) -> None:
    assert first_name_gender(name) == gender
