"""Movie night: a group decides what to watch together, from what its members already want to see.

A round: someone starts it in a group (with a deadline), members join, nominate films; the
candidates are ranked from the participants' watchlists (`rank_candidates`); the starter starts a
vote (a Telegram poll); at the deadline, or when the starter closes it early, the votes are counted
(`tally`: a tie is broken at random, and said so) and the winner announced, once. Rounds live in
SQLite and survive a restart; a round whose deadline passed while the bot was down is closed at
start-up.
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Protocol

from bot.core.catalogue.model import Film
from bot.core.catalogue.search import Verdict
from bot.core.films.card import Card, CardKind, Cards
from bot.core.films.service import Films
from bot.core.models import Clock, Language, Zone
from bot.core.movienight.model import Round, RoundState
from bot.core.movienight.rules import (
    MAX_CANDIDATES,
    WINNERS_RESTING,
    Candidate,
    Member,
    Tally,
    Why,
    rank_candidates,
    tally,
)
from bot.core.movienight.screening import LATE, Screenings, ScreeningsTable
from bot.core.movienight.table import MovieNightsTable
from bot.core.movienight.texts import film_day, outcome_heading
from bot.core.storage import Storage
from bot.core.subscriptions.schedule import parse_zone
from bot.core.subscriptions.table import SubscriptionsTable
from bot.core.texts import text
from bot.core.turns import ChatTurns
from bot.core.watchlists.table import WatchlistTable

log = logging.getLogger(__name__)


class Nomination(Enum):
    ADDED = "added"
    ALREADY = "already"
    RESTING = "resting"  # the group's film not long ago


class ZoneFrom(Enum):
    """Why a typed time was read in the zone it was (and what the invitation says of it)."""

    TYPED = "typed"  # the words named it: "20:00 Berlin"
    GROUP = "group"  # the group's own, set by an administrator
    SUBSCRIPTION = "subscription"  # the starter's, from /subscribe
    BOT = "bot"  # the bot's TIMEZONE


@dataclass(frozen=True)
class OptionAdded:
    """A member's option in a round's poll, taken: the film it names, or None (not in the catalogue)."""

    chat_round: Round
    film: Film | None


def _without_year(typed: str) -> str:
    """ "The Cranes Are Flying (1957)" -> "The Cranes Are Flying": how the poll writes titles."""
    return re.sub(r"\s*\(\d{4}\)\s*$", "", typed).strip()


def first_poll_deadline(now: datetime, moment: datetime) -> datetime:
    """When a poll deciding for `moment` closes: in an hour, or a third of the way there if that is
    sooner (a time poll, then the film poll, then the reminder all fit before the moment)."""
    return now + min(timedelta(hours=1), (moment - now) / 3)


@dataclass(frozen=True)
class Settled:
    """A time poll counted: the round, now choosing its film; the moment; the votes for each moment."""

    chat_round: Round
    moment: datetime
    result: Tally


class Opened(Enum):
    NEW = "new"
    ALREADY = "already"  # one is open in this group: that one is returned


@dataclass(frozen=True)
class Moved:
    """The group became a supergroup, with this chat id."""

    chat_id: int


class Announcer(Protocol):
    """The port closing a round sends through (bot/telegram/sender.py)."""

    async def stop_poll(self, chat_id: int, message_id: int) -> bool:
        """Stop a round's poll; False when the bot is no longer in the group (the round ends
        quietly). A poll that could not be stopped otherwise (deleted, closed) is no reason to stop:
        the votes the bot received are counted."""
        ...

    async def announce(self, chat_id: int, card: Card, quoting: int | None) -> bool | Moved:
        """Post the winner's card; False when Telegram refused it."""
        ...


