"""SQLite storage: one aiosqlite connection, versioned migrations, typed queries. No SQL elsewhere.

One module per table group: `watchlist`, `subscriptions` (with deliveries and broadcasts), `links`
(the watch links' checks), `movienights`, `diary` (viewings and ratings); the users row and the
film of the day live here.

Two connections to one file. Writes (and the delivery engine's batch reads) go through aiosqlite,
on its worker thread. The point reads on the way to a reply (a user's language, their list, their
subscription: a few rows by key) go through a plain sqlite3 connection on the event loop: in WAL
mode a reader never waits for a writer and such a read takes microseconds, far less than the hop
to a worker thread, which cost a third of the CPU of a reply to a new user.

So when another process holds the write lock (a backup tool, a second bot by mistake) or the disk
refuses writes, every read keeps answering at once, and only writes wait — at most
BUSY_TIMEOUT_MS — then fail with StorageUnavailable. The timeout is short on purpose: long enough
to ride out a checkpoint or another process's short transaction, short enough that a user whose
save cannot be stored hears so within a second instead of after five.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

import aiosqlite

from bot.core.catalogue import choose_film_of_the_day
from bot.core.models import Language
from bot.core.throttle import BurstLog

from .diary import DiaryTable
from .links import LinksTable
from .migrations import MIGRATIONS
from .movienights import MovieNightsTable
from .rows import KnownUsers, StorageUnavailable, now_text, touch_user, write
from .subscriptions import SubscriptionsTable
from .watchlist import WatchlistTable

__all__ = ["MIGRATIONS", "Storage", "StorageError", "StorageUnavailable"]

log = logging.getLogger(__name__)
_faults = BurstLog(log)

BUSY_TIMEOUT_MS = 1000
READ_BUSY_TIMEOUT_MS = 100  # a read on the event loop waits only in rare states (WAL recovery)
# How an upsert sets each column it may write: the latest value, or (started_at) the first one.
_UPDATES = {
    "last_seen": "excluded.last_seen",
    "last_random": "excluded.last_random",
    "started_at": "COALESCE(started_at, excluded.started_at)",
}
UPSERT_CHUNK = 500  # rows per statement (4 parameters each, well under SQLite's limit)


class StorageError(Exception):
    """The database file cannot be opened or migrated; the message says how to fix it."""


class Storage:
    """Owns the one connection; a lock keeps multi-statement transactions whole."""

    def __init__(self, writer: aiosqlite.Connection, reader: sqlite3.Connection, path: Path | None = None):
        self._db = writer
        self._read = reader
        self._lock = asyncio.Lock()
        known = KnownUsers()
        self.watchlist = WatchlistTable(writer, reader, known)
        self.subscriptions = SubscriptionsTable(writer, reader, known)
        self.links = LinksTable(writer)
        self.diary = DiaryTable(
            writer, reader, known, path
        )  # an import writes through a connection of its own
        self.movienights = MovieNightsTable(writer)

    @classmethod
    async def open(cls, path: Path | str) -> Storage:
        if str(path) == ":memory:" or not str(path):
            raise StorageError("DATABASE_PATH must name a file (the bot opens it twice)")
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            writer = await aiosqlite.connect(path, isolation_level=None)
        except Exception as exc:
            raise StorageError(f"cannot open the database {path}: {exc}; check DATABASE_PATH") from None
        reader: sqlite3.Connection | None = None
        try:
            await cls._prepare(writer)
            reader = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            reader.execute(f"PRAGMA busy_timeout={READ_BUSY_TIMEOUT_MS}")
            reader.execute("PRAGMA query_only=ON")
        except Exception as exc:
            if reader is not None:
                reader.close()
            await writer.close()
            raise StorageError(f"cannot use the database {path}: {exc}; check DATABASE_PATH") from None
        return cls(writer, reader, Path(path))

    @staticmethod
    async def _prepare(db: aiosqlite.Connection) -> None:
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL survives a process crash
        await db.execute("PRAGMA foreign_keys=ON")
        await db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        async with db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        version = int(row[0]) if row else 0
        if version > len(MIGRATIONS):
            raise StorageError(f"schema version {version} is newer than this bot ({len(MIGRATIONS)})")
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            await db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")

    async def close(self) -> None:
        self._read.close()
        await self._db.close()

    # users

    async def language(self, user_id: int) -> str | None:
        """The language the user chose, if any."""
        row = self._read.execute("SELECT language FROM users WHERE id = ?", (user_id,)).fetchone()
        return str(row[0]) if row and row[0] else None

    async def known(self, user_id: int) -> bool:
        """Whether the user has a row: they were seen before (bookkeeping written) or chose a language."""
        return self._read.execute("SELECT 1 FROM users WHERE id = ?", (user_id,)).fetchone() is not None

    @write
    async def record_seen(self, user_ids: Iterable[int]) -> None:
        """Record that these users were seen now (creating their rows)."""
        now = now_text()
        await self._upsert_users("last_seen", [(user_id, now, now, now) for user_id in user_ids])

    async def _upsert_users(self, column: str, rows: list[tuple[int, str, str, str]]) -> None:
        """(id, first_seen, last_seen, value of `column`) rows; one statement per chunk, so each chunk
        is atomic on its own and never holds other writes in a transaction of ours."""
        for start in range(0, len(rows), UPSERT_CHUNK):
            chunk = rows[start : start + UPSERT_CHUNK]
            await self._db.execute(
                f"INSERT INTO users (id, first_seen, last_seen, {column}) VALUES "
                + ", ".join(["(?, ?, ?, ?)"] * len(chunk))
                + f" ON CONFLICT (id) DO UPDATE SET {column} = {_UPDATES[column]}",
                [value for row in chunk for value in row],
            )

    async def started(self, user_id: int) -> bool:
        """Whether the user has ever written to the bot in a private chat (pressed Start)."""
        row = self._read.execute("SELECT started_at FROM users WHERE id = ?", (user_id,)).fetchone()
        return bool(row and row[0])

    @write
    async def record_started(self, user_ids: Iterable[int]) -> None:
        """These users wrote to the bot in a private chat (the first time is kept)."""
        now = now_text()
        await self._upsert_users("started_at", [(user_id, now, now, now) for user_id in user_ids])

    @write
    async def set_language(self, user_id: int, language: Language) -> None:
        await touch_user(self._db, user_id, language=language)

    async def last_random(self, user_id: int) -> str | None:
        row = self._read.execute("SELECT last_random FROM users WHERE id = ?", (user_id,)).fetchone()
        return str(row[0]) if row and row[0] else None

    @write
    async def set_last_random(self, picks: dict[int, str]) -> None:
        """Each user's last random film."""
        now = now_text()
        await self._upsert_users(
            "last_random", [(user_id, now, now, film) for user_id, film in picks.items()]
        )

    # film of the day

    async def film_of_the_day(self, day: date, visible_ids: Sequence[str]) -> str:
        """The film for `day`, chosen once and then kept: a cycle covers every visible film
        before any repeats, and films added later join the cycle from the next new day on. While the
        database cannot write, the pick is not stored, but the same state gives the same pick."""
        if not visible_ids:
            raise ValueError("no visible films")
        visible = set(visible_ids)
        chosen = self._chosen_film(day)
        if chosen in visible:
            return chosen
        async with self._lock:
            chosen = self._chosen_film(day)  # again: another caller may have chosen it meanwhile
            if chosen in visible:
                return chosen
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
            try:
                await self._db.execute(
                    "INSERT INTO daily_films (day, film_id, cycle) VALUES (?, ?, ?) "
                    "ON CONFLICT (day) DO UPDATE SET film_id = excluded.film_id, cycle = excluded.cycle",
                    (day.isoformat(), film_id, cycle),
                )
            except sqlite3.Error as exc:
                # The same pick comes out of the same state, so until the write succeeds everyone
                # still gets the same film; it is recorded on the first call that can write.
                _faults.warning("daily", "film of the day for %s not recorded: %s", day, exc)
            return film_id

    def _chosen_film(self, day: date) -> str | None:
        row = self._read.execute(
            "SELECT film_id FROM daily_films WHERE day = ?", (day.isoformat(),)
        ).fetchone()
        return str(row[0]) if row else None
