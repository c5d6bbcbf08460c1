"""A user's list: the films to watch and watched, and what a button or command does to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum


class WatchlistVerb(Enum):
    """What a watchlist button or command does; the values travel in callback data."""

    ADD = "add"
    REMOVE = "del"
    WATCHED = "seen"
    UNWATCHED = "unseen"


@dataclass(frozen=True)
class Entry:
    """One film in a user's watchlist."""

    film_id: str
    title: str
    year: int
    added_at: datetime
    watched_at: datetime | None
    letterboxd_uri: str | None = None  # the film's address, as a Letterboxd import gave it

    @property
    def watched(self) -> bool:
        return self.watched_at is not None
