"""An import's writes: the list, the diary and the ratings of one user, in one transaction.

Importing is the same whatever files the rows come from and in whatever order they arrive: the
ZIP, or its CSV files one by one, give one state. A watched or ratings row's viewing (a `mark`,
a viewing that only says the film was watched) is added only to a film with no viewing yet; a
diary entry already there is not added again, and one that arrives after a mark takes the mark's
place; a ratings row's rating goes on the film's latest viewing when none is rated; the film's
rating is that of its latest rated viewing. Our own export's marks are viewings of their own.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from bot.core.diary.table import LATEST_FIRST, LATEST_RATED, SET_RATING
from bot.core.letterboxd.model import ImportedViewing, ImportPlan
from bot.core.storage import Table
from bot.core.storage.rows import Connection, now_text, write

IMPORT_BUSY_TIMEOUT_MS = 2000  # the import waits for the bot's own short writes, not for a backup
_ADD_USER = "INSERT INTO users (id, first_seen, last_seen) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING"
_ADD_FILM = (
    "INSERT INTO watchlist (user_id, film_id, title, year, added_at, watched_at) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (user_id, film_id) DO UPDATE SET watched_at = excluded.watched_at "
    "WHERE watchlist.watched_at IS NULL AND excluded.watched_at IS NOT NULL"
)
_SET_ADDRESS = (
    "UPDATE watchlist SET letterboxd_uri = ? WHERE user_id = ? AND film_id = ? AND letterboxd_uri IS NULL"
)
_ADD_VIEWING = (
    "INSERT INTO viewings (user_id, film_id, watched_on, rating, created_at, rewatch, letterboxd_uri, mark) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_FILL_IN = (
    "UPDATE viewings SET rewatch = COALESCE(rewatch, ?1), letterboxd_uri = COALESCE(letterboxd_uri, ?2) "
    "WHERE id = ?3 AND (rewatch IS NULL AND CAST(?1 AS INTEGER) IS NOT NULL "
    "OR letterboxd_uri IS NULL AND CAST(?2 AS TEXT) IS NOT NULL)"
)
_RATE_LATEST = (
    "UPDATE viewings SET rating = ? WHERE id = (SELECT id FROM viewings WHERE user_id = ? AND film_id = ? "
    f"{LATEST_FIRST} LIMIT 1) AND NOT EXISTS (SELECT 1 FROM viewings "
    "WHERE user_id = ? AND film_id = ? AND rating IS NOT NULL)"
)


class LetterboxdTable(Table):
    @write
    async def apply_import(self, user_id: int, films: dict[str, tuple[str, int]], plan: ImportPlan) -> int:
        """An import, whole or not at all, in one transaction on a connection of its own (so no other
        write can fall into it): films to watch and watched (`films`: id -> title, year), viewings,
        ratings, addresses. The number of rows it changed (0 for rows imported before)."""
        now = now_text()
        changed = 0
        async with self._storage.own_transaction(IMPORT_BUSY_TIMEOUT_MS) as db:
            await db.execute(_ADD_USER, (user_id, now, now))
            for film_id in sorted(plan.to_watch | plan.watched, key=plan.order.index):
                title, year = films[film_id]
                seen = now if film_id in plan.watched else None
                cursor = await db.execute(_ADD_FILM, (user_id, film_id, title, year, now, seen))
                changed += cursor.rowcount
                if film_id in plan.addresses:
                    cursor = await db.execute(_SET_ADDRESS, (plan.addresses[film_id], user_id, film_id))
                    changed += cursor.rowcount

            # diary entries first, oldest first and in the files' order on a day, then marks;
            # of viewings alike (a film, a day), as many as the files list, once
            counted: Counter[tuple[object, ...]] = Counter()
            lent: dict[str, int] = {}  # the ratings of marks a diary entry took the place of
            for viewing in sorted(plan.viewings, key=lambda v: (v.mark, v.watched_on or date.min)):
                if viewing.film_id in films:
                    key = (
                        viewing.film_id,
                        viewing.watched_on,
                        viewing.mark,
                        viewing.explicit and viewing.rating,
                    )
                    changed += await _add_viewing(db, user_id, viewing, counted[key], now, lent)
                    counted[key] += 1
            # a rating no diary entry gave goes on the film's latest viewing, if none is rated
            for film_id, rating in sorted((lent | plan.ratings).items()):
                cursor = await db.execute(_RATE_LATEST, (rating, user_id, film_id, user_id, film_id))
                changed += cursor.rowcount
            for film_id in sorted(plan.watched | set(plan.ratings)):
                async with db.execute(LATEST_RATED, (user_id, film_id)) as cursor:
                    latest = await cursor.fetchone()
                found = int(latest[0]) if latest else plan.ratings.get(film_id)
                if found is not None:
                    cursor = await db.execute(SET_RATING, (user_id, film_id, found, now))
                    changed += cursor.rowcount
        return changed


async def _add_viewing(
    db: Connection,
    user_id: int,
    viewing: ImportedViewing,
    before: int,
    now: str,
    lent: dict[str, int],
) -> int:
    """One imported viewing, the file's `before`-th alike (one film, one day) so far, unless the
    diary has it already (see the module's rule): the rows changed. A mark's rating that a diary
    entry displaces goes into `lent`, for the film's latest viewing."""
    day = viewing.watched_on.isoformat() if viewing.watched_on else None
    async with db.execute(
        "SELECT id, watched_on, rating, mark FROM viewings WHERE user_id = ? AND film_id = ? ORDER BY id",
        (user_id, viewing.film_id),
    ) as cursor:
        found = [(int(r[0]), r[1], r[2], bool(r[3])) for r in await cursor.fetchall()]
    ratings = {i: rating for i, _, rating, _ in found}
    if viewing.mark:  # a film watched, no diary entry
        if viewing.explicit:  # our export's: as many as the file lists, once
            there = before < sum(1 for _, _, rating, mark in found if mark and rating == viewing.rating)
        else:  # Letterboxd's watched or ratings row: a viewing only if the film has none yet
            there = bool(found)
        if there:
            return 0
        await db.execute(_ADD_VIEWING, (user_id, viewing.film_id, None, viewing.rating, now, None, None, 1))
        return 1
    # the same entry imported before, on the same day: its rating the same, or given on one side only
    # (a ratings row's rating lent to it since, or given here for the first time)
    that_day = [(i, rating) for i, on, rating, mark in found if on == day and not mark]
    that_day.sort(key=lambda entry: entry[1] != viewing.rating)
    same = [i for i, rating in that_day if rating == viewing.rating or None in (rating, viewing.rating)]
    if before < len(same):  # only what it did not say then
        here = same[before]
        cursor = await db.execute(_FILL_IN, (viewing.rewatch, viewing.uri, here))
        changed = cursor.rowcount
        if ratings[here] is None and viewing.rating is not None:
            await db.execute("UPDATE viewings SET rating = ? WHERE id = ?", (viewing.rating, here))
            changed += 1
        return changed
    marks = [i for i, _, _, mark in found if mark]
    if marks:  # a mark (watched, no diary entry) this entry stands for
        if ratings[marks[0]] is not None:
            lent.setdefault(viewing.film_id, int(ratings[marks[0]]))
        await db.execute(
            "UPDATE viewings SET watched_on = ?, rating = ?, rewatch = ?, letterboxd_uri = ?, mark = 0 "
            "WHERE id = ?",
            (day, viewing.rating, viewing.rewatch, viewing.uri, marks[0]),
        )
        return 1
    await db.execute(
        _ADD_VIEWING, (user_id, viewing.film_id, day, viewing.rating, now, viewing.rewatch, viewing.uri, 0)
    )
    return 1
