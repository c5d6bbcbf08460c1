"""The film of the day for subscribers: /subscribe, /unsubscribe, /settings, and the delivery job.

Delivery runs as one JobQueue job every few seconds. It streams due subscriptions from SQLite in
batches, claims each (user, local date) before sending, and sends through one pacer at
BROADCAST_RATE messages per second with a bounded number in flight. Interactive replies do not
go through the pacer, so they are never queued behind a broadcast.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from telegram import Bot, ChatMemberUpdated, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.catalogue import Film, Language
from bot.config import parse_hhmm
from bot.keyboards import card_keyboard, encode
from bot.schedule import local_today, next_due, parse_subscription, plan, zone
from bot.services import Services
from bot.storage import Entry, Subscription
from bot.texts import as_language, format_day, text
from bot.texts.cards import render_card

from .admin import is_admin
from .common import Context, button_press, command_argument, language, services

log = logging.getLogger(__name__)

BATCH = 500  # subscriptions read from the database at a time
IN_FLIGHT = 32  # claimed messages not yet answered by Telegram, at most
CLAIM_CHUNK = IN_FLIGHT // 2  # claimed together, so the next chunk is ready while one is sending
NETWORK_ATTEMPTS = 3
RETRY_LATER = timedelta(minutes=2)  # after repeated network errors, the next pass tries again


class Pacer:
    """Send slots at `rate` per second on a fixed timetable.

    A slot is reserved at once (no await in between), so concurrent senders queue in order; a sender
    that wakes up late is not pushed back, because the timetable is kept rather than restarted from
    the late moment. Catching up is capped at CATCH_UP seconds of slots, so no one-second window ever
    holds more than rate × (1 + CATCH_UP) messages. (aiolimiter's leaky bucket either bursts a whole
    second's worth at once or, with room for one, loses the wake-up delay at every message.)
    """

    CATCH_UP = 0.02

    def __init__(self, rate: float):
        self._interval = 1 / rate
        self._next = 0.0

    async def wait(self) -> None:
        now = time.monotonic()
        slot = max(self._next, now - self.CATCH_UP)
        self._next = slot + self._interval
        if slot > now:
            await asyncio.sleep(slot - now)


@dataclass(frozen=True)
class _Delivery:
    subscription: Subscription
    day: date
    film: Film
    entry: Entry | None  # the subscriber's watchlist row for the film, for the card's buttons


class Broadcaster:
    """Delivers due films of the day; one pass at a time.

    Subscriptions are claimed CLAIM_CHUNK at a time, only when that many send slots are free, so at
    most IN_FLIGHT claimed messages are unsent at any moment (what a crash can lose). Database work
    is done per chunk, not per message, so the pacer, not SQLite, sets the pace.
    """

    def __init__(self, rate: float):
        self._pacer = Pacer(rate)
        self._slots = asyncio.Semaphore(IN_FLIGHT)
        self._pass = asyncio.Lock()
        self._resume_at = 0.0  # after a 429, nobody sends before this (monotonic seconds)
        self._outcomes: list[tuple[int, date, bool]] = []  # (user, day, sent) not yet written
        self._stopping = False

    def stop(self) -> None:
        """Claim nothing more; the chunk already claimed is still sent (shutdown)."""
        self._stopping = True

    async def run(self, bot: Bot, core: Services) -> tuple[int, int]:
        """One pass over everything due now; returns (sent, not sent)."""
        if self._pass.locked():
            return 0, 0
        async with self._pass:
            started, clock_started = core.clock(), time.monotonic()
            results: list[bool] = []
            tasks: set[asyncio.Task[None]] = set()
            films: dict[date, Film] = {}
            while not self._stopping and (batch := await core.storage.subscriptions.due(core.clock(), BATCH)):
                for first in range(0, len(batch), CLAIM_CHUNK):
                    if self._stopping:
                        break
                    chunk = batch[first : first + CLAIM_CHUNK]
                    for _ in chunk:
                        await self._slots.acquire()
                    deliveries = await self._claim(core, chunk, films)
                    for _ in range(len(chunk) - len(deliveries)):
                        self._slots.release()
                    for delivery in deliveries:
                        task = asyncio.create_task(self._deliver(bot, core, delivery, results))
                        tasks.add(task)
                        task.add_done_callback(tasks.discard)
                await self._flush(core)
            if tasks:
                await asyncio.gather(*tasks)
            await self._flush(core)
            sent = results.count(True)
            if results:
                seconds = time.monotonic() - clock_started
                await core.storage.subscriptions.record_broadcast(started, seconds, sent, len(results) - sent)
                log.info("daily films: %d sent, %d not sent in %.1f s", sent, len(results) - sent, seconds)
            return sent, len(results) - sent

    async def _claim(
        self, core: Services, chunk: list[Subscription], films: dict[date, Film]
    ) -> list[_Delivery]:
        """Decide what each due subscription gets and claim today's deliveries, in one go."""
        now = core.clock()
        owed: list[tuple[Subscription, date]] = []
        moves: list[tuple[int, datetime]] = []
        for subscription in chunk:
            decision = plan(now, parse_hhmm(subscription.local_time), zone(subscription.zone))
            moves.append((subscription.user_id, decision.next_due))
            if decision.deliver_for is not None:
                owed.append((subscription, decision.deliver_for))
                if decision.deliver_for not in films:
                    films[decision.deliver_for] = await core.film_of_the_day(decision.deliver_for)
        claims = [(s.user_id, day, films[day].id) for s, day in owed]
        claimed = await core.storage.subscriptions.claim(claims, moves)  # never twice for a date
        owed = [(s, day) for s, day in owed if (s.user_id, day) in claimed]
        entries: dict[tuple[int, str], Entry] = {}
        for film in {films[day] for _, day in owed}:
            users = [s.user_id for s, day in owed if films[day] == film]
            found = await core.storage.watchlist.entries_for_film(film.id, users)
            entries.update({(user_id, film.id): entry for user_id, entry in found.items()})
        return [_Delivery(s, day, films[day], entries.get((s.user_id, films[day].id))) for s, day in owed]

    async def _flush(self, core: Services) -> None:
        outcomes, self._outcomes = self._outcomes, []
        if outcomes:
            await core.storage.subscriptions.delivered(outcomes)

    async def _pace(self) -> None:
        # A loop, not one sleep: another 429 may push the resume time further while we wait.
        while (wait := self._resume_at - time.monotonic()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(wait)
        await self._pacer.wait()

    async def _deliver(self, bot: Bot, core: Services, delivery: _Delivery, results: list[bool]) -> None:
        try:
            sent = await self._send(bot, core, delivery)
        except Exception:
            log.exception("daily film for user %s failed", delivery.subscription.user_id)
            sent = False
        finally:
            self._slots.release()
        results.append(sent)

    async def _send(self, bot: Bot, core: Services, delivery: _Delivery) -> bool:
        subscription, day, film = delivery.subscription, delivery.day, delivery.film
        subscriptions = core.storage.subscriptions
        lang: Language = as_language(subscription.language) or "en"
        heading = text(lang, "film_of_the_day", date=format_day(lang, day))
        attempts = 0
        while True:
            await self._pace()
            try:
                await bot.send_message(
                    subscription.chat_id,
                    render_card(film, lang, heading),
                    parse_mode=ParseMode.HTML,
                    reply_markup=card_keyboard(film, lang, delivery.entry),
                )
            except RetryAfter as exc:
                delay = exc.retry_after
                seconds = delay.total_seconds() if isinstance(delay, timedelta) else float(delay)
                self._resume_at = max(self._resume_at, time.monotonic() + seconds)
                log.warning("Telegram asked to slow down: pausing daily films for %.0f s", seconds)
                continue
            except Forbidden:
                self._outcomes.append((subscription.user_id, day, False))
                await subscriptions.stop(subscription.user_id, "blocked")
                return False
            except BadRequest as exc:
                self._outcomes.append((subscription.user_id, day, False))
                if "chat not found" in str(exc).lower():
                    await subscriptions.stop(subscription.user_id, "chat_not_found")
                else:
                    log.error("daily film for user %s refused: %s", subscription.user_id, exc)
                return False
            except (NetworkError, TimedOut) as exc:
                attempts += 1
                if attempts >= NETWORK_ATTEMPTS:
                    log.warning(
                        "daily film for user %s: %s; retrying on the next pass", subscription.user_id, exc
                    )
                    await subscriptions.release(subscription.user_id, day, core.clock() + RETRY_LATER)
                    return False
                await asyncio.sleep(2**attempts)
                continue
            self._outcomes.append((subscription.user_id, day, True))
            return True


BROADCASTER_KEY = "broadcaster"


async def deliver_due(context: Context) -> None:
    """The JobQueue job."""
    core = services(context)
    broadcaster: Broadcaster = context.bot_data[BROADCASTER_KEY]
    await broadcaster.run(context.bot, core)


# commands


def _when(core: Services, subscription: Subscription, lang: Language) -> str:
    where = zone(subscription.zone)
    local_due = subscription.next_due.astimezone(where)
    today = local_today(core.clock(), where)
    clock = local_due.strftime("%H:%M")
    if local_due.date() == today:
        return text(lang, "sub_today_at", time=clock)
    if local_due.date() == today + timedelta(days=1):
        return text(lang, "sub_tomorrow_at", time=clock)
    return text(lang, "sub_date_at", date=format_day(lang, local_due.date()), time=clock)


def _settings_keyboard(subscription: Subscription | None, lang: Language) -> InlineKeyboardMarkup:
    if subscription is None or not subscription.active:
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(text(lang, "button_subscribe"), callback_data=encode("sub", "on"))]]
        )
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(text(lang, "button_earlier"), callback_data=encode("sub", "earlier")),
                InlineKeyboardButton(text(lang, "button_later"), callback_data=encode("sub", "later")),
            ],
            [InlineKeyboardButton(text(lang, "button_unsubscribe"), callback_data=encode("sub", "off"))],
        ]
    )


