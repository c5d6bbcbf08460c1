"""Only what every feature shares: the language, the clock, times of day, zones and stars. Each
feature's own types live in its folder (`watchlists/model.py`, `diary/model.py`, ...)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from typing import Literal, TypeVar

T = TypeVar("T")

Language = Literal["en", "ru"]
LANGUAGES: tuple[Language, ...] = ("en", "ru")

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def local_today(now: datetime, where: tzinfo) -> date:
    return now.astimezone(where).date()


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


class Refused(ValueError):
    """What a user sent cannot be taken (a time, a zone, a file); `key` names the text that says
    why, with its `values`."""

    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key = key
        self.values = values


PAGE_SIZE = 10  # lines of a paged list: /watchlist, /diary


def page_of(items: Sequence[T], number: int, size: int = PAGE_SIZE) -> tuple[Sequence[T], int, int]:
    """Page `number` (0-based; out of range, the nearest) of `items`: its items, the page shown and
    how many pages there are (one, when there is nothing)."""
    pages = max(1, -(-len(items) // size))
    number = min(max(number, 0), pages - 1)
    return items[number * size : (number + 1) * size], number, pages


def stars(half_stars: int) -> str:
    """4.5 stars as Letterboxd writes them: "★★★★½"."""
    return "★" * (half_stars // 2) + ("½" if half_stars % 2 else "")
