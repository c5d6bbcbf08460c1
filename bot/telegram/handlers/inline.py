"""Inline mode: `@bot <anything>` in any chat finds films and shares their cards."""

from __future__ import annotations

from html import escape

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultCachedPhoto,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import InlineQueryHandler

from bot.core.films.card import Card, CardKind, titles
from bot.core.films.service import PICTURE_MARK, RECOMMEND_MARK, read_picture, read_recommendation
from bot.core.memory import PerFilm
from bot.core.models import Language
from bot.core.texts import text
from bot.core.watch.service import WatchButton
from bot.telegram.context import BotContext
from bot.telegram.replies import NO_PREVIEW

from .card import card_keyboard
from .common import Handlers
from .pictures import picture_caption

handlers = Handlers()

PAGE_SIZE = 50  # Telegram's limit per answer
CACHE_SECONDS = 300  # the catalogue changes rarely; answers are per user (their language)


# Built once per film and language: PTB's objects are immutable, and an answer carries up to 50.
_ARTICLES: PerFilm[tuple[Language, str, tuple[WatchButton, ...]], InlineQueryResultArticle] = PerFilm()


def article(card: Card, bot_username: str) -> InlineQueryResultArticle:
    """A film's shared card as an inline result."""
    key = (card.language, bot_username, card.buttons.watch)
    return _ARTICLES.get(card.film, key, lambda: _article(card, bot_username))


def _article(card: Card, bot_username: str) -> InlineQueryResultArticle:
    film, lang = card.film, card.language
    first, second = titles(film, lang)
    return InlineQueryResultArticle(
        id=film.id,
        title=f"{first} ({film.year})",
        description=" · ".join([second, *(p.get(lang) for p in film.directors[:1])]),
        input_message_content=InputTextMessageContent(
            card.html, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
        ),
        reply_markup=card_keyboard(card.buttons, bot_username),
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


def recommendation(card: Card, note: str, bot_username: str) -> InlineQueryResultArticle:
    """💌 The card, headed "Recommended by Anna: “a note”", with buttons for the receiver's own list."""
    film, lang = card.film, card.language
    first, _ = titles(film, lang)
    return InlineQueryResultArticle(
        id=f"rec-{film.id}",
        title=text(lang, "recommend_title", title=first, year=film.year),
        description=text(lang, "recommend_with_note", note=note)
        if note
        else text(lang, "recommend_add_note"),
        input_message_content=InputTextMessageContent(
            card.html, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
        ),
        reply_markup=card_keyboard(card.buttons, bot_username),
    )


def picture_result(card: Card, file_id: str, bot_username: str) -> InlineQueryResultCachedPhoto:
    """The film's picture, as Telegram keeps it, with its caption and a shared card's buttons."""
    return InlineQueryResultCachedPhoto(
        id=f"pic-{card.film.id}",
        photo_file_id=file_id,
        title=f"{titles(card.film, card.language)[0]} ({card.film.year})",
        description=text(card.language, "button_picture"),
        caption=picture_caption(card.film, card.language),
        parse_mode=ParseMode.HTML,
        reply_markup=card_keyboard(card.buttons, bot_username),
    )


async def answer_inline_query(update: Update, context: BotContext) -> None:
    query, user = update.inline_query, update.effective_user
    if query is None or user is None:
        return
    lang = await context.core.users.language(user.id, user.language_code)
    films = context.core.films
    cards = context.core.cards
    found = read_recommendation(query.query, films.library.index)
    if found is not None:
        sender, note = user.first_name, found.note
        heading = (
            text(lang, "recommended_by_note", name=sender, note=note)
            if note
            else text(lang, "recommended_by", name=sender)
        )
        card = await cards.card(found.film, lang, heading, CardKind.SHARED)
        await query.answer([recommendation(card, note, context.bot.username)], cache_time=0, is_personal=True)
        return
    pictured = read_picture(query.query, films.library.index)
    if pictured is not None:
        # ↗ Share under a picture: the picture first, as Telegram keeps it, then the text card
        card = await cards.card(pictured, lang, kind=CardKind.SHARED)
        file_id = (await context.core.pictures.card(pictured, lang)).file_id
        shared = [article(card, context.bot.username)]
        if file_id is not None:
            shared.insert(0, picture_result(card, file_id, context.bot.username))  # type: ignore[arg-type]
        await query.answer(shared, cache_time=0, is_personal=True)
        return
    offset = int(query.offset) if query.offset.isdigit() else 0
    typed = query.query.removeprefix(RECOMMEND_MARK).removeprefix(PICTURE_MARK)
    page = await films.inline_page(typed, offset, PAGE_SIZE)
    kind = CardKind.SHARED
    results = [article(await cards.card(film, lang, kind=kind), context.bot.username) for film in page.films]
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


handlers.update(InlineQueryHandler(answer_inline_query))
