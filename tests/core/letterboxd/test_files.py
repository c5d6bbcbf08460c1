"""Letterboxd's files, without a bot: what an export writes, and what reading an export takes or
refuses."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.core.catalogue.loading import load_catalogue
from bot.core.diary.model import Viewing
from bot.core.letterboxd.files import (
    MAX_FILE_BYTES,
    MAX_UNPACKED_BYTES,
    WATCHED_COLUMNS,
    Row,
    export,
    read_files,
    read_rows,
)
from bot.core.models import Refused
from bot.core.watchlists.model import Entry
from tests.support.samples import zip_of

ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = load_catalogue(ROOT / "data" / "films.yaml")
FILMS = CATALOGUE.by_id
MARCH = datetime(2026, 3, 1, tzinfo=UTC)


def entry(film_id: str, watched: bool = False) -> Entry:
    film = FILMS[film_id]
    return Entry(film_id, film.title, film.year, MARCH, MARCH if watched else None)


def viewing(number: int, film_id: str, on: date | None, rating: int | None = None) -> Viewing:
    return Viewing(number, film_id, on, rating, MARCH)


def rows_of(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_an_export_writes_the_diary_oldest_first_with_half_stars_and_rewatches() -> None:
    entries = [entry("cranes-are-flying", watched=True), entry("irony-of-fate")]
    viewings = [
        viewing(2, "cranes-are-flying", date(2026, 5, 2), 9),
        viewing(1, "cranes-are-flying", date(2026, 4, 1), 8),
    ]
    diary, to_watch = export(entries, viewings, FILMS)
    assert diary is not None and to_watch is not None
    assert diary.name == "letterboxd-diary.csv" and diary.rows == 2
    assert list(rows_of(diary.content)[0]) == WATCHED_COLUMNS
    first, second = rows_of(diary.content)
    assert (first["Title"], first["Year"], first["WatchedDate"]) == (
        "The Cranes Are Flying",
        "1957",
        "2026-04-01",
    )
    assert (first["Rating"], first["Rewatch"]) == ("4", "false")
    assert (second["Rating"], second["Rewatch"]) == ("4.5", "true")
    assert first["Directors"] == "Mikhail Kalatozov" and first["Original Title"] == "Летят журавли"
    assert [r["Title"] for r in rows_of(to_watch.content)] == ["The Irony of Fate"]


def test_the_year_exported_is_the_year_of_the_first_showing() -> None:
    irony = FILMS["irony-of-fate"]
    assert irony.premiere_year == 1976
    diary, _ = export([entry("irony-of-fate", watched=True)], [], FILMS)
    assert diary is not None
    row = rows_of(diary.content)[0]
    assert (row["Year"], row["WatchedDate"]) == ("1976", "2026-03-01")  # the day it was marked


def test_a_film_that_left_the_catalogue_is_exported_under_its_kept_title() -> None:
    gone = Entry("gone-film", "A Film Long Gone", 1961, MARCH, None)
    _, to_watch = export([gone], [], FILMS)
    assert to_watch is not None
    assert rows_of(to_watch.content)[0]["Title"] == "A Film Long Gone"


def test_nothing_to_export_is_no_file() -> None:
    assert export([], [], FILMS) == (None, None)


def test_each_file_kind_is_read_with_its_dates_and_ratings() -> None:
    files = [
        ("diary.csv", b"Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
         b"2026-04-02,The Cranes Are Flying,1957,https://boxd.it/x,4.5,,,2026-04-01\n"),
        ("ratings.csv", b"Date,Name,Year,Letterboxd URI,Rating\n2026-04-02,Irony of Fate,1976,,3\n"),
        ("watched.csv", b"Date,Name,Year,Letterboxd URI\n2026-04-02,Asya,1967,\n"),
        ("watchlist.csv", b"Date,Name,Year,Letterboxd URI\n2026-04-02,White Nights,1959,\n"),
    ]  # fmt: skip
    assert read_rows(files) == [
        Row("diary", "The Cranes Are Flying", 1957, date(2026, 4, 1), 9, False, "https://boxd.it/x"),
        Row("ratings", "Irony of Fate", 1976, None, 6),
        Row("watched", "Asya", 1967, None, None),
        Row("watchlist", "White Nights", 1959, None, None),
    ]


def test_our_own_export_reads_back_as_a_diary() -> None:
    diary, _ = export([], [viewing(1, "cranes-are-flying", date(2026, 4, 1), 7)], FILMS)
    assert diary is not None
    # with what makes Letterboxd match the exact film: its address and its IMDb id (issue #26)
    address = "https://letterboxd.com/film/the-cranes-are-flying/"
    assert read_rows([(diary.name, diary.content)]) == [
        Row("diary", "The Cranes Are Flying", 1957, date(2026, 4, 1), 7, False, address, "tt0050634")
    ]


@pytest.mark.parametrize(
    ("value", "half_stars"), [("0.5", 1), ("5", 10), ("3,5", 7), ("0", None), ("6", None), ("lots", None)]
)
def test_a_rating_is_read_in_half_stars_or_not_at_all(value: str, half_stars: int | None) -> None:
    content = f'Name,Year,Rating,Date\nAsya,1967,"{value}",2026-01-01\n'.encode()
    assert read_rows([("ratings.csv", content)])[0].rating == half_stars


def test_a_zip_gives_its_known_top_level_files_only() -> None:
    content = zip_of(
        {
            "watchlist.csv": b"Name,Year\nAsya,1967\n",
            "likes/films.csv": b"Name,Year\nWhite Nights,1959\n",
            "profile.csv": b"Username\nanna\n",
        }
    )
    assert read_files("letterboxd-anna.zip", content) == [("watchlist.csv", b"Name,Year\nAsya,1967\n")]


@pytest.mark.parametrize(
    ("name", "content", "key"),
    [
        ("big.csv", b"x" * (MAX_FILE_BYTES + 1), "lb_too_big"),
        ("export.zip", b"PK\x03\x04 not really a zip", "lb_not_export"),
        ("export.zip", zip_of({"profile.csv": b"Username\nanna\n"}), "lb_not_export"),
        ("bomb.zip", zip_of({"diary.csv": b"a" * (MAX_UNPACKED_BYTES + 1)}), "lb_too_big"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_with_the_reason(name: str, content: bytes, key: str) -> None:
    with pytest.raises(Refused) as refused:
        read_rows(read_files(name, content))
    assert refused.value.key == key


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ("Name,Year\nАся,1967\n".encode("cp1251"), "lb_encoding"),
        (b"Username,Email\nanna,a@example.org\n", "lb_not_export"),
        (b'Name,Year\n"Asya,1967\n', "lb_malformed"),
    ],
)
def test_a_csv_that_cannot_be_read_is_refused_whole(content: bytes, key: str) -> None:
    with pytest.raises(Refused) as refused:
        read_rows([("watchlist.csv", content)])
    assert refused.value.key == key
