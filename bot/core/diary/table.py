"""The diary tables: each viewing of a film (its date, if the viewer gave one), and each viewer's
latest rating of it, in half stars (1 = ½ … 10 = 5)."""

from __future__ import annotations

from datetime import date, datetime

from bot.core.diary.model import Viewing
from bot.core.storage import Table
from bot.core.storage.rows import now_text, write


def _viewing(row: tuple[object, ...]) -> Viewing:
    viewing_id, film_id, watched_on, rating, created_at, rewatch, uri, mark = row
    return Viewing(
        int(str(viewing_id)),
        str(film_id),
        date.fromisoformat(str(watched_on)) if watched_on else None,
        int(str(rating)) if rating is not None else None,
        datetime.fromisoformat(str(created_at)),
        None if rewatch is None else bool(rewatch),
        str(uri) if uri else None,
        bool(mark),
    )


class DiaryTable(Table):
    @write
    async def add_viewing(self, user_id: int, film_id: str, watched_on: date | None) -> int:
        await self._known.ensure(self._db, user_id)
        cursor = await self._db.execute(
            "INSERT INTO viewings (user_id, film_id, watched_on, created_at) VALUES (?, ?, ?, ?)",
            (user_id, film_id, watched_on.isoformat() if watched_on else None, now_text()),
        )
        return int(cursor.lastrowid or 0)

    @write
    async def set_viewing_date(
        self, user_id: int, film_id: str, viewing_id: int, watched_on: date | None
    ) -> bool:
        cursor = await self._db.execute(
            "UPDATE viewings SET watched_on = ? WHERE id = ? AND user_id = ? AND film_id = ?",
            (watched_on.isoformat() if watched_on else None, viewing_id, user_id, film_id),
        )
        return cursor.rowcount > 0

    @write
    async def rate(self, user_id: int, film_id: str, viewing_id: int, half_stars: int) -> bool:
        """Rate a viewing, which makes it the film's rating; False for no such viewing of the film."""
        cursor = await self._db.execute(
            "UPDATE viewings SET rating = ? WHERE id = ? AND user_id = ? AND film_id = ?",
            (half_stars, viewing_id, user_id, film_id),
        )
        if cursor.rowcount == 0:
            return False
        now = now_text()
        await self._db.execute(
            "INSERT INTO ratings (user_id, film_id, rating, rated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (user_id, film_id) DO UPDATE SET "
            "rating = excluded.rating, rated_at = excluded.rated_at",
            (user_id, film_id, half_stars, now),
        )
        return True

    @write
    async def forget(self, user_id: int, film_id: str) -> None:
        """The film was not watched after all: its viewings and rating go."""
        await self._db.execute("DELETE FROM viewings WHERE user_id = ? AND film_id = ?", (user_id, film_id))
        await self._db.execute("DELETE FROM ratings WHERE user_id = ? AND film_id = ?", (user_id, film_id))

    def viewings(self, user_id: int) -> list[Viewing]:
        """Newest first by the date watched; those watched "earlier", with no date, after them."""
        rows = self._read.execute(
            "SELECT id, film_id, watched_on, rating, created_at, rewatch, letterboxd_uri, mark FROM viewings "
            "WHERE user_id = ? "
            "ORDER BY watched_on IS NULL, watched_on DESC, id DESC",
            (user_id,),
        ).fetchall()
        return [_viewing(tuple(r)) for r in rows]

    def count_of(self, user_id: int, film_id: str) -> int:
        """How many viewings of the film the user has."""
        row = self._read.execute(
            "SELECT COUNT(*) FROM viewings WHERE user_id = ? AND film_id = ?", (user_id, film_id)
        ).fetchone()
        return int(row[0]) if row else 0

    def rating(self, user_id: int, film_id: str) -> int | None:
        row = self._read.execute(
            "SELECT rating FROM ratings WHERE user_id = ? AND film_id = ?", (user_id, film_id)
        ).fetchone()
        return int(row[0]) if row else None

    def ratings_of(self, user_id: int) -> dict[str, int]:
        rows = self._read.execute("SELECT film_id, rating FROM ratings WHERE user_id = ?", (user_id,))
        return {str(f): int(r) for f, r in rows.fetchall()}

    def community_of(self, film_id: str) -> tuple[int, int]:
        """(how many rated the film, the sum of their half stars)."""
        row = self._read.execute(
            "SELECT COUNT(*), COALESCE(SUM(rating), 0) FROM ratings WHERE film_id = ?", (film_id,)
        ).fetchone()
        return (int(row[0]), int(row[1])) if row else (0, 0)

    def community(self) -> dict[str, tuple[int, int]]:
        """Per film: (how many rated it, the sum of their half stars)."""
        rows = self._read.execute("SELECT film_id, COUNT(*), SUM(rating) FROM ratings GROUP BY film_id")
        return {str(f): (int(n), int(total)) for f, n, total in rows.fetchall()}
