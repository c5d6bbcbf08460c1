from __future__ import annotations

from pathlib import Path

import aiosqlite
import pytest

from bot.core.storage import MIGRATIONS, Storage, StorageError
from bot.core.storage.migrations import for_sqlite
from bot.core.users.table import UsersTable
from bot.core.watchlists.table import WatchlistTable


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


async def test_migrating_a_version_1_database_keeps_its_users(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    async with aiosqlite.connect(path) as db:
        await db.executescript(for_sqlite(MIGRATIONS[0]) + "\nPRAGMA user_version = 1;")
        await db.execute("INSERT INTO users (id, language, first_seen, last_seen) VALUES (5, 'ru', 'x', 'x')")
        await db.commit()
    storage = await Storage.open(path)
    assert await storage.table(UsersTable).language(5) == "ru"
    assert await storage.table(WatchlistTable).add(5, "a", "A", 1957)
    await storage.close()
