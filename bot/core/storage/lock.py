"""One long poller per database: Telegram gives a token's updates to one getUpdates caller at a time,
so a second bot polling with the same database would fight the first for them (each taking some
updates, both answering none of the other's). The first poller holds an exclusive lock on a file
beside the database; the operating system releases it when that process ends, however it ends."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from . import StorageError

__all__ = ["AnotherPoller", "PollerLock"]


class AnotherPoller(Exception):
    """Another process is taking updates by long polling with this database; the message says which
    and what to do."""


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
            raise AnotherPoller(
                f"another bot is already taking updates by long polling with this database ({holder}); "
                "stop it first — Telegram gives a token's updates to one poller at a time — or run "
                "several workers in webhook mode (WEBHOOK_URL)"
            ) from None
        except OSError as exc:
            handle.close()
            raise StorageError(f"cannot lock {self.path}: {exc}; check DATABASE_PATH") from None
        handle.seek(0)
        handle.truncate()
        since = datetime.now(UTC).isoformat(timespec="seconds")
        handle.write(f"pid {os.getpid()} on {socket.gethostname()}, since {since}")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the file releases the lock
            self._file = None
