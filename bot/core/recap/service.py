"""/year: which year a user asks for, and their recap of it or what to do instead."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.diary.service import Diary
from bot.core.films.service import Films

from .year import YearRecap, recap, years_logged

FIRST_YEAR = 1900  # no diary entry is dated before Soviet cinema


@dataclass(frozen=True)
class NothingThatYear:
    """No entry dated `year`; `years`: those that have some, latest first."""

    year: int
    years: tuple[int, ...]


class Recaps:
    def __init__(self, diary: Diary, films: Films):
        self._diary = diary
        self._films = films

    def this_year(self) -> int:
        return self._films.today().year

    def asked_year(self, typed: str) -> int | None:
        """The year typed after /year (this one when nothing is), or None when it is not one."""
        if not typed:
            return self.this_year()
        if typed.isdigit() and len(typed) == 4 and FIRST_YEAR <= int(typed) <= self.this_year():
            return int(typed)
        return None

    async def year(self, user_id: int, year: int) -> YearRecap | NothingThatYear:
        viewings = await self._diary.entries(user_id)
        films = self._films.catalogue.visible
        summary = recap(year, viewings, films, await self._diary.community())
        return summary if summary is not None else NothingThatYear(year, tuple(years_logged(viewings)))
