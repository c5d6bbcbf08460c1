"""The diary: what each user watched and when, their ratings in half stars (½ to 5, as Letterboxd
has them), the community's verdict on each film (only once enough people rated it) and the top list.
"""

from __future__ import annotations

from datetime import date

from bot.core.catalogue.model import Film
from bot.core.diary.model import CommunityRating, Ranked, Viewing
from bot.core.diary.page import DiarySheet, EntrySheet, render_diary, render_entry
from bot.core.diary.table import DiaryTable
from bot.core.films.service import Films
from bot.core.models import PAGE_SIZE, Language
from bot.core.storage import Storage
from bot.core.watchlists.table import WatchlistTable

MIN_RATERS = 5  # below this, no average is shown: one person's rating must not show through it
# The Bayesian average counts PRIOR_WEIGHT imaginary ratings of PRIOR_MEAN stars. The prior is a
# middling film, not the community's own mean: where everyone rates these films highly, that mean is
# about 4.5, and two 5-star ratings would still beat two hundred 4.5s.
PRIOR_WEIGHT = 5
PRIOR_MEAN = 3.0
TOP_SIZE = 20


def bayesian_average(
    total: float, count: int, prior_mean: float = PRIOR_MEAN, prior_weight: float = PRIOR_WEIGHT
) -> float:
    """A film's score for /top, in stars: its `count` ratings (summing to `total` stars) pulled
    towards `prior_mean` by `prior_weight` imaginary ones, so that two 5-star ratings do not beat two
    hundred 4.5s: (prior_weight × prior_mean + total) / (prior_weight + count)."""
    return (prior_weight * prior_mean + total) / (prior_weight + count)


def _verdict(count: int, total_half_stars: int) -> CommunityRating | None:
    """The community's average, once MIN_RATERS people rated the film; else None."""
    return CommunityRating(total_half_stars / count / 2, count) if count >= MIN_RATERS else None


class Diary:
    def __init__(self, storage: Storage, films: Films):
        self._table = storage.table(DiaryTable)
        self._list = storage.table(WatchlistTable)  # the titles kept of films that left the catalogue
        self._films = films

    async def forget(self, user_id: int, film_id: str) -> None:
        """The film was not watched after all: its viewings and rating leave the diary."""
        await self._table.forget(user_id, film_id)

    async def watched(self, user_id: int, film: Film) -> int:
        """A new viewing of the film, today: its id (for the rating buttons that follow)."""
        return await self._table.add_viewing(user_id, film.id, self._films.today())

    async def earlier(self, user_id: int, film_id: str, viewing_id: int) -> bool:
        """The viewing was not today but some time before: it keeps no date. False, and nothing
        changed, unless it is this user's viewing of this film (a button can outlive it)."""
        return await self._table.set_viewing_date(user_id, film_id, viewing_id, None)

    async def redate(
        self, user_id: int, film_id: str, viewing_id: int, watched_on: date | None, month_only: bool = False
    ) -> bool:
        """Change when a viewing was: a day, a month (`month_only`, `watched_on` its first day) or
        no date ("earlier"). Never after today, nor before the film's year. False, and nothing
        changed, unless it is this user's viewing of this film."""
        film = self._films.get(film_id)
        if watched_on is not None and (
            watched_on > self._films.today() or (film is not None and watched_on.year < film.year)
        ):
            raise ValueError("a viewing is dated between the film's year and today")
        return await self._table.set_viewing_date(user_id, film_id, viewing_id, watched_on, month_only)

    async def rate(self, user_id: int, film_id: str, viewing_id: int, half_stars: int | None) -> bool:
        """Rate a viewing (1-10 half stars; None takes its rating away). The film's rating is that of
        its latest rated viewing. False, and nothing changed, unless it is this user's viewing of
        this film (a button can outlive it)."""
        if half_stars is not None and not 1 <= half_stars <= 10:
            raise ValueError("a rating is 1 to 10 half stars")
        return await self._table.rate(user_id, film_id, viewing_id, half_stars)

    async def delete(self, user_id: int, film_id: str, viewing_id: int) -> int | None:
        """Delete one viewing (see `Watchlists.delete_viewing`, the rule that uses it): how many of
        the film's are left, or None when it is not this user's viewing of this film."""
        return await self._table.delete_viewing(user_id, film_id, viewing_id)

    async def entry(self, user_id: int, viewing_id: int) -> Viewing | None:
        """One of the user's viewings; None when it is gone or another's."""
        return await self._table.viewing(user_id, viewing_id)

    async def opened(self, user_id: int, viewing_id: int, language: Language) -> EntrySheet | None:
        """One of the user's diary entries, opened to change it; None when it is gone or another's."""
        viewings = await self._table.viewings(user_id)
        found = next((v for v in viewings if v.id == viewing_id), None)
        if found is None:
            return None
        film = self._films.get(found.film_id)
        kept = None
        if film is None:
            entry = await self._list.entry(user_id, found.film_id)
            kept = (entry.title, entry.year) if entry else None
        page = viewings.index(found) // PAGE_SIZE
        return render_entry(found, film, kept, page, language, self._films.today())

    async def count(self, user_id: int, film_id: str) -> int:
        """How many viewings of the film the user's diary holds."""
        return await self._table.count_of(user_id, film_id)

    async def entries(self, user_id: int) -> list[Viewing]:
        return await self._table.viewings(user_id)

    async def ratings(self, user_id: int) -> dict[str, int]:
        """The user's latest rating of each film they rated, in half stars."""
        return await self._table.ratings_of(user_id)

    async def page(self, user_id: int, number: int, language: Language) -> DiarySheet:
        """Page `number` of the user's diary, newest first."""
        viewings = await self._table.viewings(user_id)
        films = {v.film_id: film for v in viewings if (film := self._films.get(v.film_id)) is not None}
        gone = any(v.film_id not in films for v in viewings)  # only then the titles the list kept
        kept = {e.film_id: (e.title, e.year) for e in await self._list.entries(user_id)} if gone else {}
        return render_diary(viewings, films, kept, number, language, self._films.today())

    async def own(self, user_id: int, film_id: str) -> int | None:
        return await self._table.rating(user_id, film_id)

    async def ratings_for_film(self, film_id: str, user_ids: list[int]) -> dict[int, int]:
        """The ratings `user_ids` gave the film, by user."""
        return await self._table.ratings_for_film(film_id, user_ids)

    async def verdict(self, film_id: str) -> CommunityRating | None:
        """The community's average, once MIN_RATERS people rated the film; else None."""
        return _verdict(*await self._table.community_of(film_id))

    async def community(self) -> dict[str, tuple[int, int]]:
        """Everyone's ratings: film id -> how many rated it, and the sum of their half stars."""
        return await self._table.community()

    async def top(self, user_id: int, size: int = TOP_SIZE) -> list[Ranked]:
        """The catalogue's films with ratings, best first by `bayesian_average` (films with fewer
        than MIN_RATERS ratings are ranked but never show their average)."""
        community = await self._table.community()
        own = await self._table.ratings_of(user_id)
        ranked: list[Ranked] = []
        for film_id, (count, total) in community.items():
            film = self._films.get(film_id)
            if film is not None:
                score = bayesian_average(total / 2, count)
                ranked.append(Ranked(film, score, count, _verdict(count, total), own.get(film_id)))
        ranked.sort(key=lambda r: (-r.score, -r.count, r.film.sort_key))
        return ranked[:size]
