"""The composition root: build the Application, register every handler, start and stop it."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import inspect
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import aiohttp
from telegram import Bot, BotCommand, Update
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import Application, TypeHandler

from bot.config import Settings
from bot.core.models import Clock, system_clock
from bot.core.services import Core
from bot.core.storage.lock import hold_polling
from bot.core.storage.rows import WriteTimes
from bot.core.texts import strings
from bot.core.watch.service import link_session
from bot.heartbeat import Heartbeat
from bot.logs import RedactingFilter
from bot.telegram.context import CONTEXT_TYPES, BotApplication, BotContext
from bot.telegram.handlers import (
    admin,
    diary,
    films,
    inline,
    movienight,
    pictures,
    quiz,
    screening,
    similar,
    start,
    subscriptions,
    watchlist,
)
from bot.telegram.handlers.common import all_handlers
from bot.telegram.handlers.errors import report_error
from bot.telegram.http import AiohttpRequest
from bot.telegram.jobs import Passes
from bot.telegram.metrics import UPDATE_KINDS, Figures, Metrics, MetricsServer
from bot.telegram.ordering import InOrderPerChat
from bot.telegram.sender import TelegramSender
from bot.telegram.waiting import Backoff, unless_stopped
from bot.telegram.webhook import Webhook

log = logging.getLogger(__name__)

MENU = (
    "random", "film", "today", "subscribe", "settings", "films", "watchlist", "diary", "year", "top",
    "movienight", "quiz", "language", "menu", "help",
)  # fmt: skip


# Each feature's handler module declares its handlers (bot/telegram/handlers/common.py: Handlers);
# the catch-alls of start come after all of them.
FEATURES = (
    start, films, watchlist, diary, similar, subscriptions, movienight, screening, quiz, pictures, inline,
    admin,
)  # fmt: skip


class TokenRejected(Exception):
    """Telegram refused the token; the message never contains it."""


def _timeouts(seconds: float) -> dict[str, float]:
    return {"read_timeout": seconds, "write_timeout": seconds, "connect_timeout": seconds}


def build_application(settings: Settings, core: Core) -> BotApplication:
    requests = (
        AiohttpRequest(connection_pool_size=64, **_timeouts(settings.bot_api_timeout)),
        AiohttpRequest(connection_pool_size=1),
    )
    app = (
        Application.builder()
        .token(settings.bot_token.get_secret_value())
        .base_url(settings.bot_api_base_url)
        .base_file_url(settings.file_url())
        .context_types(CONTEXT_TYPES)
        .job_queue(None)  # the periodic passes are bot/telegram/jobs.py's
        .concurrent_updates(InOrderPerChat(64, core.turns, core.chat_of_poll))  # one chat's in order
        .request(requests[0])
        .get_updates_request(requests[1])  # long polls wait 10 s + this read timeout
        .build()
    )
    app.bot_data.requests = requests
    app.bot_data.core = core
    app.bot_data.admins = settings.admin_ids
    app.bot_data.redact = RedactingFilter(settings.secrets()).redact
    app.add_handlers(all_handlers((feature.handlers for feature in FEATURES), settings.admin_ids))
    app.add_error_handler(report_error)
    return app


async def count_update(update: Update, context: BotContext) -> None:
    """Every update, by kind, for the operator's metrics."""
    kind = next((k for k in UPDATE_KINDS if getattr(update, k, None) is not None), "other")
    context.bot_data.metrics.update(kind)


async def read_figures(core: Core, metrics: Metrics) -> None:
    """Before a scrape: the figures that live in the database."""
    stats = await core.stats()
    metrics.subscribers.set(stats.active)
    metrics.daily_waiting.set(stats.waiting)
    metrics.daily_late.set(stats.late_seconds)


async def deliver_due(bot: Bot, core: Core, paid: bool = False, metrics: Figures | None = None) -> None:
    """One delivery pass through Telegram (every `delivery_interval` seconds); `paid`: above 30
    messages a second, with allow_paid_broadcast (PAID_BROADCAST)."""
    await core.delivery.run(TelegramSender(bot, core.pictures, paid, metrics))


async def close_due(bot: Bot, core: Core) -> None:
    """One pass closing the movie nights whose deadline came (every `delivery_interval` seconds)."""
    await movienight.settle_when_due(bot, core)
    await core.movienights.close_due(TelegramSender(bot))


