"""The diary: half-star ratings, the community's verdict only from five raters on, the Bayesian top,
and the migration that turns today's watched films into diary entries without losing a row."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.core.diary.service import MIN_RATERS, Diary, bayesian_average
from bot.core.diary.table import DiaryTable
from bot.core.films.service import Films, open_library
from bot.core.models import stars
from bot.core.storage import MIGRATIONS, Storage
from bot.core.storage.migrations import for_sqlite
from bot.core.watchlists.table import WatchlistTable
from tests.support.database import database_for

CATALOGUE = Path(__file__).resolve().parents[3] / "data" / "films.yaml"
NOON = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
async def diary(tmp_path: Path) -> AsyncIterator[Diary]:
    storage = await Storage.open(database_for(tmp_path))
    films = Films(open_library(CATALOGUE), storage, CATALOGUE, UTC, lambda: NOON)
    yield Diary(storage, films)
    await storage.close()


def test_half_stars_read_as_letterboxd_writes_them() -> None:
    assert [stars(n) for n in (1, 2, 7, 9, 10)] == ["½", "★", "★★★½", "★★★★½", "★★★★★"]


def test_a_few_perfect_ratings_do_not_beat_many_very_good_ones() -> None:
    assert bayesian_average(200 * 4.5, 200) > bayesian_average(2 * 5.0, 2)
    assert bayesian_average(0, 0) == 3.0  # no ratings: the prior, a middling film
    assert bayesian_average(2 * 5.0, 2, prior_mean=4.5) > bayesian_average(200 * 4.5, 200, prior_mean=4.5)


async def test_a_viewing_is_dated_today_or_earlier_and_its_rating_is_the_films(diary: Diary) -> None:
    film = diary._films.get("cranes-are-flying")
    assert film is not None
    first = await diary.watched(1, film)
    assert await diary.rate(1, film.id, first, 8) is True
    again = await diary.watched(1, film)  # watched again: a second entry
    assert await diary.earlier(1, film.id, again) is True
    await diary.rate(1, film.id, again, 10)
    entries = await diary.entries(1)
    assert [(e.watched_on, e.rating) for e in entries] == [(date(2026, 12, 2), 8), (None, 10)]
    # the film's rating is its latest viewing's: today's, not the undated one's given after it
    # (so that Letterboxd, which takes the latest diary entry's, reads back the same: issue #24)
    assert await diary.own(1, "cranes-are-flying") == 8
    assert await diary.rate(2, film.id, first, 6) is False  # not their viewing
    assert await diary.rate(1, "white-nights", first, 6) is False  # not that film's viewing
    assert await diary.earlier(1, "white-nights", first) is False
    assert await diary.own(1, "white-nights") is None and await diary.own(1, film.id) == 8
    with pytest.raises(ValueError):
        await diary.rate(1, film.id, first, 11)
    assert await diary.rate(1, film.id, first, None) is True  # today's rating taken away
    assert await diary.own(1, film.id) == 10  # the undated viewing's, the latest rated
    assert await diary.redate(1, film.id, again, date(2026, 12, 1)) is True
    assert await diary.rate(1, film.id, again, None) is True
    assert await diary.own(1, film.id) is None  # no viewing rated: no rating


async def test_an_entry_is_redated_by_day_or_month_and_deleted_alone(diary: Diary) -> None:
    film = diary._films.get("cranes-are-flying")
    assert film is not None
    first, second = await diary.watched(1, film), await diary.watched(1, film)
    await diary.rate(1, film.id, first, 6)
    await diary.rate(1, film.id, second, 9)
    assert await diary.own(1, film.id) == 9  # of one day, the one logged last is the latest
    assert await diary.redate(1, film.id, second, date(2024, 11, 1), month_only=True) is True
    assert await diary.own(1, film.id) == 6  # now the first is the latest
    entry = await diary.entry(1, second)
    assert entry is not None and (entry.watched_on, entry.month_only) == (date(2024, 11, 1), True)
    assert await diary.entry(2, second) is None  # another user's
    with pytest.raises(ValueError):
        await diary.redate(1, film.id, second, date(1956, 5, 1))  # before the film was made
    with pytest.raises(ValueError):
        await diary.redate(1, film.id, second, date(2026, 12, 3))  # after today
    assert await diary.redate(1, "white-nights", second, None) is False  # not that film's viewing
    sheet = await diary.opened(1, second, "ru")
    assert sheet is not None and sheet.when == "ноябрь 2024" and sheet.page == 0
    assert await diary.delete(1, film.id, first) == 1
    assert await diary.own(1, film.id) == 9  # the one left is the latest rated
    assert await diary.delete(1, film.id, first) is None  # gone already
    assert await diary.delete(1, film.id, second) == 0
    assert await diary.own(1, film.id) is None and await diary.entries(1) == []


async def test_the_average_shows_only_from_five_raters_on(diary: Diary) -> None:
    film = diary._films.get("white-nights")
    assert film is not None
    for user in range(1, MIN_RATERS):
        await diary.rate(user, film.id, await diary.watched(user, film), 8)
    assert await diary.verdict("white-nights") is None  # four: one more would reveal each rating's weight
    await diary.rate(MIN_RATERS, film.id, await diary.watched(MIN_RATERS, film), 10)
    verdict = await diary.verdict("white-nights")
    assert verdict is not None and (verdict.average, verdict.count) == (4.2, 5)


async def test_top_ranks_by_the_bayesian_average_with_the_readers_own_rating(diary: Diary) -> None:
    cranes, nights = diary._films.get("cranes-are-flying"), diary._films.get("white-nights")
    assert cranes is not None and nights is not None
    for user in range(1, 3):  # two 5-star ratings
        await diary.rate(user, nights.id, await diary.watched(user, nights), 10)
    for user in range(10, 40):  # thirty 4.5-star ones
        await diary.rate(user, cranes.id, await diary.watched(user, cranes), 9)
    top = await diary.top(user_id=1)
    assert [r.film.id for r in top] == ["cranes-are-flying", "white-nights"]
    assert top[1].own == 10 and top[0].own is None


async def test_the_migration_keeps_every_watchlist_row_and_makes_watched_films_diary_entries(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:  # a database as the previous release left it (schema 5)
        db.executescript("".join(map(for_sqlite, MIGRATIONS[:5])) + "\nPRAGMA user_version = 5;")
        db.execute("INSERT INTO users (id, first_seen, last_seen) VALUES (7, '2026-11-01', '2026-11-01')")
        db.executemany(
            "INSERT INTO watchlist (user_id, film_id, title, year, added_at, watched_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (7, "cranes-are-flying", "The Cranes Are Flying", 1957, "2026-11-01T10:00:00+00:00", None),
                (
                    7,
                    "white-nights",
                    "White Nights",
                    1959,
                    "2026-11-02T10:00:00+00:00",
                    "2026-11-20T21:30:00+00:00",
                ),
            ],
        )
    storage = await Storage.open(path)
    try:
        entries = await storage.table(WatchlistTable).entries(7)
        assert [(e.film_id, e.watched) for e in entries] == [
            ("cranes-are-flying", False),
            ("white-nights", True),
        ]
        [viewing] = await storage.table(DiaryTable).viewings(7)
        assert (viewing.film_id, viewing.watched_on, viewing.rating) == (
            "white-nights",
            date(2026, 11, 20),
            None,
        )
    finally:
        await storage.close()


async def test_a_viewing_id_is_never_used_again(diary: Diary) -> None:
    """Issue #24: a deleted viewing's id came back for the next one, so an old rating button rated
    another film."""
    asya, cherry = diary._films.get("five-evenings"), diary._films.get("winter-cherry")
    assert asya is not None and cherry is not None
    first = await diary.watched(1, asya)
    await diary.forget(1, asya.id)
    second = await diary.watched(1, cherry)
    assert second > first
    assert await diary.rate(1, asya.id, first, 1) is False  # the old button: nothing changes
    assert [(v.film_id, v.rating) for v in await diary.entries(1)] == [(cherry.id, None)]


async def test_a_film_that_left_the_catalogue_keeps_its_title_in_the_diary(diary: Diary) -> None:
    """Issue #24: the diary showed such a film as its internal id ("white-nights")."""
    storage = diary._table._storage
    await storage.table(WatchlistTable).mark_watched(1, "a-lost-film", "A Lost Film", 1961)
    await diary._table.add_viewing(1, "a-lost-film", date(2026, 11, 30))
    sheet = await diary.page(1, 0, "en")
    assert "<b>A Lost Film</b> (1961)" in sheet.text and "a-lost-film" not in sheet.text
    assert [line.label for line in sheet.lines] == ["30 November · A Lost Film"]  # still opens
    opened = await diary.opened(1, sheet.lines[0].viewing_id, "en")
    assert opened is not None and opened.film is None  # no card to open
    assert opened.title == "<b>A Lost Film</b> (1961)"
