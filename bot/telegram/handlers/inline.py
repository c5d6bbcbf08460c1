"""Inline mode: `@bot <anything>` in any chat finds films and shares their cards."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import ParseMode

from bot.core.catalogue import Film
from bot.core.models import Language
from bot.core.texts.cards import render_card, titles
from bot.telegram.context import BotContext
from bot.telegram.keyboards import shared_card_keyboard

PAGE_SIZE = 50  # Telegram's limit per answer
CACHE_SECONDS = 300  # the catalogue changes rarely; answers are per user (their language)


# Built once per film and language: PTB's objects are immutable, and an answer carries up to 50 of
# them (building them was a fifth of the bot's CPU under load). Keyed by id and checked by identity,
# so a reloaded catalogue's films get new ones.
_ARTICLES: dict[tuple[str, Language, str], tuple[Film, InlineQueryResultArticle]] = {}


def article(film: Film, lang: Language, bot_username: str) -> InlineQueryResultArticle:
    key = (film.id, lang, bot_username)
    cached = _ARTICLES.get(key)
    if cached is not None and cached[0] is film:
        return cached[1]
    built = _article(film, lang, bot_username)
    _ARTICLES[key] = (film, built)
    return built


def _article(film: Film, lang: Language, bot_username: str) -> InlineQueryResultArticle:
    first, second = titles(film, lang)
    return InlineQueryResultArticle(
        id=film.id,
        title=f"{first} ({film.year})",
        description=" · ".join([second, *film.directors[:1]]),
        input_message_content=InputTextMessageContent(render_card(film, lang), parse_mode=ParseMode.HTML),
        reply_markup=shared_card_keyboard(film, lang, bot_username),
    )


async def answer_inline_query(update: Update, context: BotContext) -> None:
    query, user = update.inline_query, update.effective_user
    if query is None or user is None:
        return
    lang = await context.core.users.language(user.id, user.language_code)
    offset = int(query.offset) if query.offset.isdigit() else 0
    page = await context.core.films.inline_page(query.query, offset, PAGE_SIZE)
    await query.answer(
        [article(film, lang, context.bot.username) for film in page.films],
        cache_time=CACHE_SECONDS,
        is_personal=True,
        next_offset=str(page.next_offset) if page.next_offset is not None else "",
    )
