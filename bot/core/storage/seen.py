"""The updates a webhook has taken: Telegram posts an update again when it got no 200 for it (a
slow answer, a worker that restarted), and the second copy must change nothing. Kept SEEN_FOR, then
forgotten (Telegram gives up on an update long before)."""

from __future__ import annotations

from datetime import datetime, timedelta

from . import Table
from .rows import instant, write

SEEN_FOR = timedelta(hours=24)


class SeenUpdates(Table):
    @write
    async def first_time(self, update_id: int, now: datetime) -> bool:
        """Whether this is the first copy of the update (and it is recorded as seen)."""
        cursor = await self._db.execute(
            "INSERT INTO seen_updates (update_id, seen_at) VALUES (?, ?) ON CONFLICT (update_id) DO NOTHING",
            (update_id, instant(now)),
        )
        return cursor.rowcount > 0

    @write
    async def forget_old(self, now: datetime) -> None:
        await self._db.execute("DELETE FROM seen_updates WHERE seen_at < ?", (instant(now - SEEN_FOR),))