async def connect(
    app: BotApplication, heartbeat: Heartbeat, stop: asyncio.Event, max_delay: float = 60.0
) -> None:
    """Initialise the bot (getMe), retrying with backoff while Telegram is unreachable. A stop
    asked for meanwhile ends the attempt and the waiting at once (Stopped)."""
    backoff = Backoff(stop, max_delay)
    while True:
        try:
            await unless_stopped(stop, app.initialize())
        except InvalidToken:
            raise TokenRejected(
                "Telegram rejected BOT_TOKEN: check the token from @BotFather (see .env.example)"
            ) from None
        except (NetworkError, TimedOut) as exc:
            heartbeat.update(telegram="connecting", error=str(exc))
            log.warning("Telegram is unreachable (%s); retrying in %.0f s", exc, backoff.delay)
            await backoff.wait()
            continue
        heartbeat.update(telegram="ok", error="")
        return


async def publish_commands(app: BotApplication) -> None:
    """The command menu in English (default) and Russian; a failure only warns."""
    for language_code in ("en", "ru"):
        descriptions = strings(language_code, "commands")
        menu = [BotCommand(name, descriptions[name]) for name in MENU]
        try:
            await app.bot.set_my_commands(menu, language_code=None if language_code == "en" else "ru")
        except TelegramError as exc:
            log.warning("could not set the %s command menu: %s", language_code, exc)


SHUTDOWN_GRACE = 10.0  # seconds for in-flight handlers and the current delivery chunk to finish


SETTLE_AFTER = 0.5  # seconds after polling starts


def collect_for_serving() -> None:
    """The garbage collector as the bot wants it once its modules and catalogue are loaded (`python
    -m bot` starts with it off, see bot/__main__.py): young collections less often. Every update
    allocates hundreds of short-lived objects; with the default threshold (700) the collector ran so
    often that it cost about 15 % of the CPU per update (benchmarks/bench_updates.py).

    When the collector was off, what start-up made is frozen first: all of it (about 130,000
    objects) sits in the young generation, and the first young collection would walk it all, 90 ms
    before the first getUpdates. `settle_memory` collects it properly once polling is under way."""
    if not gc.isenabled():
        gc.freeze()
    gc.set_threshold(20_000, 50, 100)
    gc.enable()


async def settle(core: Core) -> None:
    """Once the first long poll is out: what replies need and start-up left for later
    (core.preparations), then the collection; each step a turn of the event loop of its own, so
    updates that came meanwhile are not held behind all of them."""
    await asyncio.sleep(SETTLE_AFTER)
    for step in core.preparations():
        made = step()
        if inspect.isawaitable(made):
            await made
        await asyncio.sleep(0)
    settle_memory()


def settle_memory() -> None:
    """Once started: the catalogue, the index and the framework are there for good, so they leave
    the collector's generations (gc.freeze) and are not walked again by every full collection.
    What start-up left frozen (collect_for_serving) is unfrozen first, so its garbage is freed."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


async def start_updates(app: BotApplication, settings: Settings, stop_asked: asyncio.Event) -> Webhook | None:
    """Long polling, or a webhook server when WEBHOOK_URL is set (returned, to be stopped)."""
    if settings.webhook_url and settings.webhook_secret:
        webhook = Webhook(app, settings)
        await webhook.start(stop_asked)
        log.info("receiving updates by webhook on %s:%d", settings.webhook_listen, settings.webhook_port)
        return webhook
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=10, allowed_updates=Update.ALL_TYPES)
    log.info("receiving updates by long polling")
    return None


async def stop(app: BotApplication, passes: Passes, webhook: Webhook | None) -> None:
    """Stop taking updates and starting passes, then let running handlers and the delivery chunk
    in hand finish."""
    if app.bot_data.core is not None:
        app.bot_data.core.delivery.stop()
    try:
        async with asyncio.timeout(SHUTDOWN_GRACE):
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if webhook is not None:
                await webhook.stop()
            await passes.stop()
            if app.running:
                await app.stop()
    except TimeoutError:
        log.warning("work still running after %.0f s; stopping anyway", SHUTDOWN_GRACE)
    passes.cancel()
    try:
        await app.shutdown()
    except RuntimeError as exc:  # still running after the grace period
        log.warning("shutdown: %s", exc)
    for request in app.bot_data.requests:  # PTB leaves them open if Telegram was never reached
        await request.shutdown()


async def keep_links_checked(core: Core, settings: Settings, session: aiohttp.ClientSession | None) -> None:
    """The watch links' checks, every LINK_CHECK_HOURS, through `session` (by default its own)."""
    every = timedelta(hours=settings.link_check_hours)
    async with contextlib.AsyncExitStack() as stack:
        if session is None:
            session = await stack.enter_async_context(link_session())
        await core.watch.keep_checking(session, settings.endpoints(), every)


