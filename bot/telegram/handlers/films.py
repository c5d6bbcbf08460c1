"""Films: /film (and a title typed in a private chat), /random and 🎲, /today, /films by decade,
and a film's card opened from any list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ChatType

from bot.core.catalogue.model import Film
from bot.core.catalogue.search import MAX_QUERY_CHARS, Verdict
from bot.core.films.browse import DecadePage
from bot.core.models import Language
from bot.core.texts import format_day, text
from bot.telegram.callbacks import Page, Payload, button, pager_row
from bot.telegram.context import BotContext
from bot.telegram.replies import edit, reply

from . import subscriptions
from .card import Another, OpenFilm, film_rows, send_card
from .common import Handlers, Incoming, Press, command_argument, private_link

handlers = Handlers()


@dataclass(frozen=True)
class FilmsPage(Payload, action="films"):
    page: Page


class MenuItem(Enum):
    TODAY = "today"
    FILMS = "films"
    SUBSCRIBE = "sub"


@dataclass(frozen=True)
class OpenMenu(Payload, action="menu"):
    """One of the /start and /menu buttons (🎲 is `Another`)."""

    item: MenuItem


def menu_keyboard(language: Language, private: bool, bot_username: str) -> InlineKeyboardMarkup:
    """/start and /menu: a random film, the film of the day, the catalogue, the daily film (in a
    group, a link to the private chat, where subscribing happens)."""
    subscribe = (
        button(text(language, "button_menu_subscribe"), OpenMenu(MenuItem.SUBSCRIBE))
        if private
        else InlineKeyboardButton(
            text(language, "button_menu_subscribe"), url=private_link(bot_username, "subscribe")
        )
    )
    return InlineKeyboardMarkup(
        [
            [
                button(text(language, "button_menu_random"), Another()),
                button(text(language, "button_menu_today"), OpenMenu(MenuItem.TODAY)),
            ],
            [button(text(language, "button_menu_films"), OpenMenu(MenuItem.FILMS)), subscribe],
        ]
    )


def film_choice_keyboard(films: Sequence[Film], language: Language) -> InlineKeyboardMarkup:
    """One button per film, each opening its card."""
    return InlineKeyboardMarkup(film_rows(films, language))


def not_found_keyboard(films: Sequence[Film], language: Language) -> InlineKeyboardMarkup:
    """Under "I found nothing": the near misses, if any, then a random film and the catalogue."""
    return InlineKeyboardMarkup(
        [
            *film_rows(films, language),
            [
                button(text(language, "button_menu_random"), Another()),
                button(text(language, "button_menu_films"), OpenMenu(MenuItem.FILMS)),
            ],
        ]
    )


@handlers.command("random")
async def send_random(got: Incoming, context: BotContext) -> None:
    film = await context.core.films.random_for(got.user.id)
    await send_card(context, got.message, got.user, film, got.lang)


@handlers.command("film", "search")
async def find_film(got: Incoming, context: BotContext) -> None:
    """`/film <name>`."""
    await find(got, context, command_argument(got.message))


async def find(got: Incoming, context: BotContext, query: str) -> None:
    """The film `query` names: its card, a choice, near misses, or why not."""
    message, lang = got.message, got.lang
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


@handlers.command("today")
async def send_today(got: Incoming, context: BotContext) -> None:
    await send_todays_film(context, got)


async def send_todays_film(context: BotContext, got: Incoming, quote: bool | None = None) -> None:
    """The film of the day's card with its dated heading, under `got.message`."""
    films = context.core.films
    day = films.today()
    heading = text(got.lang, "film_of_the_day", date=format_day(got.lang, day))
    film = await films.film_of_the_day(day)
    await send_card(context, got.message, got.user, film, got.lang, heading, quote=quote)


@handlers.press(Another)
async def press_another(pressed: Press[Another], context: BotContext) -> None:
    message = await pressed.replying_to()
    if message is None:
        return
    film = await context.core.films.random_for(pressed.user.id)
    await pressed.answer()
    await send_card(context, message, pressed.user, film, pressed.lang, quote=False)


@handlers.press(OpenFilm)
async def press_film(pressed: Press[OpenFilm], context: BotContext) -> None:
    film = await pressed.film(context, pressed.payload.film_id)
    message = await pressed.replying_to() if film else None
    if film is None or message is None:
        return
    await pressed.answer()
    await send_card(context, message, pressed.user, film, pressed.lang, quote=False)


@handlers.press(OpenMenu)
async def press_menu(pressed: Press[OpenMenu], context: BotContext) -> None:
    """🎬 the film of the day, 📜 the catalogue, 🔔 subscribe: each as a new message, so the menu
    stays usable."""
    message = await pressed.replying_to()
    if message is None:
        return
    item, lang = pressed.payload.item, pressed.lang
    got = Incoming(message, pressed.user, lang)
    await pressed.answer()
    if item is MenuItem.TODAY:
        await send_todays_film(context, got, quote=False)
    elif item is MenuItem.FILMS:
        body, keyboard = first_page(context, lang)
        await reply(message, body, html=True, keyboard=keyboard, quote=False)
    elif message.chat.type != ChatType.PRIVATE:
        await reply(message, text(lang, "sub_private_only"), quote=False)
    else:
        await subscriptions.subscribe_with(got, context, "")


# /films: the whole catalogue by decade, a button per film, paged in one message


def _page(pages: list[DecadePage], number: int, lang: Language) -> tuple[str, InlineKeyboardMarkup]:
    page = pages[number]
    body = text(lang, "films_page", decade=page.decade, page=number + 1, pages=len(pages))
    keyboard = InlineKeyboardMarkup([*film_rows(page.films, lang), pager_row(FilmsPage, number, len(pages))])
    return body, keyboard


def first_page(context: BotContext, lang: Language) -> tuple[str, InlineKeyboardMarkup]:
    return _page(context.core.films.browse_pages(), 0, lang)


@handlers.command("films")
async def list_films(got: Incoming, context: BotContext) -> None:
    body, keyboard = first_page(context, got.lang)
    await reply(got.message, body, html=True, keyboard=keyboard)


@handlers.press(FilmsPage, requester_only=True)
async def turn_films_page(pressed: Press[FilmsPage], context: BotContext) -> None:
    pages = context.core.films.browse_pages()
    number = pressed.payload.page
    if number >= len(pages):
        await pressed.answer(text(pressed.lang, "stale_button"))
        return
    body, keyboard = _page(pages, number, pressed.lang)
    await pressed.answer()
    await edit(pressed.query, body, html=True, keyboard=keyboard)
