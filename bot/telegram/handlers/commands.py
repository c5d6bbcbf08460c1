"""/start, /help, /random, /film (and plain text), /today, /language, unknown commands."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.constants import ChatType

from bot.core.catalogue.search import MAX_QUERY_CHARS, Verdict
from bot.core.films.intents import Intent, intent_of
from bot.core.texts import format_day, text
from bot.telegram.context import BotContext
from bot.telegram.handlers.movienight import ROUND_LINK
from bot.telegram.keyboards import (
    Another,
    ChooseLanguage,
    MenuItem,
    OpenFilm,
    OpenMenu,
    film_choice_keyboard,
    language_keyboard,
    menu_keyboard,
    not_found_keyboard,
)
from bot.telegram.replies import edit, reply

from . import browse, diary, subscriptions, watchlist
from .common import PRIVATE_TOPICS, Incoming, command_argument, incoming, press, send_card

DEEP_LINK_PREFIX = "film_"


async def _open_subscribe(update: Update, context: BotContext) -> None:
    got = await incoming(update, context)
    if got is not None:
        await subscriptions.subscribe_with(got, context, "")


_PRIVATE_OPENERS = {
    "watchlist": watchlist.show_watchlist,
    "export": watchlist.export_watchlist,
    "settings": subscriptions.show_settings,
    "subscribe": _open_subscribe,
    "diary": diary.show_diary,
}


async def start(update: Update, context: BotContext) -> None:
    """What the bot is, with the main things as buttons; deep links open a film or a private topic."""
    got = await incoming(update, context)
    if got is None:
        return
    payload = context.args[0] if context.args else ""
    if payload in PRIVATE_TOPICS and got.private:  # from a group's "open in private chat" button
        await _PRIVATE_OPENERS[payload](update, context)
        return
    if payload == "movienight" and not got.private:  # added to a group by "Add me to a group"
        await reply(got.message, text(got.lang, "mn_group_hello"))
        return
    if payload.startswith(ROUND_LINK) and got.private:  # from 🙋 I'm in, before ever starting the bot
        await reply(got.message, text(got.lang, "mn_in_private"))
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
    await reply(
        got.message,
        greeting,
        keyboard=menu_keyboard(got.lang, got.private, context.bot.username),
        html=True,
    )


async def show_menu(update: Update, context: BotContext) -> None:
    """/menu: the /start buttons."""
    got = await incoming(update, context)
    if got is not None:
        await reply(
            got.message,
            text(got.lang, "menu"),
            keyboard=menu_keyboard(got.lang, got.private, context.bot.username),
        )


async def show_help(update: Update, context: BotContext) -> None:
    got = await incoming(update, context)
    if got is None:
        return
    await reply(got.message, text(got.lang, "help", username=escape(context.bot.username)), html=True)


async def send_random(update: Update, context: BotContext) -> None:
    got = await incoming(update, context)
    if got is None:
        return
    film = await context.core.films.random_for(got.user.id)
    await send_card(context, got.message, got.user, film, got.lang)


async def find_film(update: Update, context: BotContext) -> None:
    """`/film <name>`, and any plain text in a private chat."""
    got = await incoming(update, context)
    if got is None:
        return
    message, lang = got.message, got.lang
    is_command = bool(message.text and message.text.startswith("/"))
    query = command_argument(message) if is_command else (message.text or "")
    intent = None if is_command else intent_of(query)
    if intent is not None:
        await _INTENTS[intent](update, context)
        return
    found = context.core.films.find(query)
    shown = escape(query.strip())
    if found.verdict is Verdict.EMPTY:
        await reply(message, text(lang, "film_usage"), html=True)
    elif found.verdict is Verdict.TOO_LONG:
        await reply(message, text(lang, "film_query_too_long", limit=MAX_QUERY_CHARS))
    elif found.verdict is Verdict.ONE:
        await send_card(context, message, got.user, found.films[0], lang)
    elif found.verdict is Verdict.SEVERAL:
        await reply(
            message,
            text(lang, "several", query=shown),
            keyboard=film_choice_keyboard(found.films, lang),
            html=True,
        )
    elif found.films:  # near misses: a plausible misspelling of these
        await reply(
            message,
            text(lang, "not_found_suggest", query=shown),
            keyboard=not_found_keyboard(found.films, lang),
            html=True,
        )
    else:
        count = len(context.core.films.catalogue.visible)
        await reply(
            message,
            text(lang, "not_found", query=shown, count=count),
            keyboard=not_found_keyboard((), lang),
            html=True,
        )


async def greet(update: Update, context: BotContext) -> None:
    got = await incoming(update, context)
    if got is not None:
        films = len(context.core.films.catalogue.visible)
        await reply(got.message, text(got.lang, "greeting", count=films))


async def say_welcome(update: Update, context: BotContext) -> None:
    got = await incoming(update, context)
    if got is not None:
        await reply(got.message, text(got.lang, "thanks"))


async def send_today(update: Update, context: BotContext) -> None:
    got = await incoming(update, context)
    if got is not None:
        await _send_todays_film(context, got)


async def _send_todays_film(context: BotContext, got: Incoming, quote: bool | None = None) -> None:
    """The film of the day's card with its dated heading, under `got.message`."""
    films = context.core.films
    day = films.today()
    heading = text(got.lang, "film_of_the_day", date=format_day(got.lang, day))
    film = await films.film_of_the_day(day)
    await send_card(context, got.message, got.user, film, got.lang, heading, quote=quote)


