"""The film of the day: one cycle through every film, chosen once, kept."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path

from bot.core.films.daily import film_of_the_day
from bot.core.storage import Storage
from tests.support.database import database_for


async def test_film_of_the_day_cycles_through_every_film_before_repeating(storage: Storage) -> None:
    films = [f"film-{n}" for n in range(7)]
    start = date(2026, 1, 1)
    picks = [await film_of_the_day(storage, start + timedelta(days=d), films) for d in range(14)]
    assert sorted(picks[:7]) == sorted(films)
    assert sorted(picks[7:]) == sorted(films)


async def test_film_of_the_day_is_stable_when_films_are_added(storage: Storage) -> None:
    films = [f"film-{n}" for n in range(5)]
    today = date(2026, 11, 26)
    yesterday = today - timedelta(days=1)
    before = [await film_of_the_day(storage, d, films) for d in (yesterday, today)]
    bigger = [*films, "new-1", "new-2", "new-3"]
    assert [await film_of_the_day(storage, d, bigger) for d in (yesterday, today)] == before
    # new films join the cycle from the next day on: the cycle still covers every film once
    cycle = before + [await film_of_the_day(storage, today + timedelta(days=d), bigger) for d in range(1, 7)]
    assert sorted(cycle) == sorted(bigger)


async def test_film_of_the_day_survives_a_restart(tmp_path: Path) -> None:
    path = database_for(tmp_path)
    first = await Storage.open(path)
    pick = await film_of_the_day(first, date(2026, 5, 1), ["a", "b", "c"])
    await first.close()
    second = await Storage.open(path)
    assert await film_of_the_day(second, date(2026, 5, 1), ["c", "b", "a"]) == pick
    await second.close()


async def test_a_film_that_disappears_is_replaced_for_that_day(storage: Storage) -> None:
    day = date(2026, 2, 2)
    pick = await film_of_the_day(storage, day, ["a", "b", "c"])
    remaining = [f for f in ["a", "b", "c"] if f != pick]
    assert await film_of_the_day(storage, day, remaining) in remaining


async def test_concurrent_requests_for_one_day_agree(storage: Storage) -> None:
    films = [f"f{n}" for n in range(20)]
    picks = await asyncio.gather(*(film_of_the_day(storage, date(2026, 3, 3), films) for _ in range(10)))
    assert len(set(picks)) == 1
