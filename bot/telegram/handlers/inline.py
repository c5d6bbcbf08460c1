"""Inline mode: `@bot <anything>` in any chat finds films and shares their cards."""

from __future__ import annotations

from html import escape

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode

from bot.core.catalogue.model import Film
from bot.core.films.card import render_card, titles
from bot.core.films.service import RECOMMEND_MARK, Recommendation, read_recommendation
from bot.core.memory import PerFilm
from bot.core.models import Language
from bot.core.texts import text
from bot.core.watch.service import WatchButton
from bot.telegram.context import BotContext
from bot.telegram.keyboards import NO_PREVIEW, shared_card_keyboard

PAGE_SIZE = 50  # Telegram's limit per answer
CACHE_SECONDS = 300  # the catalogue changes rarely; answers are per user (their language)


# Built once per film and language: PTB's objects are immutable, and an answer carries up to 50.
_ARTICLES: PerFilm[tuple[Language, str, tuple[WatchButton, ...]], InlineQueryResultArticle] = PerFilm()


def article(
    film: Film, lang: Language, bot_username: str, watch: tuple[WatchButton, ...] = ()
) -> InlineQueryResultArticle:
    return _ARTICLES.get(film, (lang, bot_username, watch), lambda: _article(film, lang, bot_username, watch))


def _article(
    film: Film, lang: Language, bot_username: str, watch: tuple[WatchButton, ...]
) -> InlineQueryResultArticle:
    first, second = titles(film, lang)
    return InlineQueryResultArticle(
        id=film.id,
        title=f"{first} ({film.year})",
        description=" · ".join([second, *(p.get(lang) for p in film.directors[:1])]),
        input_message_content=InputTextMessageContent(
            render_card(film, lang), parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
        ),
        reply_markup=shared_card_keyboard(film, lang, bot_username, watch),
    )


def nothing_found(query: str, films: int, lang: Language, bot_username: str) -> InlineQueryResultArticle:
    """The one result for a query that finds nothing: says so, and offers the bot itself."""
    shown = query.strip()[:64]
    body = escape(text(lang, "inline_nothing_text", query=shown, count=films))
    open_bot = InlineKeyboardButton(text(lang, "button_open_bot"), url=f"https://t.me/{bot_username}")
    return InlineQueryResultArticle(
        id="nothing-found",
        title=text(lang, "inline_nothing_title", query=shown),
        description=text(lang, "inline_nothing_description"),
        input_message_content=InputTextMessageContent(body, parse_mode=ParseMode.HTML),
        reply_markup=InlineKeyboardMarkup([[open_bot]]),
    )


def recommendation(
    found: Recommendation, lang: Language, sender: str, bot_username: str, watch: tuple[WatchButton, ...]
) -> InlineQueryResultArticle:
    """💌 The card, headed "Recommended by Anna: “a note”", with buttons for the receiver's own list."""
    film, note = found.film, found.note
    first, _ = titles(film, lang)
    heading = (
        text(lang, "recommended_by_note", name=sender, note=note)
        if note
        else text(lang, "recommended_by", name=sender)
    )
    return InlineQueryResultArticle(
        id=f"rec-{film.id}",
        title=text(lang, "recommend_title", title=first, year=film.year),
        description=text(lang, "recommend_with_note", note=note)
        if note
        else text(lang, "recommend_add_note"),
        input_message_content=InputTextMessageContent(
            render_card(film, lang, heading), parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
        ),
        reply_markup=shared_card_keyboard(film, lang, bot_username, watch),
    )


async def answer_inline_query(update: Update, context: BotContext) -> None:
    query, user = update.inline_query, update.effective_user
    if query is None or user is None:
        return
    lang = await context.core.users.language(user.id, user.language_code)
    films = context.core.films
    found = read_recommendation(query.query, films.library.index)
    if found is not None:
        places = context.core.watch.buttons(found.film, lang)
        result = recommendation(found, lang, user.first_name, context.bot.username, places)
        await query.answer([result], cache_time=0, is_personal=True)
        return
    offset = int(query.offset) if query.offset.isdigit() else 0
    page = await films.inline_page(query.query.removeprefix(RECOMMEND_MARK), offset, PAGE_SIZE)
    watch = context.core.watch.buttons
    results = [article(film, lang, context.bot.username, watch(film, lang)) for film in page.films]
    if not results and offset == 0:
        results = [
            nothing_found(query.query, len(context.core.films.catalogue.visible), lang, context.bot.username)
        ]
    await query.answer(
        results,
        cache_time=CACHE_SECONDS,
        is_personal=True,
        next_offset=str(page.next_offset) if page.next_offset is not None else "",
    )
