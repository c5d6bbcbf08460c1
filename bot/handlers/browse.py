"""/films: the whole catalogue by decade, a button per film, paged in one message."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.catalogue import DecadePage, Language, decade_pages
from bot.keyboards import catalogue_page_keyboard
from bot.texts import text

from .common import Context, button_press, language, services


def _page(pages: list[DecadePage], number: int, lang: Language) -> tuple[str, InlineKeyboardMarkup]:
    page = pages[number]
    body = text(lang, "films_page", decade=page.decade, page=number + 1, pages=len(pages))
    return body, catalogue_page_keyboard(page.films, number, len(pages), lang)


async def list_films(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    lang = await language(update, context)
    body, keyboard = _page(decade_pages(services(context).catalogue.alphabetical), 0, lang)
    await message.reply_html(body, reply_markup=keyboard)


async def turn_films_page(update: Update, context: Context) -> None:
    press = button_press(update)
    if press is None:
        return
    query = press.query
    lang = await language(update, context)
    pages = decade_pages(services(context).catalogue.alphabetical)
    number = int(press.callback.args[0])
    if number >= len(pages):
        await query.answer(text(lang, "stale_button"))
        return
    body, keyboard = _page(pages, number, lang)
    await query.answer()
    await query.edit_message_text(body, parse_mode="HTML", reply_markup=keyboard)
