"""SQLite storage: the connections, versioned migrations and the row helpers every table shares.

Each feature writes its own queries in its own `table.py` (`bot/core/watchlists/table.py`, ...),
as a `Table` over the shared connections; `storage.table(WatchlistTable)` gives the one instance of
it. No SQL outside `storage/` and the features' table modules.

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
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TypeVar

import aiosqlite

from .migrations import MIGRATIONS
from .rows import KnownUsers, StorageUnavailable

__all__ = ["MIGRATIONS", "Storage", "StorageError", "StorageUnavailable", "Table"]

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 1000
READ_BUSY_TIMEOUT_MS = 100  # a read on the event loop waits only in rare states (WAL recovery)


class StorageError(Exception):
    """The database file cannot be opened or migrated; the message says how to fix it."""


class Storage:
    """Owns the two connections (see above) and the features' tables over them; `lock` keeps a
    feature's multi-statement transactions whole."""

    def __init__(self, writer: aiosqlite.Connection, reader: sqlite3.Connection, path: Path | None = None):
        self.writer = writer
        self.reader = reader  # point reads, on the event loop
        self.path = path  # for a connection of a feature's own (a Letterboxd import)
        self.lock = asyncio.Lock()
        self.known = KnownUsers()
        self._tables: dict[type[Table], Table] = {}

    def table(self, kind: type[T]) -> T:
        """The one instance of a feature's table over these connections."""
        table = self._tables.get(kind)
        if table is None:
            table = self._tables[kind] = kind(self)
        assert isinstance(table, kind)
        return table

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
        await db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        async with db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        version = int(row[0]) if row else 0
        if version > len(MIGRATIONS):
            raise StorageError(f"schema version {version} is newer than this bot ({len(MIGRATIONS)})")
        # foreign keys are off while the schema changes (a table rebuilt must not cascade its
        # children away), then checked and on for good
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            await db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
        async with db.execute("PRAGMA foreign_key_check") as cursor:
            broken = list(await cursor.fetchall())
        if broken:
            raise StorageError(f"the database breaks {len(broken)} foreign key(s) after its migrations")
        await db.execute("PRAGMA foreign_keys=ON")

    async def close(self) -> None:
        self.reader.close()
        await self.writer.close()


class Table:
    """A feature's queries over the shared connections: writes through aiosqlite (`_db`), point
    reads on the event loop (`_read`)."""

    def __init__(self, storage: Storage):
        self._db = storage.writer
        self._read = storage.reader
        self._known = storage.known
        self._storage = storage

    @contextlib.asynccontextmanager
    async def _atomic(self) -> AsyncIterator[None]:
        """A few statements on the shared writer, whole or not at all: one such change at a time
        (`Storage.lock`), in one transaction. A single statement elsewhere that runs meanwhile is
        committed with it."""
        async with self._storage.lock:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")


T = TypeVar("T", bound=Table)
