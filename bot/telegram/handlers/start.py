"""First contact and the catch-alls: /start (with its deep links), /menu, /help, /language, plain text
in a private chat (a request in everyday words, else a title), unknown commands, anything that is
not text, and buttons the bot no longer knows."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, filters

from bot.core.asking.answer import AskedKind
from bot.core.films.intents import Intent
from bot.core.models import Language
from bot.core.texts import text
from bot.core.watchlists.model import WatchlistVerb
from bot.telegram.callbacks import Payload, button
from bot.telegram.context import BotContext
from bot.telegram.replies import edit, reply

from . import diary, films, movienight, pictures, similar, subscriptions, watchlist
from .card import send_card
from .common import (
    PRIVATE,
    PRIVATE_TOPICS,
    Handlers,
    Incoming,
    OnMessage,
    Press,
    in_private_only,
    private_link,
)

handlers = Handlers()

DEEP_LINK_PREFIX = "film_"
MORE_LIKE_PREFIX = "like_"


@dataclass(frozen=True)
class ChooseLanguage(Payload, action="lang"):
    language: Language


def language_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[button("English", ChooseLanguage("en")), button("Русский", ChooseLanguage("ru"))]]
    )


@handlers.command("language")
async def choose_language(got: Incoming, context: BotContext) -> None:
    """The language of the member's own chats: chosen in the private chat, never in a group."""
    if await in_private_only(context, got, "language"):
        await reply(got.message, text(got.lang, "language_prompt"), keyboard=language_keyboard())


async def _open_subscribe(got: Incoming, context: BotContext) -> None:
    await subscriptions.subscribe_with(got, context, "")


_PRIVATE_OPENERS: dict[str, OnMessage] = {
    "watchlist": watchlist.show_watchlist,
    "export": watchlist.export_watchlist,
    "settings": subscriptions.show_settings,
    "subscribe": _open_subscribe,
    "diary": diary.show_diary,
    "year": pictures.send_year,
    "unsubscribe": subscriptions.unsubscribe,
    "language": choose_language,
    "add": lambda got, context: watchlist.change_by_name(got, context, WatchlistVerb.ADD, ""),
    "remove": lambda got, context: watchlist.change_by_name(got, context, WatchlistVerb.REMOVE, ""),
}


@handlers.command("start")
async def start(got: Incoming, context: BotContext) -> None:
    """What the bot is, with the main things as buttons; deep links open a film or a private topic."""
    payload = context.args[0] if context.args else ""
    topic, _, film_id = payload.partition("_")
    if topic in PRIVATE_TOPICS and got.private:  # from a group's "open in private chat" button
        if film_id and topic in ("add", "remove"):
            await watchlist.change_film(got, context, topic, film_id)
        else:
            await _PRIVATE_OPENERS[topic](got, context)
        return
    if payload == "movienight" and not got.private:  # added to a group by "Add me to a group"
        await reply(got.message, text(got.lang, "mn_group_hello"))
        return
    if payload.startswith(movienight.ROUND_LINK) and got.private:  # 🙋 I'm in, before starting the bot
        await reply(got.message, text(got.lang, "mn_in_private"))
        return
    if payload.startswith(MORE_LIKE_PREFIX) and got.private:  # 🎞 on a card someone shared
        film = context.core.films.get(payload.removeprefix(MORE_LIKE_PREFIX))
        if film is not None:
            await similar.send_more_like(context, got.message.chat.id, film, got.lang)
            return
    if payload.startswith(DEEP_LINK_PREFIX):
        film = context.core.films.get(payload.removeprefix(DEEP_LINK_PREFIX))
        if film is not None:
            await send_card(context, got.message, got.user, film, got.lang)
            return
        await reply(got.message, text(got.lang, "film_gone"))
    count = len(context.core.films.catalogue.visible)
    if not got.private:  # plain text is not read in groups: say how to ask there
        greeting = text(got.lang, "start_group", count=count, username=escape(context.bot.username))
    elif await context.core.users.returning(got.user.id):
        greeting = text(got.lang, "start_again", count=count)
    else:
        greeting = text(got.lang, "start", count=count)
        context.core.users.introduced(got.user.id)
    await reply(
        got.message,
        greeting,
        keyboard=films.menu_keyboard(got.lang, got.private, context.bot.username),
        html=True,
    )


@handlers.command("menu")
async def show_menu(got: Incoming, context: BotContext) -> None:
    """/menu: the /start buttons."""
    keyboard = films.menu_keyboard(got.lang, got.private, context.bot.username)
    await reply(got.message, text(got.lang, "menu"), keyboard=keyboard)


@handlers.command("help")
async def show_help(got: Incoming, context: BotContext) -> None:
    await reply(got.message, text(got.lang, "help", username=escape(context.bot.username)), html=True)


@handlers.press(ChooseLanguage, requester_only=True)
async def press_language(pressed: Press[ChooseLanguage], context: BotContext) -> None:
    if pressed.message is None or pressed.message.chat.type != ChatType.PRIVATE:  # an older group prompt
        await pressed.answer(url=private_link(context.bot.username, "language"))
        return
    chosen = pressed.payload.language
    await context.core.users.set_language(pressed.user.id, chosen)
    await pressed.answer()
    await edit(pressed.query, text(chosen, "language_set"))


async def greet(got: Incoming, context: BotContext) -> None:
    count = len(context.core.films.catalogue.visible)
    await reply(got.message, text(got.lang, "greeting", count=count))


async def say_welcome(got: Incoming, context: BotContext) -> None:
    await reply(got.message, text(got.lang, "thanks"))


async def say_goodbye(got: Incoming, context: BotContext) -> None:
    await reply(got.message, text(got.lang, "bye"))


async def say_ok(got: Incoming, context: BotContext) -> None:
    await reply(got.message, text(got.lang, "ok"))


_INTENTS: dict[Intent, OnMessage] = {
    Intent.GREETING: greet,
    Intent.THANKS: say_welcome,
    Intent.HELP: show_help,
    Intent.RANDOM: films.send_random,
    Intent.TODAY: films.send_today,
    Intent.FILMS: films.list_films,
    Intent.MORE: films.send_more,
    Intent.BYE: say_goodbye,
    Intent.OK: say_ok,
}


# The catch-alls, after every feature's own handlers.


@handlers.message(PRIVATE & filters.COMMAND, fallback=True)
async def unknown_command(got: Incoming, context: BotContext) -> None:
    await reply(got.message, text(got.lang, "unknown_command"))


@handlers.message(PRIVATE & filters.TEXT & ~filters.COMMAND, fallback=True)
async def read_plain_text(got: Incoming, context: BotContext) -> None:
    """Plain text in a private chat: a request in everyday words, else a title to find."""
    query = got.message.text or ""
    asked = context.core.films.ask(query, got.lang)
    if asked.kind is AskedKind.INTENT and asked.intent is not None:
        await _INTENTS[asked.intent](got, context)
    else:
        await films.answer(got, context, asked, query)


@handlers.message(PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL, fallback=True)
async def hint_text_only(got: Incoming, context: BotContext) -> None:
    """A sticker, photo, voice message… in a private chat: one line on what the bot understands."""
    await reply(got.message, text(got.lang, "media_hint"))


async def press_stale(update: Update, context: BotContext) -> None:
    """Forged, truncated, unknown or old-version callback data: a polite toast."""
    query, user = update.callback_query, update.effective_user
    if query is None:
        return
    lang = await context.core.users.language(user.id, user.language_code) if user else "en"
    await query.answer(text(lang, "stale_button"))


handlers.update(CallbackQueryHandler(press_stale), fallback=True)
