"""One long poller per database: Telegram gives a token's updates to one getUpdates caller at a time,
so a second bot polling with the same database would fight the first for them (each taking some
updates, both answering none of the other's). On SQLite the first poller holds an exclusive lock on
a file beside the database; the operating system releases it when that process ends, however it
ends. On PostgreSQL it holds a session advisory lock on a connection of its own, which the server
releases when that connection ends — from any machine."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from . import StorageError

__all__ = ["AnotherPoller", "PollerLock", "PostgresPollerLock", "hold_polling"]


class AnotherPoller(Exception):
    """Another process is taking updates by long polling with this database; the message says which
    and what to do."""


def _refusal(holder: str) -> AnotherPoller:
    return AnotherPoller(
        f"another bot is already taking updates by long polling with this database ({holder}); "
        "stop it first — Telegram gives a token's updates to one poller at a time — or run "
        "several workers in webhook mode (WEBHOOK_URL)"
    )


def _who() -> str:
    since = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"pid {os.getpid()} on {socket.gethostname()}, since {since}"


class PollerLock:
    def __init__(self, database: Path):
        self.path = database.with_name(database.name + ".poller")
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        try:
            import fcntl
        except ImportError:  # not on Windows: one poller is the operator's to keep
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)  # as the database's own opening does
            handle = self.path.open("a+", encoding="utf-8")
        except OSError as exc:
            raise StorageError(f"cannot create {self.path}: {exc}; check DATABASE_PATH") from None
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise _refusal(holder) from None
        except OSError as exc:
            handle.close()
            raise StorageError(f"cannot lock {self.path}: {exc}; check DATABASE_PATH") from None
        handle.seek(0)
        handle.truncate()
        handle.write(_who())
        handle.flush()
        self._file = handle

    async def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the file releases the lock
            self._file = None


# the advisory lock: the bot's own number, and the schema's (two bots may keep their data in two
# schemas of one database: each is a database of its own to the bot)
POLLER_LOCK = 0x50F1E7F2
_NAME = "film bot poller: "  # the holding connection's application_name says who holds it


class PostgresPollerLock:
    def __init__(self, url: str):
        self._url = url
        self._connection: Any = None

    async def acquire(self) -> None:
        import asyncpg

        from . import postgres_unusable

        try:
            connection = await asyncpg.connect(
                self._url, server_settings={"application_name": (_NAME + _who())[:63]}
            )
        except Exception as exc:
            raise postgres_unusable(self._url, exc) from None
        if not await connection.fetchval(
            "SELECT pg_try_advisory_lock($1, hashtext(current_schema()))", POLLER_LOCK
        ):
            holder = await connection.fetchval(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
                "AND l.classid = $1::oid AND l.objid = hashtext(current_schema())::oid LIMIT 1",
                POLLER_LOCK,
            )
            await connection.close()
            raise _refusal(str(holder or "another process").removeprefix(_NAME))
        self._connection = connection

    async def release(self) -> None:
        if self._connection is not None:
            await self._connection.close()  # the server releases the lock with the session
            self._connection = None


async def hold_polling(database: Path | str, beside: Path) -> PollerLock | PostgresPollerLock:
    """The poller's lock on `database` (a PostgreSQL address, else the file lock beside `beside`,
    the SQLite file); AnotherPoller if another process holds it."""
    from . import is_postgres

    if is_postgres(database):
        held = PostgresPollerLock(str(database))
        await held.acquire()
        return held
    lock = PollerLock(beside)
    lock.acquire()
    return lock
