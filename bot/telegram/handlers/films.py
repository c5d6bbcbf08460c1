"""Films: /film (and a title typed in a private chat), /random and 🎲, /today, /films by decade,
and a film's card opened from any list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from html import escape
from typing import Annotated

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, User
from telegram.constants import ChatType

from bot.core.asking.answer import KEY_LIMIT, Asked, AskedKind
from bot.core.catalogue.model import Film
from bot.core.catalogue.search import MAX_QUERY_CHARS, Verdict
from bot.core.films.browse import DecadePage
from bot.core.models import Language, page_of
from bot.core.texts import format_day, text
from bot.telegram.callbacks import Page, Payload, Wire, button, pager_row
from bot.telegram.context import BotContext
from bot.telegram.replies import edit, reply

from . import subscriptions
from .card import Another, OpenFilm, film_rows, send_card
from .common import Handlers, Incoming, Press, command_argument, private_link, unless_unchanged

handlers = Handlers()

AskedKey = Annotated[str, Wire(rf"[a-z0-9~.-]{{1,{KEY_LIMIT}}}")]  # a request's filters


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
    """`/film <query>`: see `answer` (a chat word after /film is searched as a title)."""
    await answer(got, context, context.core.films.ask(query, got.lang) if query.strip() else None, query)


async def answer(got: Incoming, context: BotContext, asked: Asked | None, query: str) -> None:
    """A request in one's own words ("comedies of the 70s", «фильмы Рязанова»: see `show_asked`),
    else the film `query` names: its card, a choice, near misses, or why not."""
    if asked is not None and asked.kind in (AskedKind.LIST, AskedKind.RANDOM, AskedKind.NONE):
        await show_asked(got, context, asked)
    else:
        await find_title(got, context, query)


async def find_title(got: Incoming, context: BotContext, query: str) -> None:
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


# Requests in one's own words: a list headed by what was understood, one film at random, or none


@dataclass(frozen=True)
class AskedPage(Payload, action="ap"):
    """◀ ▶ under a request's list; `key` is the request's filters ("t-comedy.d-1970")."""

    key: AskedKey
    page: Page


@dataclass(frozen=True)
class AnotherAsked(Payload, action="aa"):
    """🎲 Another like this, under a film picked at random for a request."""

    key: AskedKey


def asked_page(asked: Asked, number: int, lang: Language) -> tuple[str, InlineKeyboardMarkup]:
    """Page `number` of a request's films (or of the nearest list, when none matched): its
    heading, with the count and the page, and a button per film."""
    nearest = asked.kind is AskedKind.NONE
    page, number, pages = page_of(asked.films, number)
    what, key = (asked.nearest, asked.nearest_key) if nearest else (asked.what, asked.key)
    count = len(asked.films)
    if pages > 1:
        heading = text(lang, "asked_list_page", what=what, count=count, page=number + 1, pages=pages)
    else:
        heading = text(lang, "asked_list", what=what, count=count)
    lines = [text(lang, "asked_not_here", words=escape(asked.unknown))] if asked.unknown else []
    if nearest:
        # «грустное про балет»: what was understood ("sad") is itself the nearest list, so only
        # the word not here is said, then that list
        if asked.what:
            lines.append(text(lang, "asked_none", what=escape(asked.what)))
        lines.append(text(lang, "asked_nearest", what=escape(what), count=count))
    else:
        lines.append(f"<b>{escape(heading)}</b>")
    rows = film_rows(page, lang)
    if key and pages > 1:
        rows.append(pager_row(lambda n: AskedPage(key, n), number, pages))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def show_asked(got: Incoming, context: BotContext, asked: Asked) -> None:
    """One film: its card; several: the list; at random: one of them with 🎲 Another like this;
    none: what was understood, and the nearest useful list."""
    message, lang = got.message, got.lang
    if asked.kind is AskedKind.RANDOM and asked.films:
        await send_asked_random(context, message, got.user, asked, lang)
    elif asked.kind is AskedKind.LIST and len(asked.films) == 1 and not asked.unknown:
        heading = text(lang, "asked_list", what=asked.what, count=1)
        await send_card(context, message, got.user, asked.films[0], lang, heading)
    elif asked.films:
        if asked.key and asked.kind is AskedKind.LIST:
            context.core.films.remember_request(got.user.id, asked.key)
        body, keyboard = asked_page(asked, 0, lang)
        await reply(message, body, html=True, keyboard=keyboard)
    else:
        lines = [text(lang, "asked_not_here", words=escape(asked.unknown))] if asked.unknown else []
        if asked.what:
            lines.append(text(lang, "asked_none", what=escape(asked.what)))
        lines.append(text(lang, "asked_nothing_near"))
        await reply(message, "\n".join(lines), html=True, keyboard=not_found_keyboard((), lang))


async def send_asked_random(
    context: BotContext, message: Message, user: User, asked: Asked, lang: Language, quote: bool | None = None
) -> None:
    if asked.key:
        context.core.films.remember_request(user.id, asked.key)
    film = await context.core.films.pick(user.id, asked.films)
    heading = text(lang, "asked_random", what=asked.what, count=len(asked.films))
    more = [[button(text(lang, "button_another_like"), AnotherAsked(asked.key))]] if asked.key else []
    await send_card(context, message, user, film, lang, heading, quote=quote, extra=more)


async def send_more(got: Incoming, context: BotContext) -> None:
    """«ещё», "another one": another film of the reader's last request, else any film."""
    asked = context.core.films.last_request(got.user.id, got.lang)
    if asked is not None and asked.films:
        await send_asked_random(context, got.message, got.user, asked, got.lang)
    else:
        await send_random(got, context)


