"""The delivery engine: the film of the day for every subscriber at their hour, through a port.

A pass streams due subscriptions from SQLite in batches, claims each (user, local date) before
sending, and sends through one pacer at `rate` messages per second with a bounded number in flight.
It sends through a `Sender` (one method; the Telegram implementation is bot/telegram/sender.py),
which says what became of each message; this module decides what follows from it. Interactive
replies do not go through here, so they are never queued behind a broadcast.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Protocol

from bot.core.catalogue.model import Film
from bot.core.films.card import Card, CardKind, Cards, Readings
from bot.core.films.service import Films
from bot.core.models import Clock
from bot.core.storage import Storage, StorageUnavailable
from bot.core.storage.rows import DatabaseError
from bot.core.subscriptions.model import StopReason, Subscription
from bot.core.subscriptions.schedule import plan
from bot.core.subscriptions.table import SubscriptionsTable
from bot.core.texts import format_day, text
from bot.core.throttle import BurstLog
from bot.core.watchlists.model import Entry
from bot.core.watchlists.table import WatchlistTable

log = logging.getLogger(__name__)

BATCH = 500  # subscriptions read from the database at a time
IN_FLIGHT = 32  # claimed messages not yet answered by Telegram, at most
CLAIM_CHUNK = IN_FLIGHT // 2  # claimed together, so the next chunk is ready while one is sending
NETWORK_ATTEMPTS = 3
RETRY_LATER = timedelta(minutes=2)  # after repeated network errors, the next pass tries again


class Outcome(Enum):
    """What became of one message, as the sender reports it."""

    SENT = "sent"
    BLOCKED = "blocked"  # the user blocked the bot
    CHAT_GONE = "chat_gone"  # the chat no longer exists
    REFUSED = "refused"  # Telegram refused this message (a bug on our side)
    UNREACHABLE = "unreachable"  # no answer: a network error or a timeout


@dataclass(frozen=True)
class SlowDown:
    """Telegram asked every sender to wait this long before sending again."""

    seconds: float


class Sender(Protocol):
    async def send_card(self, chat_id: int, card: Card, picture: bool = False) -> Outcome | SlowDown: ...


class Timer(Protocol):
    """Monotonic time and sleeping; tests pass a virtual one."""

    def monotonic(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class RealTimer:
    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class Pacer:
    """Send slots at `rate` per second on a fixed timetable.

    A slot is reserved at once (no await in between), so concurrent senders queue in order; a sender
    that wakes up late is not pushed back, because the timetable is kept rather than restarted from
    the late moment. Catching up is capped at CATCH_UP seconds of slots, so no one-second window ever
    holds more than rate × (1 + CATCH_UP) messages. (aiolimiter's leaky bucket either bursts a whole
    second's worth at once or, with room for one, loses the wake-up delay at every message.)
    """

    CATCH_UP = 0.02

    def __init__(self, rate: float, timer: Timer):
        self._interval = 1 / rate
        self._next = 0.0
        self._timer = timer

    async def wait(self) -> None:
        now = self._timer.monotonic()
        slot = max(self._next, now - self.CATCH_UP)
        self._next = slot + self._interval
        if slot > now:
            await self._timer.sleep(slot - now)


@dataclass(frozen=True)
class _Delivery:
    subscription: Subscription
    day: date
    film: Film
    entry: Entry | None  # the subscriber's watchlist row for the film, for the card's buttons
    read: Readings  # the subscriber's rating of the film and its average, for the card


class Delivery:
    """Delivers due films of the day; one pass at a time.

    Subscriptions are claimed CLAIM_CHUNK at a time, only when that many send slots are free, so at
    most IN_FLIGHT claimed messages are unsent at any moment (what a crash can lose). Database work
    is done per chunk, not per message, so the pacer, not SQLite, sets the pace.
    """

    def __init__(
        self,
        storage: Storage,
        films: Films,
        cards: Cards,
        clock: Clock,
        rate: float,
        timer: Timer | None = None,
    ):
        self._storage = storage
        self._table = storage.table(SubscriptionsTable)
        self._watchlist = storage.table(WatchlistTable)
        self._films = films
        self._cards = cards
        self._clock = clock
        self._timer = timer or RealTimer()
        self._pacer = Pacer(rate, self._timer)
        self._slots = asyncio.Semaphore(IN_FLIGHT)
        self._pass = asyncio.Lock()
        self._resume_at = 0.0  # after a 429, nobody sends before this (monotonic seconds)
        self._outcomes: list[tuple[int, date, bool]] = []  # (user, day, sent) not yet written
        self._stopping = False
        self._faults = BurstLog(log)

    def stop(self) -> None:
        """Claim nothing more; the chunk already claimed is still sent (shutdown)."""
        self._stopping = True

    async def run(self, sender: Sender) -> tuple[int, int]:
        """One pass over everything due now; returns (sent, not sent). Of several workers on one
        database, one sends at a time (the others' passes find it busy and end), so the films go
        out at BROADCAST_RATE in all, and a worker that stops hands the rest to the next pass."""
        if self._pass.locked():
            return 0, 0
        async with self._pass:
            try:
                async with self._storage.only_one("daily films") as mine:
                    return await self._run(sender) if mine else (0, 0)
            except DatabaseError as exc:  # nothing was claimed: the next pass tries again
                self._faults.warning("pass", "daily films wait: the database is unreachable: %s", exc)
                return 0, 0

    async def _run(self, sender: Sender) -> tuple[int, int]:
        started, clock_started = self._clock(), self._timer.monotonic()
        results: list[bool] = []
        tasks: set[asyncio.Task[None]] = set()
        films: dict[date, Film] = {}
        try:
            while not self._stopping and (batch := await self._table.due(self._clock(), BATCH)):
                for first in range(0, len(batch), CLAIM_CHUNK):
                    if self._stopping:
                        break
                    chunk = batch[first : first + CLAIM_CHUNK]
                    for _ in chunk:
                        await self._slots.acquire()
                    deliveries: list[_Delivery] = []
                    try:
                        deliveries = await self._claim(chunk, films)
                    finally:  # the slots of what was not claimed (all of them, if it failed)
                        for _ in range(len(chunk) - len(deliveries)):
                            self._slots.release()
                    for delivery in deliveries:
                        task = asyncio.create_task(self._deliver(sender, delivery, results))
                        tasks.add(task)
                        task.add_done_callback(tasks.discard)
                await self._flush()
        except StorageUnavailable as exc:  # nothing is claimed, so nothing is sent twice later
            self._faults.warning("pass", "daily films wait: the database cannot take writes: %s", exc)
        if tasks:
            await asyncio.gather(*tasks)
        try:
            await self._flush()
        except StorageUnavailable as exc:  # those claims stay "sending": lost, never doubled
            self._faults.warning("outcomes", "daily film outcomes not recorded: %s", exc)
        sent = results.count(True)
        if results:
            seconds = self._timer.monotonic() - clock_started
            with contextlib.suppress(StorageUnavailable):
                await self._table.record_broadcast(started, seconds, sent, len(results) - sent)
            log.info("daily films: %d sent, %d not sent in %.1f s", sent, len(results) - sent, seconds)
        return sent, len(results) - sent

    async def _claim(self, chunk: list[Subscription], films: dict[date, Film]) -> list[_Delivery]:
        """Decide what each due subscription gets and claim today's deliveries, in one go."""
        now = self._clock()
        owed: list[tuple[Subscription, date]] = []
        moves: list[tuple[int, datetime]] = []
        for subscription in chunk:
            decision = plan(now, subscription.at, subscription.zone.tz)
            moves.append((subscription.user_id, decision.next_due))
            if decision.deliver_for is not None:
                owed.append((subscription, decision.deliver_for))
                if decision.deliver_for not in films:
                    films[decision.deliver_for] = await self._films.film_of_the_day(decision.deliver_for)
        claims = [(s.user_id, day, films[day].id) for s, day in owed]
        claimed = await self._table.claim(claims, moves)  # never twice for a date
        owed = [(s, day) for s, day in owed if (s.user_id, day) in claimed]
        entries: dict[tuple[int, str], Entry] = {}
        read: dict[tuple[int, str], Readings] = {}
        for film in {films[day] for _, day in owed}:  # each read for the chunk at once
            users = [s.user_id for s, day in owed if films[day] == film]
            found = await self._watchlist.entries_for_film(film.id, users)
            entries.update({(user_id, film.id): entry for user_id, entry in found.items()})
            readings = await self._cards.readings(film, users)
            read.update({(user_id, film.id): r for user_id, r in readings.items()})
        keys = [(s, day, (s.user_id, films[day].id)) for s, day in owed]
        return [_Delivery(s, day, films[day], entries.get(key), read[key]) for s, day, key in keys]

    async def _flush(self) -> None:
        outcomes, self._outcomes = self._outcomes, []
        if outcomes:
            await self._table.delivered(outcomes)

    async def _pace(self) -> None:
        """Wait for a send slot outside any pause. Loops, because a 429 may arrive (or push the
        resume time further) while we wait for the slot."""
        while True:
            while (wait := self._resume_at - self._timer.monotonic()) > 0:
                await self._timer.sleep(wait)
            await self._pacer.wait()
            if self._resume_at <= self._timer.monotonic():
                return

    async def _deliver(self, sender: Sender, delivery: _Delivery, results: list[bool]) -> None:
        try:
            sent = await self._send(sender, delivery)
        except StorageUnavailable as exc:
            self._faults.warning("send", "daily film outcome not recorded: %s", exc)
            sent = False
        except Exception:
            log.exception("daily film for user %s failed", delivery.subscription.user_id)
            sent = False
        finally:
            self._slots.release()
        results.append(sent)

    async def _send(self, sender: Sender, delivery: _Delivery) -> bool:
        subscription, day, film = delivery.subscription, delivery.day, delivery.film
        user_id, lang = subscription.user_id, subscription.language
        heading = text(lang, "film_of_the_day", date=format_day(lang, day))
        card = await self._cards.card(
            film, lang, heading, CardKind.DAILY, delivery.entry, user_id, delivery.read
        )
        attempts = 0
        while True:
            await self._pace()
            outcome = await sender.send_card(subscription.chat_id, card, subscription.daily_picture)
            if isinstance(outcome, SlowDown):
                self._resume_at = max(self._resume_at, self._timer.monotonic() + outcome.seconds)
                log.warning("Telegram asked to slow down: pausing daily films for %.0f s", outcome.seconds)
                continue
            if outcome is Outcome.UNREACHABLE:
                attempts += 1
                if attempts < NETWORK_ATTEMPTS:
                    await self._timer.sleep(2**attempts)
                    continue
                log.warning(
                    "daily film for user %s: Telegram unreachable; retrying on the next pass", user_id
                )
                await self._table.release(user_id, day, self._clock() + RETRY_LATER)
                return False
            self._outcomes.append((user_id, day, outcome is Outcome.SENT))
            if outcome is Outcome.BLOCKED:
                await self._table.stop(user_id, StopReason.BLOCKED)
            elif outcome is Outcome.CHAT_GONE:
                await self._table.stop(user_id, StopReason.CHAT_GONE)
            return outcome is Outcome.SENT
