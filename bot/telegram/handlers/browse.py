"""/films: the whole catalogue by decade, a button per film, paged in one message."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.core.films.browse import DecadePage
from bot.core.models import Language
from bot.core.texts import text
from bot.telegram.context import BotContext
from bot.telegram.keyboards import FilmsPage, catalogue_page_keyboard
from bot.telegram.replies import edit, reply

from .common import incoming, press


def _page(pages: list[DecadePage], number: int, lang: Language) -> tuple[str, InlineKeyboardMarkup]:
    page = pages[number]
    body = text(lang, "films_page", decade=page.decade, page=number + 1, pages=len(pages))
    return body, catalogue_page_keyboard(page.films, number, len(pages), lang)


def first_page(context: BotContext, lang: Language) -> tuple[str, InlineKeyboardMarkup]:
    return _page(context.core.films.browse_pages(), 0, lang)


async def list_films(update: Update, context: BotContext) -> None:
    got = await incoming(update, context)
    if got is None:
        return
    body, keyboard = first_page(context, got.lang)
    await reply(got.message, body, html=True, keyboard=keyboard)


async def turn_films_page(update: Update, context: BotContext) -> None:
    pressed = await press(update, context, FilmsPage, requester_only=True)
    if pressed is None:
        return
    pages = context.core.films.browse_pages()
    number = pressed.payload.page
    if number >= len(pages):
        await pressed.answer(text(pressed.lang, "stale_button"))
        return
    body, keyboard = _page(pages, number, pressed.lang)
    await pressed.answer()
    await edit(pressed.query, body, html=True, keyboard=keyboard)
