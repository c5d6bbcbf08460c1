"""The films' own rows: the film of the day for each day, with its cycle, and each user's last
random film (a column of the users row)."""

from __future__ import annotations

from datetime import date

from bot.core.storage import Table
from bot.core.storage.rows import now_text, write
from bot.core.users.table import UsersTable


class FilmsTable(Table):
    async def last_random(self, user_id: int) -> str | None:
        row = await self._read_one("SELECT last_random FROM users WHERE id = ?", (user_id,))
        return str(row[0]) if row and row[0] else None

    @write
    async def set_last_random(self, picks: dict[int, str]) -> None:
        """Each user's last random film."""
        now = now_text()
        rows = [(user_id, now, now, film) for user_id, film in picks.items()]
        await self._storage.table(UsersTable).upsert("last_random", rows)

    async def chosen(self, day: date) -> str | None:
        """The film already chosen for `day`, if any."""
        row = await self._read_one("SELECT film_id FROM daily_films WHERE day = ?", (day.isoformat(),))
        return str(row[0]) if row else None

    async def cycle(self) -> tuple[int, set[str]]:
        """The current cycle of films of the day, and the films it has shown."""
        async with self._db.execute("SELECT COALESCE(MAX(cycle), 0) FROM daily_films") as cursor:
            cycle_row = await cursor.fetchone()
        cycle = int(cycle_row[0]) if cycle_row else 0
        async with self._db.execute("SELECT film_id FROM daily_films WHERE cycle = ?", (cycle,)) as cursor:
            shown = {str(r[0]) for r in await cursor.fetchall()}
        return cycle, shown

    async def choose(self, day: date, film_id: str, cycle: int) -> None:
        """Record the film of `day` (DatabaseError when the database cannot write)."""
        await self._db.execute(
            "INSERT INTO daily_films (day, film_id, cycle) VALUES (?, ?, ?) "
            "ON CONFLICT (day) DO UPDATE SET film_id = excluded.film_id, cycle = excluded.cycle",
            (day.isoformat(), film_id, cycle),
        )
