"""The delivery engine on its own: a fake sender (Telegram's answers scripted per chat) and a virtual
timer, so pacing, pauses and back-offs take no real time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.core.diary.service import Diary
from bot.core.diary.table import DiaryTable
from bot.core.films.card import Card, CardKind, Cards
from bot.core.films.service import Films, Library, open_library
from bot.core.models import Zone
from bot.core.storage import Storage
from bot.core.subscriptions.delivery import (
    CLAIM_CHUNK,
    IN_FLIGHT,
    RETRY_LATER,
    Delivery,
    Outcome,
    SlowDown,
)
from bot.core.subscriptions.model import StopReason
from bot.core.subscriptions.table import SubscriptionsTable
from bot.core.watch.service import WatchLinks
from bot.core.watchlists.service import Watchlists
from tests.support.database import database_for
from tests.support.flows import Clock

ROOT = Path(__file__).resolve().parents[3]
UTC_ZONE = Zone("UTC", UTC)


@pytest.fixture(scope="module")
def library() -> Library:
    return open_library(ROOT / "data" / "films.yaml")


class VirtualTimer:
    """Monotonic time that moves only when someone sleeps: a sleep lets the others run, then ends
    at its deadline (or now, if another sleeper already moved time past it)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        deadline = self.now + seconds
        await asyncio.sleep(0)
        self.now = max(self.now, deadline)


@dataclass
class FakeSender:
    """Answers like Telegram would: `script[chat]` lists the answers for that chat, then SENT."""

    timer: VirtualTimer
    script: dict[int, list[Outcome | SlowDown]] = field(default_factory=dict)
    sent: list[tuple[int, float]] = field(default_factory=list)  # (chat, virtual time)
    attempts: list[tuple[int, float]] = field(default_factory=list)
    on_send: Callable[[], None] | None = None
    cards: dict[int, str] = field(default_factory=dict)  # the last card's text, by chat

    async def send_card(self, chat_id: int, card: Card, picture: bool = False) -> Outcome | SlowDown:
        assert "Film of the day" in card.html and card.language == "en" and card.kind is CardKind.DAILY
        self.attempts.append((chat_id, self.timer.now))
        self.cards[chat_id] = card.html
        if self.on_send is not None:
            self.on_send()
        answers = self.script.get(chat_id, [])
        answer = answers.pop(0) if answers else Outcome.SENT
        if answer is Outcome.SENT:
            self.sent.append((chat_id, self.timer.now))
        return answer


@dataclass
class Engine:
    delivery: Delivery
    storage: Storage
    sender: FakeSender
    clock: Clock
    path: Path

    async def subscribe(self, count: int) -> None:
        """Chats 1..count, at 00:00 UTC, due now: the first through the storage, the rest in bulk."""
        due = self.clock.now - timedelta(minutes=1)
        await self.storage.table(SubscriptionsTable).subscribe(1, 1, time(0, 0), UTC_ZONE, "en", due)
        db = self.storage.writer  # in bulk, on either engine
        await db.executemany(
            "INSERT INTO users (id, first_seen, last_seen) VALUES (?, '', '')",
            [(user_id,) for user_id in range(2, count + 1)],
        )
        await db.execute(  # copies of subscriber 1's row
            "INSERT INTO subscriptions (user_id, chat_id, local_time, zone, language, active, next_due, "
            "stop_reason, updated_at, daily_quiz, daily_picture) "
            "SELECT users.id, users.id, s.local_time, s.zone, s.language, "
            "s.active, s.next_due, s.stop_reason, s.updated_at, s.daily_quiz, s.daily_picture "
            "FROM users, subscriptions s "
            "WHERE s.user_id = 1 AND users.id > 1"
        )

    async def claims(self) -> dict[str, int]:
        rows = await self.storage.read_all("SELECT state, COUNT(*) FROM deliveries GROUP BY state")
        return {str(state): int(count) for state, count in rows}


@asynccontextmanager
async def open_engine(library: Library, tmp_path: Path, rate: float = 100.0) -> AsyncIterator[Engine]:
    path = tmp_path / "bot.sqlite3"  # the catalogue's checked copy goes beside it
    storage = await Storage.open(database_for(tmp_path))
    clock, timer = Clock(datetime(2026, 3, 27, 12, 0, tzinfo=UTC)), VirtualTimer()
    films = Films(library, storage, path, UTC, clock)
    try:
        diary = Diary(storage, films)
        cards = Cards(Watchlists(storage, films, diary, clock), diary, WatchLinks(storage, films, clock))
        delivery = Delivery(storage, films, cards, clock, rate, timer)
        yield Engine(delivery, storage, FakeSender(timer), clock, path)
    finally:
        await storage.close()


@pytest.fixture
async def engine(library: Library, tmp_path: Path) -> AsyncIterator[Engine]:
    async with open_engine(library, tmp_path) as opened:
        yield opened


