"""What the table modules share: instants as text, the users row every table hangs from, and the
error a write raises when the database cannot take it."""

from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import ParamSpec, TypeVar

import aiosqlite

from .postgres import Postgres

Connection = aiosqlite.Connection | Postgres
"""What a table writes through: aiosqlite's connection, or PostgreSQL's pool speaking as it does."""


# The DB-API's errors, which both engines raise (postgres.py maps asyncpg's onto them)
IntegrityError = sqlite3.IntegrityError
DatabaseError = sqlite3.Error


class StorageUnavailable(Exception):
    """The database cannot take a write just now (disk full, read-only, locked by another process).
    Nothing was stored; the caller must not say it was."""


P = ParamSpec("P")
T = TypeVar("T")


class WriteTimes:
    """Where the time each write takes is reported (the operator's metrics set `observe`)."""

    observe: Callable[[float], None] | None = None


def write(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """Marks a method that writes: any SQLite error becomes StorageUnavailable; its time is reported
    to WriteTimes."""

    @functools.wraps(method)
    async def writing(*args: P.args, **kwargs: P.kwargs) -> T:
        started = time.perf_counter()
        try:
            return await method(*args, **kwargs)
        except sqlite3.Error as exc:
            raise StorageUnavailable(f"{type(exc).__name__}: {exc}") from exc
        finally:
            if WriteTimes.observe is not None:
                WriteTimes.observe(time.perf_counter() - started)

    return writing


def now_text() -> str:
    return instant(datetime.now(UTC))


def instant(moment: datetime) -> str:
    """UTC instants are stored as ISO text, which sorts in time order."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


_USER_FIELDS = frozenset({"language", "last_random"})


async def touch_user(db: Connection, user_id: int, **fields: str) -> None:
    """In one statement: record that the user was seen (creating the row) and set `fields`."""
    assert set(fields) <= _USER_FIELDS, fields
    now = now_text()
    columns = ["id", "first_seen", "last_seen", *fields]
    updates = ", ".join(f"{name} = excluded.{name}" for name in ["last_seen", *fields])
    await db.execute(
        f"INSERT INTO users ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT (id) DO UPDATE SET {updates}",
        (user_id, now, now, *fields.values()),
    )


class KnownUsers:
    """Users whose row is known to exist, so that a write hanging from the users row need not
    upsert it first (a statement saved on every watchlist change). Cleared when it grows large."""

    LIMIT = 100_000

    def __init__(self) -> None:
        self._ids: set[int] = set()

    async def ensure(self, db: Connection, user_id: int) -> None:
        if user_id in self._ids:
            return
        await touch_user(db, user_id)
        if len(self._ids) >= self.LIMIT:
            self._ids.clear()
        self._ids.add(user_id)
