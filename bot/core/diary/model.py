"""Diary entries and the community's rating of a film."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.core.catalogue.model import Film


@dataclass(frozen=True)
class Viewing:
    """One diary entry: a film watched, on a date (None: "earlier", no date given), and the rating
    given then, in half stars (1 = ½ … 10 = 5)."""

    id: int
    film_id: str
    watched_on: date | None
    rating: int | None
    logged_at: datetime
    rewatch: bool | None = None  # as a Letterboxd import said; None: counted from the diary
    letterboxd_uri: str | None = None  # the entry's address, as a Letterboxd import gave it
    mark: bool = False  # only says the film was watched (a Letterboxd watched or ratings row)
    month_only: bool = False  # the viewer remembers the month, not the day: `watched_on` is its 1st


@dataclass(frozen=True)
class CommunityRating:
    """The community's rating of a film: the mean in stars and how many rated it."""

    average: float
    count: int


@dataclass(frozen=True)
class Ranked:
    """A film of /top, with its place's reasons."""

    film: Film
    score: float  # the Bayesian average, in stars
    count: int  # how many rated it
    verdict: CommunityRating | None  # None below MIN_RATERS: the average is not shown
    own: int | None  # the reader's rating, in half stars
