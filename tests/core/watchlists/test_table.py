"""The watchlist table: idempotent, ordered, whole under concurrent presses."""

from __future__ import annotations

import asyncio

from bot.core.storage import Storage
from bot.core.watchlists.table import WatchlistTable


async def test_watchlist_add_is_idempotent_and_ordered(storage: Storage) -> None:
    assert await storage.table(WatchlistTable).add(1, "a", "A", 1957) is True
    assert await storage.table(WatchlistTable).add(1, "a", "A", 1957) is False
    await storage.table(WatchlistTable).add(1, "b", "B", 1960)
    await storage.table(WatchlistTable).add(2, "a", "A", 1957)
    assert await storage.table(WatchlistTable).set_watched(1, "a", watched=True)
    entries = await storage.table(WatchlistTable).entries(1)
    assert [(e.film_id, e.watched) for e in entries] == [("b", False), ("a", True)]
    assert [e.film_id for e in await storage.table(WatchlistTable).entries(2)] == ["a"]


async def test_watchlist_changes_report_whether_anything_changed(storage: Storage) -> None:
    assert await storage.table(WatchlistTable).remove(1, "a") is False
    assert await storage.table(WatchlistTable).set_watched(1, "a", watched=True) is False
    await storage.table(WatchlistTable).add(1, "a", "A", 1957)
    assert await storage.table(WatchlistTable).remove(1, "a") is True
    assert await storage.table(WatchlistTable).entry(1, "a") is None


async def test_concurrent_adds_leave_one_row(storage: Storage) -> None:
    results = await asyncio.gather(*(storage.table(WatchlistTable).add(9, "x", "X", 1970) for _ in range(20)))
    assert results.count(True) == 1
    assert len(await storage.table(WatchlistTable).entries(9)) == 1
