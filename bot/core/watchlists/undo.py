"""What a destructive tap took away from one user's film — its list row, its viewings, its
rating — kept for UNDO_WINDOW so that the message it was tapped on can offer to put it back."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from bot.core.storage import Table
from bot.core.storage.rows import instant, write

OWN_BUSY_TIMEOUT_MS = 2000  # waits for the bot's own short writes, not for a backup
UNDO_WINDOW = timedelta(minutes=10)  # the issue asks for at least a minute; a reader may step away


class UndoTable(Table):
    @write
    async def keep(self, user_id: int, film_id: str, now: datetime) -> int:
        """Keep the user's rows of the film as they are now; the id that puts them back."""
        row = await self._read_one(
            "SELECT title, year, added_at, watched_at, letterboxd_uri FROM watchlist "
            "WHERE user_id = ? AND film_id = ?",
            (user_id, film_id),
        )
        viewings = await self._read_all(
            "SELECT id, watched_on, rating, created_at, rewatch, letterboxd_uri, mark, month_only "
            "FROM viewings WHERE user_id = ? AND film_id = ?",
            (user_id, film_id),
        )
        rating = await self._read_one(
            "SELECT rating, rated_at FROM ratings WHERE user_id = ? AND film_id = ?", (user_id, film_id)
        )
        kept = {
            "list": list(row) if row else None,
            "viewings": [list(v) for v in viewings],
            "rating": list(rating) if rating else None,
        }
        await self._db.execute("DELETE FROM undos WHERE created_at < ?", (instant(now - UNDO_WINDOW),))
        return await self._insert(
            "INSERT INTO undos (user_id, film_id, kept, created_at) VALUES (?, ?, ?, ?)",
            (user_id, film_id, json.dumps(kept), instant(now)),
        )

    @write
    async def put_back(self, user_id: int, film_id: str | None, undo_id: int, now: datetime) -> bool:
        """The film's rows as they were kept, in one transaction; False when there is nothing to put
        back (undone already, too late, or another user's or another film's, when `film_id` is
        given)."""
        # a connection of its own, as an import's: no other write can fall into the transaction
        async with self._storage.own_transaction(OWN_BUSY_TIMEOUT_MS) as db:
            async with db.execute(
                "SELECT film_id, kept FROM undos WHERE id = ? AND user_id = ? AND created_at >= ?",
                (undo_id, user_id, instant(now - UNDO_WINDOW)),
            ) as cursor:
                found = await cursor.fetchone()
            if found is None or film_id not in (None, found[0]):
                return False  # nothing changed: the empty transaction ends
            film_id, kept = str(found[0]), json.loads(found[1])
            for table in ("watchlist", "viewings", "ratings"):
                await db.execute(f"DELETE FROM {table} WHERE user_id = ? AND film_id = ?", (user_id, film_id))
            if kept["list"]:
                await db.execute(
                    "INSERT INTO watchlist (user_id, film_id, title, year, added_at, watched_at, "
                    "letterboxd_uri) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (user_id, film_id, *kept["list"]),
                )
            await db.executemany(
                "INSERT INTO viewings (id, user_id, film_id, watched_on, rating, created_at, rewatch, "
                "letterboxd_uri, mark, month_only) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                # kept before migration 12, a viewing has no month_only: it was a day
                [(v[0], user_id, film_id, *v[1:], *[0] * (8 - len(v))) for v in kept["viewings"]],
            )
            if kept["rating"]:
                await db.execute(
                    "INSERT INTO ratings (user_id, film_id, rating, rated_at) VALUES (?, ?, ?, ?)",
                    (user_id, film_id, *kept["rating"]),
                )
            await db.execute("DELETE FROM undos WHERE id = ?", (undo_id,))
        return True