async def choose_language(update: Update, context: BotContext) -> None:
    got = await incoming(update, context)
    if got is None:
        return
    await reply(got.message, text(got.lang, "language_prompt"), keyboard=language_keyboard())


async def hint_text_only(update: Update, context: BotContext) -> None:
    """A sticker, photo, voice message… in a private chat: one line on what the bot understands."""
    got = await incoming(update, context)
    if got is None:
        return
    await reply(got.message, text(got.lang, "media_hint"))


async def unknown_command(update: Update, context: BotContext) -> None:
    got = await incoming(update, context)
    if got is None:
        return
    await reply(got.message, text(got.lang, "unknown_command"))


_INTENTS = {
    Intent.GREETING: greet,
    Intent.THANKS: say_welcome,
    Intent.HELP: show_help,
    Intent.RANDOM: send_random,
    Intent.TODAY: send_today,
}


# buttons


async def press_another(update: Update, context: BotContext) -> None:
    pressed = await press(update, context, Another)
    message = await pressed.replying_to() if pressed else None
    if pressed is None or message is None:
        return
    film = await context.core.films.random_for(pressed.user.id)
    await pressed.answer()
    await send_card(context, message, pressed.user, film, pressed.lang, quote=False)


async def press_menu(update: Update, context: BotContext) -> None:
    """🎬 the film of the day, 📜 the catalogue, 🔔 subscribe: each as a new message, so the menu
    stays usable."""
    pressed = await press(update, context, OpenMenu)
    message = await pressed.replying_to() if pressed else None
    if pressed is None or message is None:
        return
    item, lang = pressed.payload.item, pressed.lang
    got = Incoming(message, pressed.user, lang)
    await pressed.answer()
    if item is MenuItem.TODAY:
        await _send_todays_film(context, got, quote=False)
    elif item is MenuItem.FILMS:
        body, keyboard = browse.first_page(context, lang)
        await reply(message, body, html=True, keyboard=keyboard, quote=False)
    elif message.chat.type != ChatType.PRIVATE:
        await reply(message, text(lang, "sub_private_only"), quote=False)
    else:
        await subscriptions.subscribe_with(got, context, "")


async def press_film(update: Update, context: BotContext) -> None:
    pressed = await press(update, context, OpenFilm)
    film = await pressed.film(context, pressed.payload.film_id) if pressed else None
    if pressed is None or film is None:
        return
    lang = pressed.lang
    message = await pressed.replying_to()
    if message is None:
        return
    await pressed.answer()
    await send_card(context, message, pressed.user, film, lang, quote=False)


async def press_language(update: Update, context: BotContext) -> None:
    pressed = await press(update, context, ChooseLanguage, requester_only=True)
    if pressed is None:
        return
    chosen = pressed.payload.language
    await context.core.users.set_language(pressed.user.id, chosen)
    await pressed.answer()
    await edit(pressed.query, text(chosen, "language_set"))


async def press_stale(update: Update, context: BotContext) -> None:
    """Forged, truncated, unknown or old-version callback data: a polite toast."""
    query, user = update.callback_query, update.effective_user
    if query is None:
        return
    lang = await context.core.users.language(user.id, user.language_code) if user else "en"
    await query.answer(text(lang, "stale_button"))
