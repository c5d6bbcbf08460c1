"""The film of the day: the same for everyone on a date, every visible film once before any repeats.

A cycle covers every visible film before any repeats; films added later join the cycle from the
next new day on. The pick for a day is chosen once and kept.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from datetime import date

from bot.core.films.table import FilmsTable
from bot.core.storage import Storage
from bot.core.storage.rows import DatabaseError
from bot.core.throttle import BurstLog

log = logging.getLogger(__name__)
_faults = BurstLog(log)


def _day_rank(day: date, film_id: str) -> bytes:
    return hashlib.sha256(f"{day.isoformat()}|{film_id}".encode()).digest()


def choose_film_of_the_day(day: date, candidates: Iterable[str]) -> str:
    """Deterministic pick among the films not yet shown in the current cycle."""
    return min(candidates, key=lambda film_id: _day_rank(day, film_id))


async def film_of_the_day(storage: Storage, day: date, visible_ids: Sequence[str]) -> str:
    """The film for `day`, chosen once and then kept. While the database cannot write, the pick
    is not stored, but the same state gives the same pick."""
    if not visible_ids:
        raise ValueError("no visible films")
    table = storage.table(FilmsTable)
    visible = set(visible_ids)
    chosen = await table.chosen(day)
    if chosen in visible:
        return chosen
    async with storage.lock:
        chosen = await table.chosen(day)  # again: another caller may have chosen it meanwhile
        if chosen in visible:
            return chosen
        cycle, shown = await table.cycle()
        remaining = visible - shown
        if not remaining:
            cycle, remaining = cycle + 1, visible
        film_id = choose_film_of_the_day(day, sorted(remaining))
        try:
            await table.choose(day, film_id, cycle)
        except DatabaseError as exc:
            # The same pick comes out of the same state, so until the write succeeds everyone
            # still gets the same film; it is recorded on the first call that can write.
            _faults.warning("daily", "film of the day for %s not recorded: %s", day, exc)
        return film_id