async def test_every_due_subscriber_gets_todays_film_once(engine: Engine) -> None:
    await engine.subscribe(40)
    assert await engine.delivery.run(engine.sender) == (40, 0)
    assert sorted(chat for chat, _ in engine.sender.sent) == list(range(1, 41))
    assert await engine.claims() == {"sent": 40}


async def test_each_daily_card_shows_its_subscribers_own_rating(engine: Engine, library: Library) -> None:
    """The ratings are read for a chunk of subscribers at once; each card shows its reader's own."""
    await engine.subscribe(3)
    diary = engine.storage.table(DiaryTable)
    for film in library.catalogue.visible:  # subscriber 2 rated every film, so today's too
        viewing = await diary.add_viewing(2, film.id, None)
        assert await diary.rate(2, film.id, viewing, 7)
    await engine.delivery.run(engine.sender)
    assert "Your rating: ★★★½" in engine.sender.cards[2]
    assert "Your rating" not in engine.sender.cards[1] and "Your rating" not in engine.sender.cards[3]


async def test_a_429_pauses_every_sender_for_its_retry_after(engine: Engine) -> None:
    await engine.subscribe(20)
    engine.sender.script[5] = [SlowDown(7.0)]
    assert await engine.delivery.run(engine.sender) == (20, 0)
    refused_at = next(moment for chat, moment in engine.sender.attempts if chat == 5)
    later = [(chat, moment) for chat, moment in engine.sender.attempts if moment > refused_at]
    assert later, "the others were still to send after the 429"
    assert all(moment >= refused_at + 7.0 for _, moment in later)
    assert sum(1 for chat, _ in engine.sender.sent if chat == 5) == 1  # retried, delivered once


async def test_blocked_and_gone_chats_are_unsubscribed_with_the_reason(engine: Engine) -> None:
    await engine.subscribe(3)
    engine.sender.script = {1: [Outcome.BLOCKED], 2: [Outcome.CHAT_GONE], 3: [Outcome.REFUSED]}
    assert await engine.delivery.run(engine.sender) == (0, 3)
    table = engine.storage.table(SubscriptionsTable)
    blocked, gone, refused = [await table.get(user_id) for user_id in (1, 2, 3)]
    assert blocked is not None and not blocked.active and blocked.stop_reason == StopReason.BLOCKED.value
    assert gone is not None and not gone.active and gone.stop_reason == StopReason.CHAT_GONE.value
    assert refused is not None and refused.active  # our bug, not the user's choice
    assert await engine.claims() == {"failed": 3}


async def test_an_unreachable_telegram_releases_the_claim_for_a_later_pass(engine: Engine) -> None:
    await engine.subscribe(2)
    engine.sender.script[1] = [Outcome.UNREACHABLE] * 3
    assert await engine.delivery.run(engine.sender) == (1, 1)
    assert [chat for chat, _ in engine.sender.attempts].count(1) == 3  # tried with back-off first
    assert await engine.claims() == {"sent": 1}  # chat 1's claim was given back
    assert await engine.delivery.run(engine.sender) == (0, 0)  # not due again yet
    engine.clock.now += RETRY_LATER
    assert await engine.delivery.run(engine.sender) == (1, 0)
    assert sorted(chat for chat, _ in engine.sender.sent) == [1, 2]


async def test_stop_mid_pass_sends_what_was_claimed_and_nothing_more(engine: Engine) -> None:
    await engine.subscribe(200)
    engine.sender.on_send = engine.delivery.stop
    sent, failed = await engine.delivery.run(engine.sender)
    claims = await engine.claims()
    assert failed == 0 and claims == {"sent": sent}  # every claim was sent; none is left hanging
    assert CLAIM_CHUNK <= sent <= IN_FLIGHT
    assert await engine.delivery.run(engine.sender) == (0, 0)  # stopped for good


async def test_a_claim_is_never_repeated_across_passes(engine: Engine) -> None:
    await engine.subscribe(30)
    assert await engine.delivery.run(engine.sender) == (30, 0)
    assert await engine.delivery.run(engine.sender) == (0, 0)
    engine.clock.now += timedelta(hours=6)  # later the same day
    assert await engine.delivery.run(engine.sender) == (0, 0)
    engine.clock.now += timedelta(days=1)  # the next day's film is due
    assert await engine.delivery.run(engine.sender) == (30, 0)
    per_chat = [chat for chat, _ in engine.sender.sent]
    assert all(per_chat.count(chat) == 2 for chat in range(1, 31))


async def test_the_pace_holds_to_the_configured_rate(library: Library, tmp_path: Path) -> None:
    async with open_engine(library, tmp_path, rate=40.0) as engine:
        await engine.subscribe(201)
        assert await engine.delivery.run(engine.sender) == (201, 0)
        moments = sorted(moment for _, moment in engine.sender.sent)
        elapsed = moments[-1] - moments[0]
        assert elapsed == pytest.approx(200 / 40.0, rel=0.02)
        per_second = [sum(1 for m in moments if start <= m < start + 1) for start in moments]
        assert max(per_second) <= 40 * 1.02 + 1
