"""Inline mode: `@bot <anything>` in any chat finds films and shares their cards."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import ParseMode

from bot.catalogue import Film, Language
from bot.keyboards import shared_card_keyboard
from bot.texts.cards import render_card, titles

from .common import Context, language, services

PAGE_SIZE = 50  # Telegram's limit per answer
CACHE_SECONDS = 300  # the catalogue changes rarely; answers are per user (their language)


def article(film: Film, lang: Language, bot_username: str) -> InlineQueryResultArticle:
    first, second = titles(film, lang)
    return InlineQueryResultArticle(
        id=film.id,
        title=f"{first} ({film.year})",
        description=" · ".join([second, *film.directors[:1]]),
        input_message_content=InputTextMessageContent(render_card(film, lang), parse_mode=ParseMode.HTML),
        reply_markup=shared_card_keyboard(film, lang, bot_username),
    )


async def answer_inline_query(update: Update, context: Context) -> None:
    query = update.inline_query
    if query is None:
        return
    lang = await language(update, context)
    core = services(context)
    offset = int(query.offset) if query.offset.isdigit() else 0
    if query.query.strip():
        films = [m.film for m in core.index.search(query.query, limit=PAGE_SIZE + 1, offset=offset)]
    else:
        today = await core.film_of_the_day(core.today())
        everything = [today, *(f for f in core.catalogue.alphabetical if f.id != today.id)]
        films = everything[offset : offset + PAGE_SIZE + 1]
    page = films[:PAGE_SIZE]
    await query.answer(
        [article(film, lang, context.bot.username) for film in page],
        cache_time=CACHE_SECONDS,
        is_personal=True,
        next_offset=str(offset + PAGE_SIZE) if len(films) > PAGE_SIZE else "",
    )
