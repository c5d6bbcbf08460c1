from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path

import aiosqlite
import pytest

from bot.core.films.daily import film_of_the_day
from bot.core.films.table import FilmsTable
from bot.core.storage import MIGRATIONS, Storage, StorageError
from bot.core.users.table import UsersTable
from bot.core.watchlists.table import WatchlistTable


@pytest.fixture
async def storage(tmp_path: Path):  # type: ignore[no-untyped-def]
    opened = await Storage.open(tmp_path / "bot.sqlite3")
    yield opened
    await opened.close()


async def test_migrations_bring_a_new_file_to_the_latest_version(tmp_path: Path) -> None:
    await (await Storage.open(tmp_path / "bot.sqlite3")).close()
    async with aiosqlite.connect(tmp_path / "bot.sqlite3") as db, db.execute("PRAGMA user_version") as cursor:
        assert await cursor.fetchone() == (len(MIGRATIONS),)


async def test_reopening_does_not_migrate_again(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    first = await Storage.open(path)
    await first.table(UsersTable).set_language(1, "ru")
    await first.close()
    second = await Storage.open(path)
    assert await second.table(UsersTable).language(1) == "ru"
    await second.close()


async def test_wal_and_foreign_keys_are_on(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await (await Storage.open(path)).close()
    async with aiosqlite.connect(path) as db, db.execute("PRAGMA journal_mode") as cursor:
        assert (await cursor.fetchone()) == ("wal",)


async def test_a_database_from_a_newer_bot_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with aiosqlite.connect(path) as db:
        await db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
        await db.commit()
    with pytest.raises(StorageError, match="newer than this bot"):
        await Storage.open(path)


async def test_an_unusable_path_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StorageError, match="DATABASE_PATH"):
        await Storage.open(tmp_path / "file" / "bot.sqlite3")


async def test_language_is_stored_per_user(storage: Storage) -> None:
    users = storage.table(UsersTable)
    assert await users.language(5) is None
    await users.set_language(5, "ru")
    await users.set_language(6, "en")
    assert (await users.language(5), await users.language(6)) == ("ru", "en")


async def test_sql_looking_values_are_plain_data(storage: Storage) -> None:
    await storage.table(FilmsTable).set_last_random({7: "x'); DROP TABLE users; --"})
    assert await storage.table(FilmsTable).last_random(7) == "x'); DROP TABLE users; --"


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
    path = tmp_path / "bot.sqlite3"
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


async def test_watchlist_add_is_idempotent_and_ordered(storage: Storage) -> None:
    assert await storage.table(WatchlistTable).add(1, "a", "A", 1957) is True
    assert await storage.table(WatchlistTable).add(1, "a", "A", 1957) is False
    await storage.table(WatchlistTable).add(1, "b", "B", 1960)
    await storage.table(WatchlistTable).add(2, "a", "A", 1957)
    assert await storage.table(WatchlistTable).set_watched(1, "a", watched=True)
    entries = await storage.table(WatchlistTable).entries(1)
    assert [(e.film_id, e.watched) for e in entries] == [("b", False), ("a", True)]
    assert [e.film_id for e in await storage.table(WatchlistTable).entries(2)] == ["a"]


async def test_watchlist_changes_report_whether_anything_changed(storage: Storage) -> None:
    assert await storage.table(WatchlistTable).remove(1, "a") is False
    assert await storage.table(WatchlistTable).set_watched(1, "a", watched=True) is False
    await storage.table(WatchlistTable).add(1, "a", "A", 1957)
    assert await storage.table(WatchlistTable).remove(1, "a") is True
    assert await storage.table(WatchlistTable).entry(1, "a") is None


async def test_concurrent_adds_leave_one_row(storage: Storage) -> None:
    results = await asyncio.gather(*(storage.table(WatchlistTable).add(9, "x", "X", 1970) for _ in range(20)))
    assert results.count(True) == 1
    assert len(await storage.table(WatchlistTable).entries(9)) == 1


async def test_migrating_a_version_1_database_keeps_its_users(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    async with aiosqlite.connect(path) as db:
        await db.executescript(MIGRATIONS[0] + "\nPRAGMA user_version = 1;")
        await db.execute("INSERT INTO users (id, language, first_seen, last_seen) VALUES (5, 'ru', 'x', 'x')")
        await db.commit()
    storage = await Storage.open(path)
    assert await storage.table(UsersTable).language(5) == "ru"
    assert await storage.table(WatchlistTable).add(5, "a", "A", 1957)
    await storage.close()
