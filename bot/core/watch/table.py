"""The link_checks table: what the last check of each watch link found, and when it last passed."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.core.storage import Table
from bot.core.storage.rows import instant, write
from bot.core.watch.model import LinkCheck, LinkStatus


def _check(row: aiosqlite.Row | tuple[object, ...]) -> LinkCheck:
    url, status, detail, checked_at, verified_at = row
    return LinkCheck(
        str(url),
        LinkStatus(str(status)),
        str(detail),
        datetime.fromisoformat(str(checked_at)),
        datetime.fromisoformat(str(verified_at)) if verified_at else None,
    )


class LinksTable(Table):
    async def all(self) -> list[LinkCheck]:
        async with self._db.execute(
            "SELECT url, status, detail, checked_at, verified_at FROM link_checks"
        ) as cursor:
            return [_check(row) for row in await cursor.fetchall()]

    @write
    async def record(self, check: LinkCheck) -> None:
        verified = instant(check.verified_at) if check.verified_at else None
        await self._db.execute(
            "INSERT INTO link_checks (url, status, detail, checked_at, verified_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (url) DO UPDATE SET status = excluded.status, detail = excluded.detail, "
            "checked_at = excluded.checked_at, verified_at = excluded.verified_at",
            (check.url, check.status.value, check.detail, instant(check.checked_at), verified),
        )