def _describe(core: Services, subscription: Subscription | None, lang: Language, done: bool = False) -> str:
    if subscription is None or not subscription.active:
        return text(lang, "sub_off")
    first = "sub_done" if done else "sub_state"
    return "\n".join(
        [
            text(lang, first, time=subscription.local_time, zone=subscription.zone),
            text(lang, "sub_next", when=_when(core, subscription, lang)),
        ]
    )


async def _subscribe(
    core: Services, user_id: int, chat_id: int, hhmm: str, zone_name: str, lang: Language
) -> Subscription:
    due = next_due(core.clock(), parse_hhmm(hhmm), zone(zone_name))
    await core.storage.subscriptions.subscribe(user_id, chat_id, hhmm, zone_name, lang, due)
    subscription = await core.storage.subscriptions.get(user_id)
    assert subscription is not None
    return subscription


async def subscribe(update: Update, context: Context) -> None:
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or user is None or chat is None:
        return
    lang = await language(update, context)
    core = services(context)
    if chat.type != ChatType.PRIVATE:
        await message.reply_text(text(lang, "sub_private_only"))
        return
    settings = core.settings
    try:
        hhmm, zone_name = parse_subscription(
            command_argument(message), settings.daily_time, settings.timezone
        )
    except ValueError:
        usage = text(lang, "sub_usage", default_time=settings.daily_time, default_zone=settings.timezone)
        await message.reply_html(usage)
        return
    subscription = await _subscribe(core, user.id, chat.id, hhmm, zone_name, lang)
    await message.reply_text(
        _describe(core, subscription, lang, done=True), reply_markup=_settings_keyboard(subscription, lang)
    )


