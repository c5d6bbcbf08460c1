"""Storage: the connections, versioned migrations and the row helpers every table shares.

SQLite by default; PostgreSQL when DATABASE_URL gives a `postgresql://` address (`postgres.py`,
for several bot processes on one database). What follows is SQLite's side.

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
import re
import sqlite3
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from .migrations import MIGRATIONS, for_sqlite
from .postgres import Postgres
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

    def __init__(
        self,
        writer: aiosqlite.Connection | Postgres,
        reader: sqlite3.Connection | None,
        path: Path | None = None,
    ):
        self.writer = writer
        self.reader = reader  # point reads, on the event loop (SQLite only)
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

    @property
    def engine(self) -> str:
        return "postgres" if isinstance(self.writer, Postgres) else "sqlite"

    @classmethod
    async def open(cls, path: Path | str) -> Storage:
        """The database at `path`: a SQLite file, or a `postgresql://` address."""
        if is_postgres(path):
            return await cls._open_postgres(str(path))
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

    @classmethod
    async def _open_postgres(cls, url: str) -> Storage:
        from .postgres import connect

        try:
            return cls(await connect(url, MIGRATIONS), None)
        except StorageError:
            raise
        except Exception as exc:
            raise postgres_unusable(url, exc) from None

    async def read_one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        """A point read: on SQLite, on the event loop (see above)."""
        if self.reader is not None:
            row: tuple[Any, ...] | None = self.reader.execute(sql, params).fetchone()
            return row
        assert isinstance(self.writer, Postgres)
        return await self.writer.fetchone(sql, params)

    async def read_all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self.reader is not None:
            return list(self.reader.execute(sql, params).fetchall())
        assert isinstance(self.writer, Postgres)
        return await self.writer.fetchall(sql, params)

    @contextlib.asynccontextmanager
    async def only_one(self, task: str) -> AsyncIterator[bool]:
        """Whether this process is the one to do `task` now, of all the workers on this database:
        on PostgreSQL an advisory lock held while the block runs (another worker trying meanwhile
        gets False); on SQLite, one process per database file, always True."""
        if not isinstance(self.writer, Postgres):
            yield True
            return
        async with self.writer.advisory(task) as held:
            yield held

    @contextlib.asynccontextmanager
    async def own_transaction(self, busy_timeout_ms: int) -> AsyncIterator[aiosqlite.Connection | Postgres]:
        """A long change whole or not at all, on a connection of its own, so that no other write
        falls into its transaction (SQLite: waiting up to `busy_timeout_ms` for the write lock)."""
        if isinstance(self.writer, Postgres):
            async with self.writer.transaction() as held:
                yield held
            return
        assert self.path is not None
        async with aiosqlite.connect(self.path, isolation_level=None) as db:
            await db.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
            await db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                await db.execute("ROLLBACK")
                raise
            await db.execute("COMMIT")

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
            await db.executescript(f"BEGIN;\n{for_sqlite(script)}\nPRAGMA user_version = {number};\nCOMMIT;")
        async with db.execute("PRAGMA foreign_key_check") as cursor:
            broken = list(await cursor.fetchall())
        if broken:
            raise StorageError(f"the database breaks {len(broken)} foreign key(s) after its migrations")
        await db.execute("PRAGMA foreign_keys=ON")

    async def close(self) -> None:
        if self.reader is not None:
            self.reader.close()
        await self.writer.close()


def is_postgres(target: Path | str) -> bool:
    return str(target).startswith(("postgresql://", "postgres://"))


def postgres_unusable(url: str, exc: Exception) -> StorageError:
    """The error an operator reads when the PostgreSQL database cannot be reached or used: it names
    the server, never the password."""
    return StorageError(
        f"cannot use the PostgreSQL database at {safe_url(url)}: {type(exc).__name__}: {exc}; "
        "check DATABASE_URL and that the server runs"
    )


def safe_url(url: str) -> str:
    """The address without its password, for messages and logs."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


class Table:
    """A feature's queries over the shared connections: writes and batch reads through `_db`, point
    reads through `_read_one` and `_read_all` (on SQLite, on the event loop)."""

    def __init__(self, storage: Storage):
        self._db = storage.writer  # aiosqlite's connection, or Postgres speaking as it
        self._read_one = storage.read_one
        self._read_all = storage.read_all
        self._known = storage.known
        self._storage = storage

    async def _for_users(self, select: str, key: object, user_ids: list[int]) -> list[tuple[Any, ...]]:
        """The rows of `select` (which ends "WHERE <column> = ?", for `key`) that belong to
        `user_ids`, in one statement: a broadcast's chunk at once."""
        if not user_ids:
            return []
        marks = ", ".join("?" * len(user_ids))
        async with self._db.execute(f"{select} AND user_id IN ({marks})", (key, *user_ids)) as cursor:
            return [tuple(row) for row in await cursor.fetchall()]

    async def _insert(self, sql: str, params: Sequence[Any]) -> int:
        """Run an INSERT into a table with an `id` key and give the new row's id."""
        async with self._db.execute(f"{sql} RETURNING id", params) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        return int(row[0])

    @contextlib.asynccontextmanager
    async def _atomic(self) -> AsyncIterator[None]:
        """A few statements on the shared writer, whole or not at all: one such change at a time
        (`Storage.lock`), in one transaction. A single statement elsewhere that runs meanwhile is
        committed with it."""
        if isinstance(self._db, Postgres):
            async with self._storage.lock, self._db.transaction():
                yield
            return
        async with self._storage.lock:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")


T = TypeVar("T", bound=Table)
