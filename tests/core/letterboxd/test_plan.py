"""Matching a Letterboxd row to the catalogue, and what importing rows adds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.core.films.service import open_library
from bot.core.letterboxd.files import Row
from bot.core.letterboxd.model import ImportedViewing
from bot.core.letterboxd.service import match, plan

ROOT = Path(__file__).resolve().parents[3]
INDEX = open_library(ROOT / "data" / "films.yaml").index


@pytest.mark.parametrize(
    ("title", "year", "film_id"),
    [
        ("The Cranes Are Flying", 1957, "cranes-are-flying"),
        ("Летят журавли", 1957, "cranes-are-flying"),  # the original title
        ("The Cranes Are Flying", 1958, "cranes-are-flying"),  # a year off by one
        ("The Irony of Fate", 1976, "irony-of-fate"),  # filed under its first showing
        ("The Irony of Fate, or Enjoy Your Bath!", 1975, "irony-of-fate"),  # found by search
        ("The Cranes Are Flying", None, "cranes-are-flying"),
    ],
)
def test_a_row_finds_its_film_by_title_and_year(title: str, year: int | None, film_id: str) -> None:
    film = match(title, year, INDEX)
    assert film is not None and film.id == film_id


@pytest.mark.parametrize(("title", "year"), [("The Cranes Are Flying", 1990), ("Stalker", 1979), ("", None)])
def test_a_row_of_another_film_or_year_matches_nothing(title: str, year: int | None) -> None:
    assert match(title, year, INDEX) is None


def test_a_diary_row_is_a_viewing_with_its_date_and_rating() -> None:
    found = plan([Row("diary", "The Cranes Are Flying", 1957, date(2026, 4, 1), 9)], INDEX)
    assert found.watched == {"cranes-are-flying"} and found.to_watch == set()
    assert found.viewings == [ImportedViewing("cranes-are-flying", date(2026, 4, 1), 9)]
    assert found.ratings == {}  # the film's rating is its latest rated viewing's


def test_a_ratings_row_rates_the_film_and_marks_it_watched() -> None:
    found = plan([Row("ratings", "The Cranes Are Flying", 1957, None, 6)], INDEX)
    assert found.watched == {"cranes-are-flying"}
    assert found.viewings == [ImportedViewing("cranes-are-flying", None, 6, mark=True)]
    assert found.ratings == {"cranes-are-flying": 6}


def test_the_diary_wins_over_the_watched_and_ratings_rows_of_the_same_film() -> None:
    rows = [
        Row("watched", "The Cranes Are Flying", 1957),
        Row("ratings", "The Cranes Are Flying", 1957, None, 6),
        Row("diary", "The Cranes Are Flying", 1957, date(2026, 4, 1), 8),
    ]
    found = plan(rows, INDEX)
    assert found.viewings == [ImportedViewing("cranes-are-flying", date(2026, 4, 1), 8)]  # no mark


def test_a_film_to_watch_that_was_watched_is_not_to_watch() -> None:
    rows = [Row("watchlist", "The Cranes Are Flying", 1957), Row("watched", "The Cranes Are Flying", 1957)]
    found = plan(rows, INDEX)
    assert found.to_watch == set() and found.watched == {"cranes-are-flying"}


def test_rows_that_match_nothing_are_named_once() -> None:
    rows = [
        Row("watchlist", "Stalker", 1979),
        Row("watched", "Stalker", 1979),
        Row("watchlist", "Solaris", None),
    ]
    found = plan(rows, INDEX)
    assert found.unmatched == [("Stalker", 1979), ("Solaris", None)]
    assert found.films == 0


def test_a_row_finds_its_exact_film_by_an_id_before_its_title() -> None:
    """Issue #26: a row with the film's IMDb id or Letterboxd address is that film, whatever title
    it carries (a translated title, a typo); then title and year as before."""
    rows = [
        Row("watchlist", "Quand passent les cigognes", 1957, imdb="tt0050634"),
        Row("watched", "Ironie des Schicksals?", 1975, uri=None, imdb="tt0073179"),
        Row("watchlist", "Les grues", 1957, uri="https://letterboxd.com/film/the-cranes-are-flying/"),
        Row("watchlist", "Nothing like it", 1957, imdb="tt9999999"),  # an id of no film here
    ]
    found = plan(rows, INDEX)
    assert found.to_watch == {"cranes-are-flying"} and found.watched == {"irony-of-fate"}
    assert found.unmatched == [("Nothing like it", 1957)]