@handlers.press(AskedPage)
async def turn_asked_page(pressed: Press[AskedPage], context: BotContext) -> None:
    asked = context.core.films.asked_again(pressed.payload.key, pressed.lang)
    if asked is None or not asked.films:
        await pressed.answer(text(pressed.lang, "stale_button"))
        return
    body, keyboard = asked_page(asked, pressed.payload.page, pressed.lang)
    await pressed.answer()
    async with unless_unchanged():
        await edit(pressed.query, body, html=True, keyboard=keyboard)


@handlers.press(AnotherAsked)
async def press_another_asked(pressed: Press[AnotherAsked], context: BotContext) -> None:
    """🎲 Another like this: another film of the same request, as a new message."""
    asked = context.core.films.asked_again(pressed.payload.key, pressed.lang)
    message = await pressed.replying_to()
    if asked is None or not asked.films or message is None:
        await pressed.answer(text(pressed.lang, "stale_button"))
        return
    await pressed.answer()
    await send_asked_random(context, message, pressed.user, asked, pressed.lang, quote=False)


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
    count = text(lang, "films_count", count=sum(len(p.films) for p in pages))
    body = text(lang, "films_page", decade=page.decade, page=number + 1, pages=len(pages), films=count)
    keyboard = InlineKeyboardMarkup([*film_rows(page.films, lang), pager_row(FilmsPage, number, len(pages))])
    return body, keyboard


def first_page(context: BotContext, lang: Language) -> tuple[str, InlineKeyboardMarkup]:
    return _page(context.core.films.browse_pages(lang), 0, lang)


@handlers.command("films")
async def list_films(got: Incoming, context: BotContext) -> None:
    body, keyboard = first_page(context, got.lang)
    await reply(got.message, body, html=True, keyboard=keyboard)


@handlers.press(FilmsPage, requester_only=True)
async def turn_films_page(pressed: Press[FilmsPage], context: BotContext) -> None:
    pages = context.core.films.browse_pages(pressed.lang)
    number = pressed.payload.page
    if number >= len(pages):
        await pressed.answer(text(pressed.lang, "stale_button"))
        return
    body, keyboard = _page(pages, number, pressed.lang)
    await pressed.answer()
    await edit(pressed.query, body, html=True, keyboard=keyboard)