class MovieNights:
    def __init__(
        self,
        storage: Storage,
        films: Films,
        cards: Cards,
        clock: Clock,
        zone: Zone,
        rng: random.Random | None = None,
        turns: ChatTurns | None = None,
    ):
        self.zone = zone  # deadlines are read and shown in it
        self.turns = turns or ChatTurns()  # a chat's updates and this service's passes, in order
        self._table = storage.table(MovieNightsTable)
        self._watchlist = storage.table(WatchlistTable)
        self._subscriptions = storage.table(SubscriptionsTable)
        self.screenings = Screenings(storage.table(ScreeningsTable), clock)
        self._films = films
        self._cards = cards
        self._clock = clock
        self._rng = rng or random.Random()

    def now(self) -> datetime:
        return self._clock()

    async def reading_zone(self, chat_id: int, starter_id: int) -> tuple[Zone, ZoneFrom]:
        """The zone a time typed by `starter_id` in this group is read in, when it names none: the
        group's own, else the starter's subscription's, else the bot's."""
        group = await self._table.group_zone(chat_id)
        if group is not None:
            return parse_zone(group), ZoneFrom.GROUP
        subscription = await self._subscriptions.get(starter_id)
        if subscription is not None:
            return subscription.zone, ZoneFrom.SUBSCRIPTION
        return self.zone, ZoneFrom.BOT

    async def group_zone(self, chat_id: int) -> Zone | None:
        found = await self._table.group_zone(chat_id)
        return parse_zone(found) if found is not None else None

    async def set_group_zone(self, chat_id: int, zone: Zone, user_id: int) -> None:
        await self._table.set_group_zone(chat_id, zone.name, user_id, self.now())

    def zone_of(self, chat_round: Round) -> Zone:
        """The zone a round's times were read in, and are written in where a client cannot show
        them in each member's own."""
        return parse_zone(chat_round.zone) if chat_round.zone else self.zone

    async def open(
        self,
        chat_id: int,
        starter: Member,
        language: Language,
        deadline: datetime,
        zone: Zone | None = None,
        zone_from: ZoneFrom | None = None,
        moments: Sequence[datetime] = (),
    ) -> tuple[Opened, Round]:
        """A new round with its starter as the first participant, or the group's open one;
        `zone` is the one its deadline was read in (`zone_from`: why, when a time was typed)."""
        current = await self._table.open_round(chat_id)
        if current is not None:
            return Opened.ALREADY, current
        stored = ((zone or self.zone).name, zone_from.value if zone_from else None)
        created = await self._table.create(
            chat_id, starter.user_id, language, deadline, stored, self.now(), list(moments) or None
        )
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

    async def chat_of_poll(self, poll_id: str) -> int | None:
        chat_round = await self._table.by_poll(poll_id)
        return None if chat_round is None else chat_round.chat_id

    async def record_answer(self, poll_id: str, voter: Member, options: Sequence[int]) -> bool:
        """A voter's (new) choice in a round's poll (a voter takes part); False for a poll that is not
        an open round's."""
        chat_round = await self._table.by_poll(poll_id)
        if chat_round is None or chat_round.state not in (RoundState.VOTING, RoundState.WHEN):
            return False
        await self._table.join(chat_round.id, voter.user_id, voter.name, self.now())
        await self._table.record_ballot(chat_round.id, voter.user_id, list(options))
        return True

    async def option_added(self, poll_id: str, index: int, typed: str, member: Member) -> OptionAdded | None:
        """Option `index` of a round's poll, added by `member` as `typed`: the film it names, if the
        catalogue has one, or None for "not in this collection"; None too for a poll update seen
        already (the option is taken once, in order)."""
        chat_round = await self._table.by_poll(poll_id)
        if chat_round is None or chat_round.state is not RoundState.VOTING:
            return None
        found = self._films.find(_without_year(typed))
        film = found.films[0] if found.verdict is Verdict.ONE else None
        if not await self._table.add_option(chat_round.id, index, film.id if film else ""):
            return None
        if film is not None:
            await self._table.join(chat_round.id, member.user_id, member.name, self.now())
            await self._table.nominate(chat_round.id, film.id, member.user_id)
        return OptionAdded(chat_round, film)

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

    async def claim_talk(self, chat_id: int, message_id: int) -> bool:
        """Whether this caller posts the talking points under a winner's card (once per card)."""
        return await self._table.claim_talk(chat_id, message_id, self.now())

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

    async def close_due(self, announcer: Announcer) -> None:
        """A periodic pass: close the rounds whose deadline came (also those that passed while the bot
        was down)."""
        for chat_round in await self.due():
            if chat_round.state is not RoundState.WHEN:  # a time poll is settled, not closed
                async with self.turns.of(chat_round.chat_id):  # after the votes in hand
                    await self.close(chat_round.id, announcer)

    async def due_when(self) -> list[Round]:
        """Rounds whose time poll's deadline has come."""
        return [r for r in await self.due() if r.state is RoundState.WHEN]

    async def settle_when(self, chat_round: Round) -> Settled | None:
        """The time poll counted: the moment most voters chose (a tie drawn, said so; nobody voted:
        the earliest), and the round goes on to choose its film by a deadline before it — once."""
        result = tally(chat_round.candidates, await self._table.ballots(chat_round.id), self._rng)
        moment = datetime.fromisoformat(result.winner or chat_round.candidates[0])
        deadline = first_poll_deadline(self.now(), moment)
        if not await self._table.settle_when(chat_round.id, moment, deadline):
            return None
        settled = await self._table.get(chat_round.id)
        assert settled is not None
        return Settled(settled, moment, result)

    async def close(self, round_id: int, announcer: Announcer) -> Card | None:
        """Stop the poll, count the votes and announce the winner — once, whoever gets here first;
        the card announced, or None. The votes counted are those the bot received, so a poll an
        admin deleted still has a winner; with no vote, the first candidate wins."""
        chat_round = await self.claim_close(round_id)
        if chat_round is None:
            return None
        poll = chat_round.poll_message_id if chat_round.state is RoundState.VOTING else None
        if poll is not None and not await announcer.stop_poll(chat_round.chat_id, poll):
            log.info("round %s: the bot is no longer in the group", chat_round.id)
            return None
        result = await self.count(chat_round) if chat_round.state is RoundState.VOTING else Tally(None, {})
        catalogue = self._films.catalogue
        pick = result.winner or next(iter(chat_round.candidates), None)
        if pick is None:
            candidates = await self.candidates(chat_round)
            pick = candidates[0].film.id if candidates else None
        film = catalogue.get(pick) if pick else None
        if film is None:
            log.warning("round %s: no film to announce", chat_round.id)
            return None
        await self.record_outcome(chat_round, Tally(film.id, result.votes, result.voters, result.tied))
        lang = chat_round.language
        day = film_day(chat_round, self.zone_of(chat_round), self.now())
        heading = outcome_heading(result, catalogue.by_id, lang, day)
        if self.now() - chat_round.deadline > LATE:  # closed at start-up, after the bot was away
            heading = heading.removesuffix(":") + text(lang, "mn_late") + ":"
        card = await self._cards.card(film, lang, heading, CardKind.WINNER)
        chat_id, quoting = chat_round.chat_id, chat_round.invitation_id
        for _ in range(2):
            sent = await announcer.announce(chat_id, card, quoting)
            if not isinstance(sent, Moved):
                if sent:  # the screening follows, at the moment the group chose (else the deadline)
                    starts = chat_round.starts_at or chat_round.deadline
                    await self.screenings.schedule(chat_round.id, chat_id, film.id, starts)
                return card if sent else None
            await self.moved(chat_id, sent.chat_id)  # the group became a supergroup meanwhile
            chat_id, quoting = sent.chat_id, None
        return None
