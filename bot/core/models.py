"""Domain types with meaning: languages, parsed times and zones, watchlist rows and verbs,
subscriptions. Parsed once where they enter (the database, the user's words), never re-parsed."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import Enum
from typing import Literal

Language = Literal["en", "ru"]
LANGUAGES: tuple[Language, ...] = ("en", "ru")

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_hhmm(value: str) -> time:
    """`08:30` or `8:30` -> time(8, 30); anything else raises ValueError."""
    match = _HHMM.match(value.strip())
    if not match:
        raise ValueError("must be a time of day as HH:MM, e.g. 10:00")
    return time(int(match.group(1)), int(match.group(2)))


def hhmm(at: time) -> str:
    return f"{at.hour:02d}:{at.minute:02d}"


@dataclass(frozen=True)
class Zone:
    """A time zone as the user named it (canonical: `Europe/Berlin`, `UTC`, `UTC+05:00`)."""

    name: str
    tz: tzinfo


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

    @property
    def watched(self) -> bool:
        return self.watched_at is not None


class StopReason(Enum):
    """Why a subscription stopped."""

    UNSUBSCRIBED = "unsubscribed"
    BLOCKED = "blocked"
    CHAT_GONE = "chat_not_found"


@dataclass(frozen=True)
class Subscription:
    user_id: int
    chat_id: int
    at: time  # the local time of day
    zone: Zone
    language: Language  # the user's chosen language, else the one they subscribed in
    active: bool
    next_due: datetime
    stop_reason: str | None

    @property
    def local_time(self) -> str:
        return hhmm(self.at)


@dataclass(frozen=True)
class DeliveryStats:
    users: int
    active: int
    delivered: int
    waiting: int
    stopped: dict[str, int]
    last_seconds: float | None
    last_sent: int | None


class LinkStatus(Enum):
    """What checking a watch link found."""

    OK = "ok"
    GONE = "gone"  # removed, private or blocked: the provider says there is no such video
    WRONG_CHANNEL = "wrong-channel"  # the video exists but is not the official channel's
    WRONG_TITLE = "wrong-title"  # it is the channel's, but its title does not name the film
    UNREACHABLE = "unreachable"  # no verdict: a timeout, a network error, or an answer that made no sense

    @property
    def dead(self) -> bool:
        return self not in (LinkStatus.OK, LinkStatus.UNREACHABLE)


@dataclass(frozen=True)
class LinkCheck:
    """The latest check of one link, and when the link last passed one (`verified_at`). A check that
    could not reach the provider keeps the last pass; a dead verdict hides the link at once."""

    url: str
    status: LinkStatus
    detail: str
    checked_at: datetime
    verified_at: datetime | None

    def shown(self, now: datetime, max_age: timedelta) -> bool:
        return not self.status.dead and self.verified_at is not None and now - self.verified_at <= max_age


class RoundState(Enum):
    OPEN = "open"  # members join and nominate
    VOTING = "voting"  # the poll is out
    CLOSED = "closed"  # announced, or ended without a vote


@dataclass(frozen=True)
class Round:
    """A group's movie night."""

    id: int
    chat_id: int
    starter_id: int
    language: Language  # the starter's: the group messages are in it
    deadline: datetime
    state: RoundState
    invitation_id: int | None = None  # the invitation message
    poll_id: str | None = None
    poll_message_id: int | None = None
    candidates: tuple[str, ...] = ()  # film ids, as the poll lists them
    winner: str | None = None


@dataclass(frozen=True)
class Viewing:
    """One diary entry: a film watched, on a date (None: "earlier", no date given), and the rating
    given then, in half stars (1 = ½ … 10 = 5)."""

    id: int
    film_id: str
    watched_on: date | None
    rating: int | None
    logged_at: datetime


@dataclass(frozen=True)
class Verdict:
    """The community's rating of a film: the mean in stars and how many rated it."""

    average: float
    count: int


def stars(half_stars: int) -> str:
    """4.5 stars as Letterboxd writes them: "★★★★½"."""
    return "★" * (half_stars // 2) + ("½" if half_stars % 2 else "")
