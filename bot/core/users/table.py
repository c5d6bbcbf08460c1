"""The users table: who was seen, who started the bot, the language they chose."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.models import Language
from bot.core.storage import Table
from bot.core.storage.rows import now_text, touch_user, write

# How an upsert sets each column it may write: the latest value, or (started_at, introduced_at) the first.
_FIRST_ONLY = ("started_at", "introduced_at")
_UPDATES = {
    "last_seen": "excluded.last_seen",
    "last_random": "excluded.last_random",
    "started_at": "COALESCE(users.started_at, excluded.started_at)",
    "introduced_at": "COALESCE(users.introduced_at, excluded.introduced_at)",
}
UPSERT_CHUNK = 500  # rows per statement (4 parameters each, well under SQLite's limit)


class UsersTable(Table):
    async def language(self, user_id: int) -> str | None:
        """The language the user chose, if any."""
        row = await self._read_one("SELECT language FROM users WHERE id = ?", (user_id,))
        return str(row[0]) if row and row[0] else None

    async def has(self, moment: str, user_id: int) -> bool:
        """Whether the user has a `moment`: started_at (wrote in a private chat), introduced_at (saw
        /start's greeting)."""
        assert moment in _FIRST_ONLY, moment
        row = await self._read_one(f"SELECT {moment} FROM users WHERE id = ?", (user_id,))
        return bool(row and row[0])

    @write
    async def record(self, moment: str, user_ids: Iterable[int]) -> None:
        """These users reached `moment` now (last_seen: the latest time is kept; else the first)."""
        now = now_text()
        await self.upsert(moment, [(user_id, now, now, now) for user_id in user_ids])

    async def upsert(self, column: str, rows: list[tuple[int, str, str, str]]) -> None:
        """(id, first_seen, last_seen, value of `column`) rows; one statement per chunk, so each chunk
        is atomic on its own and never holds other writes in a transaction of ours."""
        # last_seen is one of the three columns every row has: named once (PostgreSQL refuses a
        # column named twice)
        width = 3 if column == "last_seen" else 4
        columns = ", ".join(["id", "first_seen", "last_seen", column][:width])
        row = "(" + ", ".join("?" * width) + ")"
        for start in range(0, len(rows), UPSERT_CHUNK):
            chunk = rows[start : start + UPSERT_CHUNK]
            await self._db.execute(
                f"INSERT INTO users ({columns}) VALUES "
                + ", ".join([row] * len(chunk))
                + f" ON CONFLICT (id) DO UPDATE SET {column} = {_UPDATES[column]}",
                [value for values in chunk for value in values[:width]],
            )

    @write
    async def set_language(self, user_id: int, language: Language) -> None:
        await touch_user(self._db, user_id, language=language)
