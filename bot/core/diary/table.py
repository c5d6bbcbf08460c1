"""The diary tables: each viewing of a film (its date, if the viewer gave one), and each viewer's
rating of it, in half stars (1 = ½ … 10 = 5): that of their latest rated viewing of the film.

"Latest" is the diary's order: by the date watched, newest first; a viewing "earlier", with no date,
after every dated one; of one day, the one logged last first."""

from __future__ import annotations

from datetime import date, datetime

from bot.core.diary.model import Viewing
from bot.core.storage import Table
from bot.core.storage.rows import now_text, write

LATEST_FIRST = "ORDER BY watched_on IS NULL, watched_on DESC, id DESC"
LATEST_RATED = (
    "SELECT rating FROM viewings WHERE user_id = ? AND film_id = ? AND rating IS NOT NULL "
    f"{LATEST_FIRST} LIMIT 1"
)
SET_RATING = (
    "INSERT INTO ratings (user_id, film_id, rating, rated_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (user_id, film_id) DO UPDATE SET rating = excluded.rating, rated_at = excluded.rated_at "
    "WHERE ratings.rating != excluded.rating"
)
_COLUMNS = "id, film_id, watched_on, rating, created_at, rewatch, letterboxd_uri, mark, month_only"


def _viewing(row: tuple[object, ...]) -> Viewing:
    viewing_id, film_id, watched_on, rating, created_at, rewatch, uri, mark, month_only = row
    return Viewing(
        int(str(viewing_id)),
        str(film_id),
        date.fromisoformat(str(watched_on)) if watched_on else None,
        int(str(rating)) if rating is not None else None,
        datetime.fromisoformat(str(created_at)),
        None if rewatch is None else bool(rewatch),
        str(uri) if uri else None,
        bool(mark),
        bool(month_only),
    )


