"""Movie night: a group decides what to watch together, from what its members already want to see.

A round: someone starts it in a group (with a deadline), members join, nominate films; the
candidates are ranked from the participants' watchlists (`rank_candidates`); the starter starts a
vote (a Telegram poll); at the deadline, or when the starter closes it early, the votes are counted
(`tally`: a tie is broken at random, and said so) and the winner announced, once. Rounds live in
SQLite and survive a restart; a round whose deadline passed while the bot was down is closed at
start-up.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from bot.core.catalogue.likeness import more_like
from bot.core.catalogue.model import Film, Theme
from bot.core.films.service import Films
from bot.core.models import Clock, Language, Zone
from bot.core.movienight.model import Round, RoundState
from bot.core.movienight.table import MovieNightsTable
from bot.core.storage import Storage
from bot.core.subscriptions.zones import WhenError, read_subscription
from bot.core.watchlists.model import Entry
from bot.core.watchlists.table import WatchlistTable

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


def read_deadline(typed: str, now: datetime, zone: Zone) -> datetime:
    """`/movienight` words: nothing (in an hour), a duration (`30m`, `2h`, `1h30m`, `90 мин`) or a
    time of day (`20:00`, `8pm`, `в 20:00`, `20:00 Berlin`: the next such time). WhenError with the
    text key that says what was wrong, also for a deadline under 5 minutes or over 24 hours."""
    typed = " ".join(typed.split())
    if not typed:
        return now + DEFAULT_LENGTH
    match = _DURATION.match(typed)
    if match and (match.group("hours") or match.group("minutes")):
        hours = float((match.group("hours") or "0").replace(",", "."))
        length = timedelta(hours=hours, minutes=int(match.group("minutes") or 0))
    else:
        clock = typed.removeprefix("в ").removeprefix("at ")
        if not clock[:1].isdigit():
            raise WhenError("mn_not_a_deadline", typed=typed)
        try:
            at, where = read_subscription(clock)
        except WhenError:  # its texts give /subscribe examples: here, the movie night's own
            at, where = None, None
        if at is None:
            raise WhenError("mn_not_a_deadline", typed=typed)
        local = now.astimezone((where or zone).tz)
        deadline = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
        if deadline <= local:
            deadline += timedelta(days=1)
        length = deadline - local
    if length < SHORTEST:
        raise WhenError("mn_too_soon")
    if length > LONGEST:
        raise WhenError("mn_too_late")
    return now + length


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
    1. films wanted by two participants or more, the more the higher — a film is wanted when it is
       on someone's list and not marked watched, or when they nominated it;
    2. films wanted by one participant (nominated ones first);
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
        key=lambda f: (-len(wanted[f]), f not in nominations, by_id[f].sort_key),
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
    votes = dict.fromkeys(candidates, 0)
    voters = 0
    for ballot in ballots:
        chosen = {option for option in ballot if 0 <= option < len(candidates)}
        voters += bool(chosen)
        for option in chosen:
            votes[candidates[option]] += 1
    best = max(votes.values(), default=0)
    if best == 0:
        return Tally(None, votes)
    first = tuple(film for film in candidates if votes[film] == best)
    if len(first) == 1:
        return Tally(first[0], votes, voters)
    return Tally(rng.choice(first), votes, voters, first)


# The service


@dataclass(frozen=True)
class Member:
    user_id: int
    name: str


class Nomination(Enum):
    ADDED = "added"
    ALREADY = "already"
    RESTING = "resting"  # the group's film not long ago


class Opened(Enum):
    NEW = "new"
    ALREADY = "already"  # one is open in this group: that one is returned


class MovieNights:
    def __init__(
        self, storage: Storage, films: Films, clock: Clock, zone: Zone, rng: random.Random | None = None
    ):
        self.zone = zone  # deadlines are read and shown in it
        self._table = storage.table(MovieNightsTable)
        self._watchlist = storage.table(WatchlistTable)
        self._films = films
        self._clock = clock
        self._rng = rng or random.Random()

    def now(self) -> datetime:
        return self._clock()

    async def open(
        self, chat_id: int, starter: Member, language: Language, deadline: datetime
    ) -> tuple[Opened, Round]:
        """A new round with its starter as the first participant, or the group's open one."""
        current = await self._table.open_round(chat_id)
        if current is not None:
            return Opened.ALREADY, current
        created = await self._table.create(chat_id, starter.user_id, language, deadline, self.now())
        if created is None:  # another /movienight won the race
            current = await self._table.open_round(chat_id)
            assert current is not None
            return Opened.ALREADY, current
        await self._table.join(created.id, starter.user_id, starter.name, self.now())
        return Opened.NEW, created

    async def set_invitation(self, round_id: int, message_id: int) -> None:
        await self._table.set_invitation(round_id, message_id)

    async def round(self, round_id: int) -> Round | None:
        return await self._table.get(round_id)

    async def join(self, round_id: int, member: Member) -> bool:
        """True if the member joined now, False if they were in already."""
        return await self._table.join(round_id, member.user_id, member.name, self.now())

    async def participants(self, round_id: int) -> list[Member]:
        return [Member(user_id, name) for user_id, name in await self._table.members(round_id)]

    async def nominate(self, chat_round: Round, film: Film, member: Member) -> Nomination:
        """The film is proposed (and its nominator takes part), unless it was already, or it won in
        this group in the last 30 days."""
        if film.id in await self._table.recent_winners(chat_round.chat_id, self.now() - WINNERS_RESTING):
            return Nomination.RESTING
        await self._table.join(chat_round.id, member.user_id, member.name, self.now())
        added = await self._table.nominate(chat_round.id, film.id, member.user_id)
        return Nomination.ADDED if added else Nomination.ALREADY

    async def candidates(self, chat_round: Round, limit: int = MAX_CANDIDATES) -> list[Candidate]:
        members = await self.participants(chat_round.id)
        wants = {m.user_id: await self._watchlist.entries(m.user_id) for m in members}
        nominations = await self._table.nominations(chat_round.id)
        resting = await self._table.recent_winners(chat_round.chat_id, self.now() - WINNERS_RESTING)
        catalogue = self._films.catalogue
        today = await self._films.film_of_the_day()
        return rank_candidates(wants, nominations, catalogue.visible, today, resting, catalogue.themes, limit)

    async def candidates_of(self, chat_round: Round) -> list[Candidate]:
        """A voting round's candidates as its poll lists them, each with why it is there."""
        films = self._films.catalogue
        ranked = {c.film.id: c for c in await self.candidates(chat_round, limit=len(films.visible))}
        return [
            ranked.get(film_id) or Candidate(film, Why.CATALOGUE)
            for film_id in chat_round.candidates
            if (film := films.get(film_id)) is not None
        ]

    async def claim_vote(self, chat_round: Round, candidates: Sequence[Film]) -> bool:
        """Move the round to voting with these candidates (once: a second press finds it done)."""
        return await self._table.claim_vote(chat_round.id, [film.id for film in candidates])

    async def vote_started(self, round_id: int, poll_id: str, message_id: int) -> None:
        await self._table.set_poll(round_id, poll_id, message_id)

    async def vote_not_started(self, round_id: int) -> None:
        """The poll could not be sent: the round is open again."""
        await self._table.reopen(round_id)

    async def record_answer(self, poll_id: str, voter: Member, options: Sequence[int]) -> bool:
        """A voter's (new) choice in a round's poll (a voter takes part); False for a poll that is not
        an open round's."""
        chat_round = await self._table.by_poll(poll_id)
        if chat_round is None or chat_round.state is not RoundState.VOTING:
            return False
        await self._table.join(chat_round.id, voter.user_id, voter.name, self.now())
        await self._table.record_ballot(chat_round.id, voter.user_id, list(options))
        return True

    async def due(self) -> list[Round]:
        """Rounds whose deadline has come and that are still open or voting."""
        return await self._table.due(self.now())

    async def claim_close(self, round_id: int) -> Round | None:
        """The round, closed now by this caller; None if someone else closed it (never twice)."""
        return await self._table.claim_close(round_id, self.now())

    async def count(self, chat_round: Round) -> Tally:
        ballots = await self._table.ballots(chat_round.id)
        return tally(chat_round.candidates, ballots, self._rng)

    async def record_outcome(self, chat_round: Round, result: Tally) -> None:
        await self._table.set_outcome(chat_round.id, result.winner, bool(result.tied))

    async def open_round(self, chat_id: int) -> Round | None:
        return await self._table.open_round(chat_id)

    async def round_of_poll(self, poll_id: str) -> Round | None:
        return await self._table.by_poll(poll_id)

    async def moved(self, old_chat_id: int, new_chat_id: int) -> None:
        """The group became a supergroup with a new id: its rounds go with it."""
        await self._table.move_chat(old_chat_id, new_chat_id)

    async def abandon(self, chat_id: int) -> None:
        """The bot left the group: its open round ends without an announcement."""
        open_round = await self._table.open_round(chat_id)
        if open_round is not None:
            await self._table.claim_close(open_round.id, self.now())
