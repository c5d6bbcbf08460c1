"""The watchlist table: per-user lists of films to watch and watched."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.core.storage import Table
from bot.core.storage.rows import now_text, write
from bot.core.watchlists.model import Entry


def _entry(row: aiosqlite.Row | tuple[object, ...]) -> Entry:
    film_id, title, year, added_at, watched_at, uri = row
    return Entry(
        str(film_id),
        str(title),
        int(str(year)),
        datetime.fromisoformat(str(added_at)),
        datetime.fromisoformat(str(watched_at)) if watched_at else None,
        str(uri) if uri else None,
    )


class WatchlistTable(Table):
    """Every method returns once its write committed; each write is one statement, so a double tap
    or two concurrent presses leave one consistent row."""

    _COLUMNS = "film_id, title, year, added_at, watched_at, letterboxd_uri"

    @write
    async def add(self, user_id: int, film_id: str, title: str, year: int) -> bool:
        """True if the film was added, False if it was already there."""
        await self._known.ensure(self._db, user_id)
        cursor = await self._db.execute(
            "INSERT INTO watchlist (user_id, film_id, title, year, added_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (user_id, film_id) DO NOTHING",
            (user_id, film_id, title, year, now_text()),
        )
        return cursor.rowcount > 0

    @write
    async def remove(self, user_id: int, film_id: str) -> bool:
        cursor = await self._db.execute(
            "DELETE FROM watchlist WHERE user_id = ? AND film_id = ?", (user_id, film_id)
        )
        return cursor.rowcount > 0

    @write
    async def mark_watched(self, user_id: int, film_id: str, title: str, year: int) -> bool:
        """Mark a film watched, adding it to the list if it is not there; False if it already was."""
        await self._known.ensure(self._db, user_id)
        now = now_text()
        cursor = await self._db.execute(
            "INSERT INTO watchlist (user_id, film_id, title, year, added_at, watched_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, film_id) DO UPDATE SET "
            "watched_at = excluded.watched_at WHERE watchlist.watched_at IS NULL",
            (user_id, film_id, title, year, now, now),
        )
        return cursor.rowcount > 0

    @write
    async def set_watched(self, user_id: int, film_id: str, watched: bool) -> bool:
        """Mark (or unmark) a film in the list as watched; False if it is not in the list."""
        cursor = await self._db.execute(
            "UPDATE watchlist SET watched_at = ? WHERE user_id = ? AND film_id = ?",
            (now_text() if watched else None, user_id, film_id),
        )
        return cursor.rowcount > 0

    async def entry(self, user_id: int, film_id: str) -> Entry | None:
        row = await self._read_one(
            f"SELECT {self._COLUMNS} FROM watchlist WHERE user_id = ? AND film_id = ?", (user_id, film_id)
        )
        return _entry(row) if row else None

    async def entries_for_film(self, film_id: str, user_ids: list[int]) -> dict[int, Entry]:
        """Which of `user_ids` have `film_id` in their list (for the buttons of a daily card)."""
        select = f"SELECT user_id, {self._COLUMNS} FROM watchlist WHERE film_id = ?"
        return {int(row[0]): _entry(row[1:]) for row in await self._for_users(select, film_id, user_ids)}

    async def entries(self, user_id: int) -> list[Entry]:
        """To-watch films first (oldest added first), then watched ones (most recent first)."""
        rows = await self._read_all(
            f"SELECT {self._COLUMNS} FROM watchlist WHERE user_id = ? "
            "ORDER BY watched_at IS NOT NULL, watched_at DESC, added_at, rowid",
            (user_id,),
        )
        return [_entry(row) for row in rows]
