"""Movie night's rules, without storage: deadlines as people type them, the candidates ranked from
the participants' watchlists, and the tally of the votes with its tie-break."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from bot.core.catalogue.likeness import more_like
from bot.core.catalogue.model import Film, Theme
from bot.core.models import Refused, Zone
from bot.core.subscriptions.zones import read_subscription, spoken_time
from bot.core.watchlists.model import Entry

DEFAULT_LENGTH = timedelta(hours=1)
LONGEST = timedelta(hours=24)
SHORTEST = timedelta(minutes=5)
MAX_CANDIDATES = 10  # a Telegram poll has at most ten options
WINNERS_RESTING = timedelta(days=30)  # a group's winner is not proposed to it again for this long

_DURATION = re.compile(
    r"^(?:(?P<hours>\d{1,2}(?:[.,]\d)?)\s*(?:h|hr|hrs|hours?|ч|час|часа|часов))?\s*"
    r"(?:(?P<minutes>\d{1,4})\s*(?:m|min|mins|minutes?|м|мин|минут[аы]?))?$",
    re.IGNORECASE,
)


_IN = re.compile(r"^(?:через|in)\s+", re.IGNORECASE)
_SPOKEN_LENGTHS = [
    (
        re.compile(r"^(?:полтора\s+часа|an?\s+hour\s+and\s+a\s+half|one\s+and\s+a\s+half\s+hours?)$", re.I),
        "1h30m",
    ),
    (re.compile(r"^(?:полчаса|half\s+an\s+hour|a\s+half\s+hour)$", re.IGNORECASE), "30m"),
    (re.compile(r"^(?:час|одну?\s+час|an?\s+hour|one\s+hour)$", re.IGNORECASE), "1h"),
    (re.compile(r"^(?:два|2)\s+часа$", re.IGNORECASE), "2h"),
    (re.compile(r"^(?:три|3)\s+часа$", re.IGNORECASE), "3h"),
]


def _in_words(typed: str) -> str:
    """«через час», "in an hour", «через 2 часа», "in 30 minutes" as a length the pattern reads."""
    bare = _IN.sub("", typed)
    if bare == typed:
        return typed
    for pattern, length in _SPOKEN_LENGTHS:
        if pattern.match(bare):
            return length
    return bare


@dataclass(frozen=True)
class When:
    """A deadline as typed: the instant, the zone the words named (None: none named), and whether
    they gave a time of day (read in a zone) rather than a duration."""

    at: datetime
    named: Zone | None = None
    clock: bool = False


def read_deadline(typed: str, now: datetime, zone: Zone) -> datetime:
    return read_when(typed, now, zone).at


def read_when(typed: str, now: datetime, zone: Zone) -> When:
    """`/movienight` words: nothing (in an hour), a duration (`30m`, `2h`, `1h30m`, `90 мин`) or a
    time of day (`20:00`, `8pm`, `в 20:00`, `20:00 Berlin`: the next such time), read in the zone it
    names, else in `zone`. Refused with the text key that says what was wrong, also for a deadline
    under 5 minutes or over 24 hours."""
    shown = " ".join(typed.split())
    if not shown:
        return When(now + DEFAULT_LENGTH)
    typed, tomorrow = spoken_time(_in_words(shown))
    match = _DURATION.match(typed)
    where: Zone | None = None
    clock = False
    if match and (match.group("hours") or match.group("minutes")):
        hours = float((match.group("hours") or "0").replace(",", "."))
        length = timedelta(hours=hours, minutes=int(match.group("minutes") or 0))
    else:
        said = typed.removeprefix("в ").removeprefix("at ")
        if not said[:1].isdigit():
            raise Refused("mn_not_a_deadline", typed=shown)
        try:
            at, where = read_subscription(said)
        except Refused:  # its texts give /subscribe examples: here, the movie night's own
            at, where = None, None
        if at is None:
            raise Refused("mn_not_a_deadline", typed=shown)
        clock = True
        local = now.astimezone((where or zone).tz)
        deadline = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
        if deadline <= local or (tomorrow and deadline.date() == local.date()):
            deadline += timedelta(days=1)
        length = deadline - local
    if length < SHORTEST:
        raise Refused("mn_too_soon")
    if length > LONGEST:
        raise Refused("mn_too_late")
    return When(now + length, where, clock)


# Choosing when: a first poll of moments

MOMENTS_MOST = 4
MOMENT_SOONEST = timedelta(minutes=30)  # a moment needs time for the film vote before it
MOMENT_LATEST = timedelta(days=7)
_WHEN_WORDS = {"when", "когда"}
_WEEKDAYS = {
    "monday": 0, "mon": 0, "понедельник": 0, "пн": 0, "tuesday": 1, "tue": 1, "вторник": 1, "вт": 1,
    "wednesday": 2, "wed": 2, "среда": 2, "среду": 2, "ср": 2, "thursday": 3, "thu": 3, "четверг": 3,
    "чт": 3, "friday": 4, "fri": 4, "пятница": 4, "пятницу": 4, "пт": 4, "saturday": 5, "sat": 5,
    "суббота": 5, "субботу": 5, "сб": 5, "sunday": 6, "sun": 6, "воскресенье": 6, "вс": 6,
}  # fmt: skip
_SEPARATOR = re.compile(r"\s*(?:,|;|\bor\b|\bили\b)\s*", re.IGNORECASE)
_WEEKDAY = re.compile(r"^(?:on\s+|в\s+|во\s+)?(?P<day>[a-zа-яё]+)\b[\s,]*(?P<rest>.*)$", re.IGNORECASE)


def asks_when(typed: str) -> bool:
    """Whether `/movienight` words ask to settle the time first: "when" (or «когда»), or two or
    more moments ("today 20:00, tomorrow 21:00")."""
    words = typed.strip().lower()
    return words in _WHEN_WORDS or len([p for p in _SEPARATOR.split(words) if p]) >= 2


def default_moments(now: datetime, zone: Zone) -> list[datetime]:
    """Today 20:00 (if there is time for it), tomorrow 20:00, and the next Saturday 19:00."""
    local = now.astimezone(zone.tz)
    evening = local.replace(hour=20, minute=0, second=0, microsecond=0)
    saturday = (local + timedelta(days=(5 - local.weekday()) % 7 or 7)).replace(
        hour=19, minute=0, second=0, microsecond=0
    )
    moments = [evening, evening + timedelta(days=1), saturday]
    kept = sorted({m for m in moments if m - local >= MOMENT_SOONEST * 4})
    return [m.astimezone(now.tzinfo) for m in kept][:MOMENTS_MOST]


def read_moments(typed: str, now: datetime, zone: Zone) -> list[datetime]:
    """The moments `/movienight` words offer: the defaults for "when", else two to four moments
    ("today 20:00, tomorrow 21:00", «в субботу в 19:00 или в воскресенье в 18:00»), each read like
    a deadline (the zone it names, else `zone`) and on the weekday it names. Refused with the key
    that says what was wrong."""
    if typed.strip().lower() in _WHEN_WORDS:
        return default_moments(now, zone)
    parts = [p for p in _SEPARATOR.split(" ".join(typed.split())) if p]
    if not 2 <= len(parts) <= MOMENTS_MOST:
        raise Refused("mn_when_count")
    moments = []
    for part in parts:
        moment = _moment(part, now, zone)
        if moment is None:
            raise Refused("mn_when_unreadable", typed=part)
        if not MOMENT_SOONEST <= moment - now <= MOMENT_LATEST:
            raise Refused("mn_when_range", typed=part)
        moments.append(moment)
    return sorted(set(moments))


def _moment(part: str, now: datetime, zone: Zone) -> datetime | None:
    weekday = None
    match = _WEEKDAY.match(part)
    if match and match.group("day").lower() in _WEEKDAYS:
        weekday, part = _WEEKDAYS[match.group("day").lower()], match.group("rest")
    said, tomorrow = spoken_time(part)
    said = said.removeprefix("в ").removeprefix("at ")
    if not said[:1].isdigit():
        return None
    try:
        at, where = read_subscription(said)
    except Refused:
        return None
    if at is None:
        return None
    local = now.astimezone((where or zone).tz)
    moment = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if weekday is not None:
        moment += timedelta(days=(weekday - local.weekday()) % 7)
        if moment <= local:
            moment += timedelta(days=7)
    elif tomorrow or moment <= local:
        moment += timedelta(days=1)
    return moment.astimezone(now.tzinfo)


# Candidates


class Why(Enum):
    LISTS = "lists"  # on the to-watch lists of `lists` participants (a nomination counts as one)
    TODAY = "today"  # the film of the day
    ALIKE = "alike"  # like the films the participants want to see
    CATALOGUE = "catalogue"  # to make up the numbers


@dataclass(frozen=True)
class Candidate:
    film: Film
    why: Why
    lists: int = 0  # participants with it on their to-watch list
    nominated: bool = False


def rank_candidates(
    wants: Mapping[int, Sequence[Entry]],
    nominations: Mapping[str, set[int]],
    films: Sequence[Film],
    today: Film | None,
    resting: set[str],
    themes: Mapping[str, Theme] | None = None,
    limit: int = MAX_CANDIDATES,
) -> list[Candidate]:
    """The films a round votes on, best first, at most `limit`:
    1. films on the to-watch lists of two participants or more, the more lists the higher (a film
       is on a list when it is there and not marked watched);
    2. films on one list or nominated (nominated ones first): a nomination never lifts a film
       above the films two lists share;
    3. to fill up: the film of the day, films like the wanted ones, then the catalogue in order.
    Never a film every participant has marked watched, nor one of the group's recent winners
    (`resting`); ties in order of title. `wants` maps each participant to their watchlist rows."""
    by_id = {film.id: film for film in films}
    listed: dict[str, set[int]] = {}
    watched_by: dict[str, set[int]] = {}
    for user, entries in wants.items():
        for entry in entries:
            (watched_by if entry.watched else listed).setdefault(entry.film_id, set()).add(user)
    wanted = {film_id: set(users) for film_id, users in listed.items()}
    for film_id, users in nominations.items():
        wanted.setdefault(film_id, set()).update(users)
    everyone = set(wants)

    def allowed(film_id: str) -> bool:
        seen = watched_by.get(film_id, set())
        return film_id in by_id and film_id not in resting and not (everyone and everyone <= seen)

    picked: list[Candidate] = []
    ranked = sorted(
        (f for f in wanted if allowed(f)),
        key=lambda f: (-max(len(listed.get(f, ())), 1), f not in nominations, by_id[f].sort_key),
    )
    picked += [Candidate(by_id[f], Why.LISTS, len(listed.get(f, ())), f in nominations) for f in ranked]
    taken = {c.film.id for c in picked}

    def fill(film: Film, why: Why) -> None:
        if len(picked) < limit and film.id not in taken and allowed(film.id):
            picked.append(Candidate(film, why))
            taken.add(film.id)

    seeds = [c.film for c in picked[:3]]  # the films most wanted
    if today is not None:
        fill(today, Why.TODAY)
    for seed in seeds:
        for alike in more_like(seed, films, themes or {}):
            fill(alike.film, Why.ALIKE)
    for film in sorted(films, key=lambda f: f.sort_key):
        fill(film, Why.CATALOGUE)
    return picked[:limit]


# Counting


@dataclass(frozen=True)
class Tally:
    winner: str | None  # None when nobody voted
    votes: dict[str, int]  # per film id
    voters: int = 0
    tied: tuple[str, ...] = ()  # the films that tied for first, when the winner was drawn


def tally(candidates: Sequence[str], ballots: Iterable[Sequence[int]], rng: random.Random) -> Tally:
    """Each ballot lists the options (indices into `candidates`) one voter chose; the film with the
    most votes wins, a tie is broken by `rng` (and the tied films are reported)."""
    votes = dict.fromkeys((film for film in candidates if film), 0)
    voters = 0
    for ballot in ballots:
        # an option a member added for a film not in the catalogue ("") counts for nothing; a film
        # added a second time counts once per voter
        chosen = {candidates[option] for option in ballot if 0 <= option < len(candidates)} - {""}
        voters += bool(chosen)
        for film in chosen:
            votes[film] += 1
    best = max(votes.values(), default=0)
    if best == 0:
        return Tally(None, votes)
    first = tuple(film for film, count in votes.items() if count == best)  # in the poll's order
    if len(first) == 1:
        return Tally(first[0], votes, voters)
    return Tally(rng.choice(first), votes, voters, first)


# The service


@dataclass(frozen=True)
class Member:
    user_id: int
    name: str
