"""The file_ids Telegram gave the pictures the bot uploaded, by the picture's name."""

from __future__ import annotations

from bot.core.storage import Table
from bot.core.storage.rows import now_text, write


class PictureTable(Table):
    async def file_id(self, key: str) -> str | None:
        row = await self._read_one("SELECT file_id FROM pictures WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    @write
    async def remember(self, key: str, file_id: str) -> None:
        await self._db.execute(
            "INSERT INTO pictures (key, file_id, stored_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET file_id = excluded.file_id, stored_at = excluded.stored_at",
            (key, file_id, now_text()),
        )

    @write
    async def forget(self, key: str) -> None:
        await self._db.execute("DELETE FROM pictures WHERE key = ?", (key,))
