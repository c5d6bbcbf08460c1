"""What the core keeps in memory in front of the database: bookkeeping writes waiting for the
next flush, and values built once per film."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from bot.core.catalogue.model import Film
from bot.core.storage import StorageUnavailable
from bot.core.throttle import BurstLog

K = TypeVar("K")
V = TypeVar("V")

log = logging.getLogger(__name__)


class Pending(Generic[K, V]):
    """Writes that can wait a few seconds: the latest value per key, written in one batch by
    `flush`. If the database cannot take them they wait for the next flush (the oldest go beyond
    `limit`), and the problem is logged once per burst."""

    def __init__(self, what: str, write: Callable[[dict[K, V]], Awaitable[None]], limit: int = 100_000):
        self._what = what
        self._write = write
        self._limit = limit
        self._values: dict[K, V] = {}
        self._faults = BurstLog(log)

    def get(self, key: K) -> V | None:
        """The value waiting to be written for `key`, if any (the database has the older one)."""
        return self._values.get(key)

    def __contains__(self, key: object) -> bool:
        """Whether a value for `key` waits to be written."""
        return key in self._values

    def add(self, key: K, value: V) -> None:
        self._values.pop(key, None)
        self._values[key] = value
        if len(self._values) > self._limit:
            del self._values[next(iter(self._values))]

    async def flush(self) -> None:
        if not self._values:
            return
        batch = dict(self._values)
        try:
            await self._write(batch)
        except StorageUnavailable as exc:
            self._faults.warning(
                self._what, "%d %s not recorded (will retry): %s", len(batch), self._what, exc
            )
            return
        for key, value in batch.items():
            if key in self._values and self._values[key] == value:
                del self._values[key]


class Recent:
    """Each user's last few picks (film ids, newest last), for as many users as `users` (the least
    recently served are forgotten first). In memory only: a restart forgets all but the very last
    pick, which the database keeps."""

    def __init__(self, depth: int = 16, users: int = 50_000):
        self._depth = depth
        self._users = users
        self._picks: dict[int, list[str]] = {}

    def of(self, user_id: int) -> list[str]:
        return self._picks.get(user_id, [])

    def add(self, user_id: int, film_id: str) -> None:
        picks = [p for p in self._picks.pop(user_id, []) if p != film_id][-(self._depth - 1) :]
        self._picks[user_id] = [*picks, film_id]
        if len(self._picks) > self._users:
            del self._picks[next(iter(self._picks))]


class PerFilm(Generic[K, V]):
    """Values built once per film and key (a rendered card, its keyboard). Keyed by the film's id
    and checked by identity, so the films of a reloaded catalogue get new ones."""

    def __init__(self) -> None:
        self._values: dict[tuple[str, K], tuple[Film, V]] = {}

    def get(self, film: Film, key: K, build: Callable[[], V]) -> V:
        found = self._values.get((film.id, key))
        if found is not None and found[0] is film:
            return found[1]
        value = build()
        self._values[(film.id, key)] = (film, value)
        return value
