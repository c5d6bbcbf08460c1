"""The composition root: build the Application, register every handler, start and stop it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from telegram import BotCommand, Update
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.config import Settings
from bot.handlers import admin, browse, commands, daily, inline, watchlist
from bot.handlers.common import SERVICES_KEY
from bot.handlers.errors import report_error
from bot.http import AiohttpRequest
from bot.keyboards import accepts
from bot.services import Clock, Services, system_clock
from bot.texts import strings

log = logging.getLogger(__name__)

MENU = ("random", "film", "today", "subscribe", "settings", "films", "watchlist", "language", "help")


class TokenRejected(Exception):
    """Telegram refused the token; the message never contains it."""


def build_application(settings: Settings, services: Services) -> Application:  # type: ignore[type-arg]
    app = (
        Application.builder()
        .token(settings.bot_token.get_secret_value())
        .base_url(settings.bot_api_base_url)
        .concurrent_updates(64)
        .request(AiohttpRequest(connection_pool_size=64))
        .get_updates_request(
            AiohttpRequest(connection_pool_size=1)
        )  # long polls wait 10 s + this read timeout
        .build()
    )
    app.bot_data[SERVICES_KEY] = services
    app.bot_data[daily.BROADCASTER_KEY] = daily.Broadcaster(settings.broadcast_rate)
    new = filters.UpdateType.MESSAGE  # edited messages are ignored
    private = filters.ChatType.PRIVATE

    app.add_handler(CommandHandler("start", commands.start, filters=new))
    app.add_handler(CommandHandler("help", commands.show_help, filters=new))
    app.add_handler(CommandHandler("random", commands.send_random, filters=new))
    app.add_handler(CommandHandler("film", commands.find_film, filters=new))
    app.add_handler(CommandHandler("today", commands.send_today, filters=new))
    app.add_handler(CommandHandler("films", browse.list_films, filters=new))
    app.add_handler(CommandHandler("language", commands.choose_language, filters=new))
    app.add_handler(CommandHandler("subscribe", daily.subscribe, filters=new))
    app.add_handler(CommandHandler("unsubscribe", daily.unsubscribe, filters=new))
    app.add_handler(CommandHandler("settings", daily.show_settings, filters=new))
    app.add_handler(CommandHandler("stats", daily.show_stats, filters=new))
    app.add_handler(CommandHandler("reload", admin.reload_catalogue, filters=new))
    app.add_handler(CommandHandler("watchlist", watchlist.show_watchlist, filters=new))
    app.add_handler(CommandHandler("add", watchlist.add_by_name, filters=new))
    app.add_handler(CommandHandler("remove", watchlist.remove_by_name, filters=new))
    app.add_handler(CommandHandler("export", watchlist.export_watchlist, filters=new))
    app.add_handler(MessageHandler(new & private & filters.COMMAND, commands.unknown_command))
    app.add_handler(MessageHandler(new & private & filters.TEXT & ~filters.COMMAND, commands.find_film))

    app.add_handler(CallbackQueryHandler(commands.press_another, pattern=accepts("rnd")))
    app.add_handler(CallbackQueryHandler(commands.press_film, pattern=accepts("film")))
    app.add_handler(CallbackQueryHandler(commands.press_language, pattern=accepts("lang")))
    app.add_handler(CallbackQueryHandler(browse.turn_films_page, pattern=accepts("films")))
    app.add_handler(CallbackQueryHandler(watchlist.press_watchlist_button, pattern=accepts("wl")))
    app.add_handler(CallbackQueryHandler(watchlist.turn_watchlist_page, pattern=accepts("wlp")))
    app.add_handler(CallbackQueryHandler(watchlist.press_remove_gone, pattern=accepts("wlrm")))
    app.add_handler(CallbackQueryHandler(watchlist.pick_for_tonight, pattern=accepts("pick")))
    app.add_handler(CallbackQueryHandler(daily.press_settings, pattern=accepts("sub")))
    app.add_handler(CallbackQueryHandler(commands.press_stale))
    app.add_handler(ChatMemberHandler(daily.track_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(InlineQueryHandler(inline.answer_inline_query))

    app.add_error_handler(report_error)
    return app


async def connect(app: Application, max_delay: float = 60.0) -> None:  # type: ignore[type-arg]
    """Initialise the bot (getMe), retrying with backoff while Telegram is unreachable."""
    delay = 1.0
    while True:
        try:
            await app.initialize()
            return
        except InvalidToken:
            raise TokenRejected(
                "Telegram rejected BOT_TOKEN: check the token from @BotFather (see .env.example)"
            ) from None
        except (NetworkError, TimedOut) as exc:
            log.warning("Telegram is unreachable (%s); retrying in %.0f s", exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_delay)


async def publish_commands(app: Application) -> None:  # type: ignore[type-arg]
    """The command menu in English (default) and Russian; a failure only warns."""
    for language_code in ("en", "ru"):
        descriptions = strings(language_code, "commands")
        menu = [BotCommand(name, descriptions[name]) for name in MENU]
        try:
            await app.bot.set_my_commands(menu, language_code=None if language_code == "en" else "ru")
        except TelegramError as exc:
            log.warning("could not set the %s command menu: %s", language_code, exc)


SHUTDOWN_GRACE = 10.0  # seconds for in-flight handlers and the current delivery chunk to finish
HEARTBEAT_EVERY = 10.0


async def beat(path: Path) -> None:
    """Touch the heartbeat file from the event loop; a stuck loop stops touching it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        path.touch()  # noqa: ASYNC240 -- on the loop on purpose: it proves the loop is alive
        await asyncio.sleep(HEARTBEAT_EVERY)


async def start_updates(app: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    """Long polling, or a webhook server when WEBHOOK_URL is set."""
    assert app.updater is not None
    if settings.webhook_url and settings.webhook_secret:
        await app.updater.start_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=settings.webhook_path.lstrip("/"),
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=Update.ALL_TYPES,
            bootstrap_retries=-1,
        )
        log.info("receiving updates by webhook on %s:%d", settings.webhook_listen, settings.webhook_port)
    else:
        await app.updater.start_polling(poll_interval=0.0, timeout=10, allowed_updates=Update.ALL_TYPES)
        log.info("receiving updates by long polling")


async def stop(app: Application) -> None:  # type: ignore[type-arg]
    """Stop taking updates, then let running handlers and the delivery chunk in hand finish."""
    app.bot_data[daily.BROADCASTER_KEY].stop()
    try:
        async with asyncio.timeout(SHUTDOWN_GRACE):
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
    except TimeoutError:
        log.warning("work still running after %.0f s; stopping anyway", SHUTDOWN_GRACE)
    try:
        await app.shutdown()
    except RuntimeError as exc:  # still running after the grace period
        log.warning("shutdown: %s", exc)


@asynccontextmanager
async def running(
    settings: Settings, clock: Clock = system_clock, delivery_interval: float = 30.0
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """A started bot, taking updates and delivering the film of the day, for as long as the block
    runs. `clock` and `delivery_interval` let tests move through days quickly."""
    services = await Services.open(settings, clock)
    app = build_application(settings, services)
    heartbeat = asyncio.create_task(beat(settings.heartbeat_path))
    try:
        await connect(app)
        await publish_commands(app)
        await app.start()
        assert app.job_queue is not None
        app.job_queue.run_repeating(
            daily.deliver_due, interval=delivery_interval, first=min(1.0, delivery_interval), name="daily"
        )
        await start_updates(app, settings)
        log.info("bot @%s is running", app.bot.username)
        yield app
    finally:
        heartbeat.cancel()
        await stop(app)
        await services.close()
        log.info("stopped")
