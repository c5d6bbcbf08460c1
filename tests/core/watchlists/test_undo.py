"""What a destructive tap took away comes back whole, also when it was kept by an older release."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from bot.core.diary.table import DiaryTable
from bot.core.storage import Storage
from bot.core.watchlists.table import WatchlistTable
from bot.core.watchlists.undo import UndoTable

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)


async def test_a_deleted_month_only_entry_comes_back_as_it_was(storage: Storage) -> None:
    diary, undos = storage.table(DiaryTable), storage.table(UndoTable)
    await storage.table(WatchlistTable).mark_watched(1, "asya", "Asya", 1977)
    viewing = await diary.add_viewing(1, "asya", None)
    assert await diary.set_viewing_date(1, "asya", viewing, date(2024, 11, 1), month_only=True)
    assert await diary.rate(1, "asya", viewing, 7)
    before = await diary.viewings(1)
    undo = await undos.keep(1, "asya", NOW)
    assert await diary.delete_viewing(1, "asya", viewing) == 0
    assert await diary.viewings(1) == [] and await diary.rating(1, "asya") is None
    assert await undos.put_back(1, "white-nights", undo, NOW) is False  # another film's button
    assert await undos.put_back(2, "asya", undo, NOW) is False  # another user's
    assert await undos.put_back(1, "asya", undo, NOW) is True
    assert await diary.viewings(1) == before and await diary.rating(1, "asya") == 7
    assert await undos.put_back(1, "asya", undo, NOW) is False  # once


async def test_an_undo_kept_before_month_only_dates_puts_back_a_day(storage: Storage) -> None:
    diary, undos = storage.table(DiaryTable), storage.table(UndoTable)
    await storage.table(WatchlistTable).mark_watched(1, "asya", "Asya", 1977)
    viewing = await diary.add_viewing(1, "asya", date(2026, 12, 1))
    undo = await undos.keep(1, "asya", NOW)
    # as a release before migration 12 kept it: a viewing without its month_only
    await storage.writer.execute(
        "UPDATE undos SET kept = ? WHERE id = ?",
        (json.dumps({"list": None, "viewings": [[viewing, "2026-11-30", 8, NOW.isoformat(), None, None, 0]],
                     "rating": [8, NOW.isoformat()]}), undo),
    )  # fmt: skip
    assert await undos.put_back(1, "asya", undo, NOW) is True
    [back] = await diary.viewings(1)
    assert (back.id, back.watched_on, back.rating, back.month_only) == (viewing, date(2026, 11, 30), 8, False)
