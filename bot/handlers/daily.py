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
from datetime import date, datetime, timedelta

from aiolimiter import AsyncLimiter
from telegram import Bot, ChatMemberUpdated, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.catalogue import Language
from bot.config import parse_hhmm
from bot.keyboards import card_keyboard, decode, encode
from bot.schedule import local_today, next_due, parse_subscription, plan, zone
from bot.services import Services
from bot.storage import Subscription
from bot.texts import as_language, format_day, text
from bot.texts.cards import render_card

from .common import Context, command_argument, language, services

log = logging.getLogger(__name__)

BATCH = 500  # subscriptions read from the database at a time
IN_FLIGHT = 16  # sends awaiting Telegram's answer at once
NETWORK_ATTEMPTS = 3
RETRY_LATER = timedelta(minutes=2)  # after repeated network errors, the next pass tries again


class Broadcaster:
    """Delivers due films of the day; one pass at a time."""

    def __init__(self, rate: float):
        self._pacer = AsyncLimiter(1, 1 / rate)  # one message every 1/rate s: no bursts above the rate
        self._slots = asyncio.Semaphore(IN_FLIGHT)
        self._pass = asyncio.Lock()
        self._resume_at = 0.0  # after a 429, nobody sends before this (monotonic seconds)

    async def run(self, bot: Bot, core: Services) -> tuple[int, int]:
        """One pass over everything due now; returns (sent, not sent)."""
        if self._pass.locked():
            return 0, 0
        async with self._pass:
            started, clock_started = core.clock(), time.monotonic()
            results: list[bool] = []
            tasks: set[asyncio.Task[None]] = set()
            while batch := await core.storage.subscriptions.due(core.clock(), BATCH):
                for subscription in batch:
                    await self._slots.acquire()  # before claiming: claimed and unsent stays ≤ IN_FLIGHT
                    film_day = await self._claim(core, subscription)
                    if film_day is None:
                        self._slots.release()
                        continue
                    task = asyncio.create_task(self._deliver(bot, core, subscription, film_day, results))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
            if tasks:
                await asyncio.gather(*tasks)
            sent = results.count(True)
            if results:
                seconds = time.monotonic() - clock_started
                await core.storage.subscriptions.record_broadcast(started, seconds, sent, len(results) - sent)
                log.info("daily films: %d sent, %d not sent in %.1f s", sent, len(results) - sent, seconds)
            return sent, len(results) - sent

    async def _claim(self, core: Services, subscription: Subscription) -> date | None:
        """Decide what a due subscription gets; claim today's delivery if it is owed one."""
        now = core.clock()
        where = zone(subscription.zone)
        decision = plan(now, parse_hhmm(subscription.local_time), where)
        subscriptions = core.storage.subscriptions
        if decision.deliver_for is None:
            await subscriptions.reschedule(subscription.user_id, decision.next_due)
            return None
        film = await core.film_of_the_day(decision.deliver_for)
        if not await subscriptions.claim(
            subscription.user_id, decision.deliver_for, film.id, decision.next_due
        ):
            return None  # already delivered (or lost in flight) for that date: never twice
        return decision.deliver_for

    async def _pace(self) -> None:
        # A loop, not one sleep: another 429 may push the resume time further while we wait.
        while (wait := self._resume_at - time.monotonic()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(wait)
        await self._pacer.acquire()

    async def _deliver(
        self, bot: Bot, core: Services, subscription: Subscription, day: date, results: list[bool]
    ) -> None:
        try:
            results.append(await self._send(bot, core, subscription, day))
        except Exception:
            log.exception("daily film for user %s failed", subscription.user_id)
            results.append(False)
        finally:
            self._slots.release()

    async def _send(self, bot: Bot, core: Services, subscription: Subscription, day: date) -> bool:
        subscriptions = core.storage.subscriptions
        lang: Language = as_language(subscription.language) or "en"
        film = await core.film_of_the_day(day)
        entry = await core.storage.watchlist.entry(subscription.user_id, film.id)
        heading = text(lang, "film_of_the_day", date=format_day(lang, day))
        attempts = 0
        while True:
            await self._pace()
            try:
                await bot.send_message(
                    subscription.chat_id,
                    render_card(film, lang, heading),
                    parse_mode=ParseMode.HTML,
                    reply_markup=card_keyboard(film, lang, entry),
                )
            except RetryAfter as exc:
                delay = exc.retry_after
                seconds = delay.total_seconds() if isinstance(delay, timedelta) else float(delay)
                self._resume_at = max(self._resume_at, time.monotonic() + seconds)
                log.warning("Telegram asked to slow down: pausing daily films for %.0f s", seconds)
                continue
            except Forbidden:
                await subscriptions.delivered(subscription.user_id, day, sent=False)
                await subscriptions.stop(subscription.user_id, "blocked")
                return False
            except BadRequest as exc:
                await subscriptions.delivered(subscription.user_id, day, sent=False)
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
            await subscriptions.delivered(subscription.user_id, day, sent=True)
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
    query, user = update.callback_query, update.effective_user
    callback = decode(query.data if query else None)
    if query is None or user is None or callback is None or query.message is None:
        return
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
        await _subscribe(core, user.id, query.message.chat.id, settings.daily_time, settings.timezone, lang)
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
    """/stats, for ADMIN_IDS only; everyone else gets the ordinary unknown-command reply."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    lang = await language(update, context)
    core = services(context)
    if user.id not in core.settings.admin_ids:
        if message.chat.type == ChatType.PRIVATE:
            await message.reply_text(text(lang, "unknown_command"))
        return
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