async def unsubscribe(update: Update, context: Context) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    lang = await language(update, context)
    stopped = await services(context).storage.subscriptions.stop(user.id, "unsubscribed")
    await message.reply_text(text(lang, "sub_stopped" if stopped else "sub_not_subscribed"))


async def show_settings(update: Update, context: Context) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    lang = await language(update, context)
    core = services(context)
    subscription = await core.storage.subscriptions.get(user.id)
    await message.reply_text(
        _describe(core, subscription, lang), reply_markup=_settings_keyboard(subscription, lang)
    )


async def press_settings(update: Update, context: Context) -> None:
    press = button_press(update)
    message = press.query.message if press else None
    if press is None or message is None:
        return
    query, user, callback = press.query, press.user, press.callback
    lang = await language(update, context)
    core = services(context)
    subscriptions = core.storage.subscriptions
    current = await subscriptions.get(user.id)
    operation = callback.args[0]
    if operation == "off":
        await subscriptions.stop(user.id, "unsubscribed")
    elif operation == "on" and current is not None:
        await _subscribe(core, user.id, current.chat_id, current.local_time, current.zone, lang)
    elif operation == "on":
        settings = core.settings
        await _subscribe(core, user.id, message.chat.id, settings.daily_time, settings.timezone, lang)
    elif current is not None and current.active:
        shifted = datetime.combine(date.today(), parse_hhmm(current.local_time))
        shifted += timedelta(hours=-1 if operation == "earlier" else 1)
        await _subscribe(core, user.id, current.chat_id, shifted.strftime("%H:%M"), current.zone, lang)
    updated = await subscriptions.get(user.id)
    await query.answer()
    await query.edit_message_text(
        _describe(core, updated, lang), reply_markup=_settings_keyboard(updated, lang)
    )


async def track_membership(update: Update, context: Context) -> None:
    """A user who blocks the bot stops getting daily films; /subscribe after unblocking resumes them."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None or change.chat.type != ChatType.PRIVATE:
        return
    if change.new_chat_member.status == ChatMemberStatus.BANNED:
        await services(context).storage.subscriptions.stop(change.from_user.id, "blocked")
        log.info("user %s blocked the bot; daily films stopped", change.from_user.id)


async def show_stats(update: Update, context: Context) -> None:
    """/stats, for ADMIN_IDS only."""
    message = update.effective_message
    if message is None or not await is_admin(update, context):
        return
    lang = await language(update, context)
    core = services(context)
    stats = await core.storage.subscriptions.stats(core.clock(), core.today())
    stopped = ", ".join(f"{reason}: {count}" for reason, count in stats.stopped.items()) or text(
        lang, "stats_none"
    )
    last = text(lang, "stats_none")
    if stats.last_seconds is not None and stats.last_sent:
        rate = stats.last_sent / stats.last_seconds if stats.last_seconds else 0.0
        last = text(lang, "stats_last", sent=stats.last_sent, seconds=stats.last_seconds, rate=rate)
    await message.reply_html(
        text(
            lang,
            "stats",
            users=stats.users,
            active=stats.active,
            delivered=stats.delivered,
            waiting=stats.waiting,
            stopped=stopped,
            last=last,
        )
    )