class DiaryTable(Table):
    @write
    async def add_viewing(self, user_id: int, film_id: str, watched_on: date | None) -> int:
        await self._known.ensure(self._db, user_id)
        return await self._insert(
            "INSERT INTO viewings (user_id, film_id, watched_on, created_at) VALUES (?, ?, ?, ?)",
            (user_id, film_id, watched_on.isoformat() if watched_on else None, now_text()),
        )

    @write
    async def set_viewing_date(
        self, user_id: int, film_id: str, viewing_id: int, watched_on: date | None, month_only: bool = False
    ) -> bool:
        """The viewing's date (None: "earlier", no date; `month_only`: only its month is known, and
        `watched_on` is the month's first); False for no such viewing of the film. A date that
        makes another rated viewing the latest makes its rating the film's."""
        async with self._atomic():
            cursor = await self._db.execute(
                # a date makes a mark (a film only said to be watched) a diary entry
                "UPDATE viewings SET watched_on = ?1, month_only = ?2, "
                "mark = CASE WHEN CAST(?1 AS TEXT) IS NULL THEN mark ELSE 0 END "
                "WHERE id = ?3 AND user_id = ?4 AND film_id = ?5",
                (watched_on.isoformat() if watched_on else None, month_only, viewing_id, user_id, film_id),
            )
            if cursor.rowcount == 0:
                return False
            await self._settle_rating(user_id, film_id, dropped=False)
        return True

    @write
    async def rate(self, user_id: int, film_id: str, viewing_id: int, half_stars: int | None) -> bool:
        """Rate a viewing (None: take its rating away); False for no such viewing of the film. The
        film's rating is then that of its latest rated viewing."""
        async with self._atomic():
            cursor = await self._db.execute(
                "UPDATE viewings SET rating = ? WHERE id = ? AND user_id = ? AND film_id = ?",
                (half_stars, viewing_id, user_id, film_id),
            )
            if cursor.rowcount == 0:
                return False
            await self._settle_rating(user_id, film_id, dropped=half_stars is None)
        return True

    @write
    async def delete_viewing(self, user_id: int, film_id: str, viewing_id: int) -> int | None:
        """Delete one viewing of the film: how many are left, or None for no such viewing."""
        async with self._atomic():
            async with self._db.execute(
                "DELETE FROM viewings WHERE id = ? AND user_id = ? AND film_id = ? RETURNING rating",
                (viewing_id, user_id, film_id),
            ) as cursor:
                gone = await cursor.fetchone()
            if gone is None:
                return None
            await self._settle_rating(user_id, film_id, dropped=gone[0] is not None)
            async with self._db.execute(
                "SELECT COUNT(*) FROM viewings WHERE user_id = ? AND film_id = ?", (user_id, film_id)
            ) as cursor:
                left = await cursor.fetchone()
        return int(left[0]) if left else 0

    async def _settle_rating(self, user_id: int, film_id: str, dropped: bool) -> None:
        """The film's rating is its latest rated viewing's; with none rated, none once a rating was
        `dropped` (a rating given before viewings carried theirs stays until then)."""
        async with self._db.execute(LATEST_RATED, (user_id, film_id)) as cursor:
            latest = await cursor.fetchone()
        if latest is not None:
            await self._db.execute(SET_RATING, (user_id, film_id, int(latest[0]), now_text()))
        elif dropped:
            await self._db.execute(
                "DELETE FROM ratings WHERE user_id = ? AND film_id = ?", (user_id, film_id)
            )

    @write
    async def forget(self, user_id: int, film_id: str) -> None:
        """The film was not watched after all: its viewings and rating go."""
        await self._db.execute("DELETE FROM viewings WHERE user_id = ? AND film_id = ?", (user_id, film_id))
        await self._db.execute("DELETE FROM ratings WHERE user_id = ? AND film_id = ?", (user_id, film_id))

    async def viewings(self, user_id: int) -> list[Viewing]:
        """Newest first by the date watched; those watched "earlier", with no date, after them."""
        rows = await self._read_all(
            f"SELECT {_COLUMNS} FROM viewings WHERE user_id = ? {LATEST_FIRST}", (user_id,)
        )
        return [_viewing(tuple(r)) for r in rows]

    async def viewing(self, user_id: int, viewing_id: int) -> Viewing | None:
        """One of the user's viewings; None for another's, or one that is gone."""
        row = await self._read_one(
            f"SELECT {_COLUMNS} FROM viewings WHERE id = ? AND user_id = ?", (viewing_id, user_id)
        )
        return _viewing(tuple(row)) if row else None

    async def count_of(self, user_id: int, film_id: str) -> int:
        """How many viewings of the film the user has."""
        row = await self._read_one(
            "SELECT COUNT(*) FROM viewings WHERE user_id = ? AND film_id = ?", (user_id, film_id)
        )
        return int(row[0]) if row else 0

    async def rating(self, user_id: int, film_id: str) -> int | None:
        row = await self._read_one(
            "SELECT rating FROM ratings WHERE user_id = ? AND film_id = ?", (user_id, film_id)
        )
        return int(row[0]) if row else None

    async def ratings_for_film(self, film_id: str, user_ids: list[int]) -> dict[int, int]:
        """The ratings `user_ids` gave `film_id`, by user (for the daily cards of a broadcast)."""
        rows = await self._for_users(
            "SELECT user_id, rating FROM ratings WHERE film_id = ?", film_id, user_ids
        )
        return {int(u): int(r) for u, r in rows}

    async def ratings_of(self, user_id: int) -> dict[str, int]:
        rows = await self._read_all("SELECT film_id, rating FROM ratings WHERE user_id = ?", (user_id,))
        return {str(f): int(r) for f, r in rows}

    async def community_of(self, film_id: str) -> tuple[int, int]:
        """(how many rated the film, the sum of their half stars)."""
        row = await self._read_one(
            "SELECT COUNT(*), COALESCE(SUM(rating), 0) FROM ratings WHERE film_id = ?", (film_id,)
        )
        return (int(row[0]), int(row[1])) if row else (0, 0)

    async def community(self) -> dict[str, tuple[int, int]]:
        """Per film: (how many rated it, the sum of their half stars)."""
        rows = await self._read_all("SELECT film_id, COUNT(*), SUM(rating) FROM ratings GROUP BY film_id")
        return {str(f): (int(n), int(total)) for f, n, total in rows}
