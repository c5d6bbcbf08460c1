"""An import's writes: the list, the diary and the ratings of one user, in one transaction.

Importing is the same whatever files the rows come from and in whatever order they arrive: the
ZIP, or its CSV files one by one, give one state. A watched or ratings row's viewing (a `mark`) is
added only to a film with no viewing yet, and gives its rating to the film's undated viewing; a
diary entry already there is not added again, and one that arrives after a mark takes the mark's
place; the film's rating is that of its latest rated viewing, or else its ratings row's.
"""

from __future__ import annotations

from datetime import date

import aiosqlite

from bot.core.letterboxd.model import ImportedViewing, ImportPlan
from bot.core.storage import Table
from bot.core.storage.rows import now_text, write

IMPORT_BUSY_TIMEOUT_MS = 2000  # the import waits for the bot's own short writes, not for a backup
_ADD_USER = "INSERT INTO users (id, first_seen, last_seen) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING"
_ADD_FILM = (
    "INSERT INTO watchlist (user_id, film_id, title, year, added_at, watched_at) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (user_id, film_id) DO UPDATE SET watched_at = excluded.watched_at "
    "WHERE watched_at IS NULL AND excluded.watched_at IS NOT NULL"
)
_SET_ADDRESS = (
    "UPDATE watchlist SET letterboxd_uri = ? WHERE user_id = ? AND film_id = ? AND letterboxd_uri IS NULL"
)
_ADD_VIEWING = (
    "INSERT INTO viewings (user_id, film_id, watched_on, rating, created_at, rewatch, letterboxd_uri) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_SET_RATING = (
    "INSERT INTO ratings (user_id, film_id, rating, rated_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (user_id, film_id) DO UPDATE SET rating = excluded.rating, rated_at = excluded.rated_at "
    "WHERE rating != excluded.rating"
)
_FILL_IN = (
    "UPDATE viewings SET rewatch = COALESCE(rewatch, ?), letterboxd_uri = COALESCE(letterboxd_uri, ?) "
    "WHERE id = ? AND (rewatch IS NULL AND ? IS NOT NULL OR letterboxd_uri IS NULL AND ? IS NOT NULL)"
)
_LATEST_RATED = (
    "SELECT rating FROM viewings WHERE user_id = ? AND film_id = ? AND rating IS NOT NULL "
    "ORDER BY watched_on IS NULL, watched_on DESC, id DESC LIMIT 1"
)


class LetterboxdTable(Table):
    @write
    async def apply_import(self, user_id: int, films: dict[str, tuple[str, int]], plan: ImportPlan) -> int:
        """An import, whole or not at all, in one transaction on a connection of its own (so no other
        write can fall into it): films to watch and watched (`films`: id -> title, year), viewings,
        ratings, addresses. The number of rows it changed (0 for rows imported before)."""
        assert self._storage.path is not None
        now = now_text()
        changed = 0
        async with aiosqlite.connect(self._storage.path, isolation_level=None) as db:
            await db.execute(f"PRAGMA busy_timeout={IMPORT_BUSY_TIMEOUT_MS}")
            await db.execute("BEGIN IMMEDIATE")
            try:
                await db.execute(_ADD_USER, (user_id, now, now))
                for film_id in sorted(plan.to_watch | plan.watched):
                    title, year = films[film_id]
                    seen = now if film_id in plan.watched else None
                    cursor = await db.execute(_ADD_FILM, (user_id, film_id, title, year, now, seen))
                    changed += cursor.rowcount
                    if film_id in plan.addresses:
                        cursor = await db.execute(_SET_ADDRESS, (plan.addresses[film_id], user_id, film_id))
                        changed += cursor.rowcount
                # diary entries first (oldest first), then the marks of films that have none
                for viewing in sorted(
                    plan.viewings, key=lambda v: (v.mark, v.watched_on or date.min, v.film_id)
                ):
                    if viewing.film_id in films:
                        changed += await _add_viewing(db, user_id, viewing, now)
                for film_id in sorted(plan.watched | set(plan.ratings)):
                    async with db.execute(_LATEST_RATED, (user_id, film_id)) as cursor:
                        latest = await cursor.fetchone()
                    rating = int(latest[0]) if latest else plan.ratings.get(film_id)
                    if rating is not None:
                        cursor = await db.execute(_SET_RATING, (user_id, film_id, rating, now))
                        changed += cursor.rowcount
                await db.execute("COMMIT")
            except BaseException:
                await db.execute("ROLLBACK")
                raise
        return changed


async def _add_viewing(db: aiosqlite.Connection, user_id: int, viewing: ImportedViewing, now: str) -> int:
    """One imported viewing, unless it is there already (see the module's rule): rows changed."""
    day = viewing.watched_on.isoformat() if viewing.watched_on else None
    async with db.execute(
        "SELECT id, watched_on, rating FROM viewings WHERE user_id = ? AND film_id = ? ORDER BY id",
        (user_id, viewing.film_id),
    ) as cursor:
        logged = [(int(r[0]), r[1], r[2]) for r in await cursor.fetchall()]
    if viewing.mark:
        if not logged:
            await db.execute(_ADD_VIEWING, (user_id, viewing.film_id, None, viewing.rating, now, None, None))
            return 1
        undated = [i for i, on, rating in logged if on is None and rating is None]
        if viewing.rating is not None and undated and all(r is None for _, _, r in logged):
            await db.execute("UPDATE viewings SET rating = ? WHERE id = ?", (viewing.rating, undated[0]))
            return 1
        return 0
    same = [i for i, on, rating in logged if on == day and rating == viewing.rating]
    if same:  # imported before: only what it did not say then
        cursor = await db.execute(
            _FILL_IN, (viewing.rewatch, viewing.uri, same[0], viewing.rewatch, viewing.uri)
        )
        return cursor.rowcount
    places = [i for i, on, _ in logged if on is None] if day is not None else []
    if places:  # a mark (watched, rated, no date) this diary entry stands for
        await db.execute(
            "UPDATE viewings SET watched_on = ?, rating = ?, rewatch = ?, letterboxd_uri = ? WHERE id = ?",
            (day, viewing.rating, viewing.rewatch, viewing.uri, places[0]),
        )
        return 1
    await db.execute(
        _ADD_VIEWING, (user_id, viewing.film_id, day, viewing.rating, now, viewing.rewatch, viewing.uri)
    )
    return 1
