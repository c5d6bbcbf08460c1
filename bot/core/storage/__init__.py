"""SQLite storage: one aiosqlite connection, versioned migrations, typed queries. No SQL elsewhere.

One module per table group: `watchlist`, `subscriptions` (with deliveries and broadcasts); the users
row and the film of the day live here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import aiosqlite

from bot.core.catalogue import choose_film_of_the_day
from bot.core.models import Language

from .migrations import MIGRATIONS
from .rows import touch_user
from .subscriptions import SubscriptionsTable
from .watchlist import WatchlistTable

__all__ = ["MIGRATIONS", "Storage", "StorageError"]


class StorageError(Exception):
    """The database file cannot be opened or migrated; the message says how to fix it."""


class Storage:
    """Owns the one connection; a lock keeps multi-statement transactions whole."""

    def __init__(self, connection: aiosqlite.Connection):
        self._db = connection
        self._lock = asyncio.Lock()
        self.watchlist = WatchlistTable(connection)
        self.subscriptions = SubscriptionsTable(connection)

    @classmethod
    async def open(cls, path: Path | str) -> Storage:
        try:
            if str(path) != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            connection = await aiosqlite.connect(path, isolation_level=None)
        except Exception as exc:
            raise StorageError(f"cannot open the database {path}: {exc}; check DATABASE_PATH") from None
        storage = cls(connection)
        try:
            await storage._prepare()
        except Exception as exc:
            await connection.close()
            raise StorageError(f"cannot use the database {path}: {exc}; check DATABASE_PATH") from None
        return storage

    async def _prepare(self) -> None:
        await self._db.execute("PRAGMA journal_mode=WAL")
        await self._db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL survives a process crash
        await self._db.execute("PRAGMA foreign_keys=ON")
        await self._db.execute("PRAGMA busy_timeout=5000")
        async with self._db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        version = int(row[0]) if row else 0
        if version > len(MIGRATIONS):
            raise StorageError(f"schema version {version} is newer than this bot ({len(MIGRATIONS)})")
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            await self._db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")

    async def close(self) -> None:
        await self._db.close()

    # users

    async def touch_user(self, user_id: int) -> str | None:
        """Record that the user was seen; returns the language they chose, if any."""
        return await touch_user(self._db, user_id)

    async def set_language(self, user_id: int, language: Language) -> None:
        await touch_user(self._db, user_id, language=language)

    async def last_random(self, user_id: int) -> str | None:
        async with self._db.execute("SELECT last_random FROM users WHERE id = ?", (user_id,)) as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row and row[0] else None

    async def set_last_random(self, user_id: int, film_id: str) -> None:
        await touch_user(self._db, user_id, last_random=film_id)

    # film of the day

    async def film_of_the_day(self, day: date, visible_ids: Sequence[str]) -> str:
        """The film for `day`, chosen once and then kept: a cycle covers every visible film
        before any repeats, and films added later join the cycle from the next new day on."""
        if not visible_ids:
            raise ValueError("no visible films")
        visible = set(visible_ids)
        async with self._lock:
            async with self._db.execute(
                "SELECT film_id FROM daily_films WHERE day = ?", (day.isoformat(),)
            ) as cursor:
                row = await cursor.fetchone()
            if row and row[0] in visible:
                return str(row[0])
            async with self._db.execute("SELECT COALESCE(MAX(cycle), 0) FROM daily_films") as cursor:
                cycle_row = await cursor.fetchone()
            cycle = int(cycle_row[0]) if cycle_row else 0
            async with self._db.execute(
                "SELECT film_id FROM daily_films WHERE cycle = ?", (cycle,)
            ) as cursor:
                shown = {str(r[0]) for r in await cursor.fetchall()}
            remaining = visible - shown
            if not remaining:
                cycle, remaining = cycle + 1, visible
            film_id = choose_film_of_the_day(day, sorted(remaining))
            await self._db.execute(
                "INSERT INTO daily_films (day, film_id, cycle) VALUES (?, ?, ?) "
                "ON CONFLICT (day) DO UPDATE SET film_id = excluded.film_id, cycle = excluded.cycle",
                (day.isoformat(), film_id, cycle),
            )
            return film_id
