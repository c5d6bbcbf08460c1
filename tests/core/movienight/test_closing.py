"""Closing a movie night in the core: the deadline on a clock the test moves, the votes counted, the
fallback winner, the announcement once, and the group's moves — through a fake Telegram (the
Announcer port), the only thing not real here."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.films.card import Card, CardKind
from bot.core.movienight.model import RoundState
from bot.core.movienight.rules import Member
from bot.core.movienight.service import Moved
from bot.core.services import Core, CoreSettings
from bot.core.watchlists.model import WatchlistVerb
from tests.support.flows import Clock

ROOT = Path(__file__).resolve().parents[3]
GROUP = -100
ANNA, BORIS, VERA = Member(1, "Anna"), Member(2, "Boris"), Member(3, "Vera")


@dataclass
class FakeTelegram:
    """Answers like Telegram: `in_group` false once the bot was removed; `moved_to`, the
    supergroup the group became (the first announcement there fails with it)."""

    in_group: bool = True
    moved_to: int | None = None
    refuse: bool = False
    stopped: list[tuple[int, int]] = field(default_factory=list)
    announced: list[tuple[int, Card, int | None]] = field(default_factory=list)

    async def stop_poll(self, chat_id: int, message_id: int) -> bool:
        self.stopped.append((chat_id, message_id))
        return self.in_group

    async def announce(self, chat_id: int, card: Card, quoting: int | None) -> bool | Moved:
        if self.moved_to is not None and chat_id != self.moved_to:
            return Moved(self.moved_to)
        if self.refuse:
            return False
        self.announced.append((chat_id, card, quoting))
        return True


@pytest.fixture
async def setup(core_settings: CoreSettings) -> AsyncIterator[tuple[Core, Clock]]:
    clock = Clock(datetime(2026, 12, 5, 17, 0, tzinfo=UTC))
    core = await Core.open(core_settings, clock, rng=random.Random(7))
    yield core, clock
    await core.close()


async def voting_round(core: Core, clock: Clock) -> int:
    """Anna's round, Boris and Vera in, both wanting the Cranes; the poll out with its candidates."""
    for member in (ANNA, BORIS, VERA):
        await core.watchlists.change(member.user_id, WatchlistVerb.ADD, "cranes-are-flying")
    await core.watchlists.change(BORIS.user_id, WatchlistVerb.ADD, "white-nights")
    await core.watchlists.change(VERA.user_id, WatchlistVerb.ADD, "white-nights")
    nights = core.movienights
    _, chat_round = await nights.open(GROUP, ANNA, "en", clock.now + timedelta(hours=1))
    await nights.set_invitation(chat_round.id, 55)
    for member in (BORIS, VERA):
        await nights.join(chat_round.id, member)
    candidates = await nights.candidates(chat_round)
    assert [c.film.id for c in candidates[:2]] == ["cranes-are-flying", "white-nights"]
    assert await nights.claim_vote(chat_round, [c.film for c in candidates])
    await nights.vote_started(chat_round.id, "poll-1", 77)
    return chat_round.id


async def test_nothing_closes_before_the_deadline_and_once_after_it(setup: tuple[Core, Clock]) -> None:
    core, clock = setup
    round_id = await voting_round(core, clock)
    await core.movienights.record_answer("poll-1", BORIS, [1])
    await core.movienights.record_answer("poll-1", VERA, [1])
    await core.movienights.record_answer("poll-1", ANNA, [0])
    telegram = FakeTelegram()
    clock.now += timedelta(minutes=59)
    await core.movienights.close_due(telegram)
    assert telegram.announced == [] and telegram.stopped == []

    clock.now += timedelta(minutes=2)
    await core.movienights.close_due(telegram)
    await core.movienights.close_due(telegram)  # a second pass, and the starter's ⏹ after it
    assert await core.movienights.close(round_id, telegram) is None
    assert telegram.stopped == [(GROUP, 77)]
    [(chat_id, card, quoting)] = telegram.announced
    assert (chat_id, quoting, card.kind) == (GROUP, 55, CardKind.WINNER)
    assert card.film.id == "white-nights"  # two votes to one
    assert card.html.startswith("🏆")
    closed = await core.movienights.round(round_id)
    assert closed is not None and closed.state is RoundState.CLOSED and closed.winner == "white-nights"


async def test_a_vote_nobody_answered_goes_to_the_first_candidate(setup: tuple[Core, Clock]) -> None:
    core, clock = setup
    round_id = await voting_round(core, clock)
    telegram = FakeTelegram()
    card = await core.movienights.close(round_id, telegram)
    assert card is not None and card.film.id == "cranes-are-flying"
    assert "Nobody voted" in card.html


async def test_a_round_closed_before_its_vote_still_names_a_film(setup: tuple[Core, Clock]) -> None:
    core, clock = setup
    await core.watchlists.change(ANNA.user_id, WatchlistVerb.ADD, "asya")
    await core.movienights.open(GROUP, ANNA, "ru", clock.now + timedelta(minutes=30))
    clock.now += timedelta(minutes=31)
    telegram = FakeTelegram()
    await core.movienights.close_due(telegram)
    [(_, card, _)] = telegram.announced
    assert card.language == "ru" and telegram.stopped == []  # no poll to stop


async def test_a_group_without_the_bot_gets_no_announcement(setup: tuple[Core, Clock]) -> None:
    core, clock = setup
    round_id = await voting_round(core, clock)
    telegram = FakeTelegram(in_group=False)
    assert await core.movienights.close(round_id, telegram) is None
    assert telegram.announced == []
    assert await core.movienights.close(round_id, FakeTelegram()) is None  # and never later


async def test_a_group_that_became_a_supergroup_gets_it_there(setup: tuple[Core, Clock]) -> None:
    core, clock = setup
    round_id = await voting_round(core, clock)
    telegram = FakeTelegram(moved_to=-100200)
    card = await core.movienights.close(round_id, telegram)
    assert card is not None
    assert [(chat, quoting) for chat, _, quoting in telegram.announced] == [(-100200, None)]
    moved = await core.movienights.round(round_id)
    assert moved is not None and moved.chat_id == -100200  # kept under the group's new id


async def test_an_announcement_telegram_refuses_is_not_repeated(setup: tuple[Core, Clock]) -> None:
    core, clock = setup
    round_id = await voting_round(core, clock)
    assert await core.movienights.close(round_id, FakeTelegram(refuse=True)) is None
    telegram = FakeTelegram()
    clock.now += timedelta(hours=2)
    await core.movienights.close_due(telegram)
    assert telegram.announced == []  # the round was claimed: never announced twice