@asynccontextmanager
async def running(
    settings: Settings,
    clock: Clock = system_clock,
    delivery_interval: float = 30.0,
    stop_asked: asyncio.Event | None = None,
    links: aiohttp.ClientSession | None = None,
) -> AsyncIterator[BotApplication]:
    """A started bot, taking updates, delivering the film of the day and checking the watch links,
    for as long as the block runs. `clock` and `delivery_interval` let tests move through days
    quickly; `stop_asked` set before Telegram is reached ends the start-up at once (Stopped);
    `links` is the HTTP client for the link checks (tests pass one that reaches a local fake)."""
    poller = None if settings.webhook_url else await hold_polling(settings.database, settings.database_path)
    try:
        core = await Core.open(settings.core(), clock)
    except BaseException:
        if poller is not None:
            await poller.release()
        raise
    app = build_application(settings, core)
    collect_for_serving()
    app.bot_data.heartbeat = Heartbeat(settings.heartbeat_path)
    heartbeat = asyncio.create_task(app.bot_data.heartbeat.run())
    bookkeeping = asyncio.create_task(core.keep_books())
    passes = Passes(app)
    webhook: Webhook | None = None
    menu: asyncio.Task[None] | None = None
    checking: asyncio.Task[None] | None = None
    settling: asyncio.Task[None] | None = None
    stopping = stop_asked or asyncio.Event()
    metrics_server: MetricsServer | None = None
    try:
        if settings.metrics_port:  # before Telegram is reached: an operator sees a bot that cannot
            metrics = Metrics()
            app.bot_data.metrics = metrics
            app.add_handler(TypeHandler(Update, count_update), group=-1)  # counted, then handled as ever
            for request in app.bot_data.requests:
                if isinstance(request, AiohttpRequest):
                    request.metrics = metrics
            WriteTimes.observe = metrics.db_seconds.observe
            metrics_server = MetricsServer(metrics, lambda: read_figures(core, metrics))
            await metrics_server.start(settings.metrics_listen, settings.metrics_port)
        await connect(app, app.bot_data.heartbeat, stopping)
        await app.start()
        first = min(1.0, delivery_interval)
        passes.every(
            delivery_interval,
            lambda: deliver_due(app.bot, core, settings.paid_broadcast, app.bot_data.metrics),
            "daily",
            first,
        )
        # movie nights whose deadline came, also while the bot was down
        passes.every(delivery_interval, lambda: close_due(app.bot, core), "rounds", first)
        passes.every(delivery_interval, lambda: screening.screen(app.bot, core), "screenings", first)
        passes.every(delivery_interval, lambda: quiz.advance(app.bot, core), "quiz", first)
        webhook = await start_updates(app, settings, stopping)
        menu = asyncio.create_task(publish_commands(app))  # after polling starts: not on the way
        # The search index, the texts and a full collection take tens of milliseconds each: once the
        # first long poll is under way (what a reply needs before then is made on the spot).
        settling = asyncio.create_task(settle(core))
        if settings.link_check_hours > 0:  # in the background: never on the way to a reply
            checking = asyncio.create_task(keep_links_checked(core, settings, links))
        log.info("bot @%s is running", app.bot.username)
        yield app
    finally:
        for task in (menu, heartbeat, checking, settling):
            if task is not None:
                task.cancel()
        await stop(app, passes, webhook)
        if metrics_server is not None:
            await metrics_server.stop()
            WriteTimes.observe = None
        bookkeeping.cancel()
        await core.close()
        if poller is not None:
            await poller.release()
        log.info("stopped")
