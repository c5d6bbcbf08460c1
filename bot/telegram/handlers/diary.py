"""The diary: rating a film just marked watched, /diary (what you watched, when, your stars) and /top
(the films everyone rates best)."""

from __future__ import annotations

from html import escape
from typing import Any

from telegram import Update
from telegram.constants import ChatType

from bot.core.films.card import titles, verdict_text
from bot.core.models import Language, stars
from bot.core.services import Core
from bot.core.texts import format_day, text
from bot.telegram.context import BotContext
from bot.telegram.handlers.common import (
    Press,
    in_private_only,
    incoming,
    press,
    redraw_card_buttons,
    unless_unchanged,
)
from bot.telegram.keyboards import (
    DiaryPage,
    NoRating,
    Rate,
    WatchAgain,
    WatchedEarlier,
    diary_keyboard,
    is_daily_card,
    rating_keyboard,
)
from bot.telegram.replies import edit, redraw, reply

PAGE_SIZE = 10


async def press_rate(update: Update, context: BotContext) -> None:
    """A star under a film just marked watched: the viewing's rating, and the card's buttons back."""
    pressed = await press(update, context, Rate)
    if pressed is None:
        return
    film_id = await context.core.diary.rate(
        pressed.user.id, pressed.payload.viewing_id, pressed.payload.half_stars
    )
    if film_id is None:
        await pressed.answer(text(pressed.lang, "stale_button"))
        return
    await pressed.answer(text(pressed.lang, "rated", stars=stars(pressed.payload.half_stars)))
    await _card_buttons_back(context, pressed, film_id)


async def press_watched_again(update: Update, context: BotContext) -> None:
    """🔁 Watched again: another diary entry, today, and the stars to rate it."""
    pressed = await press(update, context, WatchAgain)
    film = await pressed.film(context, pressed.payload.film_id) if pressed else None
    if pressed is None or film is None or pressed.message is None:
        return
    viewing = await context.core.diary.watched(pressed.user.id, film)
    await pressed.answer(text(pressed.lang, "watched_again"))
    async with unless_unchanged():
        daily = is_daily_card(pressed.message.reply_markup)
        await redraw(pressed.message, rating_keyboard(film, viewing, pressed.lang, daily))


async def press_earlier(update: Update, context: BotContext) -> None:
    """📅 Earlier, not today: the viewing keeps no date; the stars stay, to rate it still."""
    pressed = await press(update, context, WatchedEarlier)
    if pressed is None:
        return
    done = await context.core.diary.earlier(pressed.user.id, pressed.payload.viewing_id)
    await pressed.answer(text(pressed.lang, "rated_earlier" if done else "stale_button"))


async def press_no_rating(update: Update, context: BotContext) -> None:
    pressed = await press(update, context, NoRating)
    if pressed is None:
        return
    await pressed.answer()
    await _card_buttons_back(context, pressed, pressed.payload.film_id)


async def _card_buttons_back(context: BotContext, pressed: Press[Any], film_id: str) -> None:
    film, message = context.core.films.get(film_id), pressed.message
    if film is not None and message is not None:
        await redraw_card_buttons(context, pressed, film, message)


def diary_page(core: Core, user_id: int, number: int, lang: Language) -> tuple[str, list[str], int, int]:
    """The page's text, the films its buttons open, the page shown and how many there are."""
    entries = core.diary.entries(user_id)
    pages = max(1, -(-len(entries) // PAGE_SIZE))
    number = min(max(number, 0), pages - 1)
    if not entries:
        return text(lang, "diary_empty"), [], 0, 1
    lines = [text(lang, "diary_page", page=number + 1, pages=pages), ""]
    shown = entries[number * PAGE_SIZE : (number + 1) * PAGE_SIZE]
    film_ids = []
    for viewing in shown:
        film = core.films.get(viewing.film_id)
        name = titles(film, lang)[0] if film else viewing.film_id
        when = text(lang, "diary_earlier")
        if viewing.watched_on is not None:
            when = format_day(lang, viewing.watched_on)
            if viewing.watched_on.year != core.diary.today().year:
                when += f" {viewing.watched_on.year}"
        rating = f" {stars(viewing.rating)}" if viewing.rating else ""
        year = f" ({film.year})" if film else ""
        lines.append(f"{escape(when)} · <b>{escape(name)}</b>{year}{rating}")
        if film is not None and film.id not in film_ids:
            film_ids.append(film.id)
    return "\n".join(lines), film_ids, number, pages


async def show_diary(update: Update, context: BotContext) -> None:
    got = await incoming(update, context)
    if got is None or not await in_private_only(context, got, "diary"):
        return
    body, film_ids, number, pages = diary_page(context.core, got.user.id, 0, got.lang)
    films = [f for f in map(context.core.films.get, film_ids) if f is not None]
    await reply(got.message, body, html=True, keyboard=diary_keyboard(films, number, pages, got.lang))


async def turn_diary_page(update: Update, context: BotContext) -> None:
    pressed = await press(update, context, DiaryPage)
    if pressed is None:
        return
    body, film_ids, number, pages = diary_page(
        context.core, pressed.user.id, pressed.payload.page, pressed.lang
    )
    films = [f for f in map(context.core.films.get, film_ids) if f is not None]
    await pressed.answer()
    async with unless_unchanged():
        await edit(
            pressed.query, body, html=True, keyboard=diary_keyboard(films, number, pages, pressed.lang)
        )


async def show_top(update: Update, context: BotContext) -> None:
    """/top: the catalogue by the community's ratings; in a private chat, your own beside each."""
    got = await incoming(update, context)
    if got is None:
        return
    ranked = context.core.diary.top(got.user.id)
    if not ranked:
        await reply(got.message, text(got.lang, "top_empty"))
        return
    lines = [text(got.lang, "top_heading"), ""]
    for number, one in enumerate(ranked, 1):
        name = escape(titles(one.film, got.lang)[0])
        parts = [verdict_text(one.verdict, got.lang) if one.verdict else text(got.lang, "top_few")]
        if one.own is not None and got.message.chat.type == ChatType.PRIVATE:
            parts.append(text(got.lang, "top_yours", stars=stars(one.own)))
        lines.append(f"{number}. <b>{name}</b> ({one.film.year}) — {' · '.join(parts)}")
    await reply(got.message, "\n".join(lines), html=True)
