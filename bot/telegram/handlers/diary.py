"""The diary: rating a film just marked watched, /diary (what you watched, when, your stars) and /top
(the films everyone rates best)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.constants import ChatType

from bot.core.catalogue.model import Film
from bot.core.films.card import titles, verdict_text
from bot.core.models import Language, stars
from bot.core.services import Core
from bot.core.texts import format_day, text
from bot.telegram.callbacks import FilmId, HalfStars, Page, Payload, RowId, button, pager_row
from bot.telegram.context import BotContext
from bot.telegram.replies import edit, redraw, reply

from .card import OpenSettings, WatchAgain, film_rows, is_daily_card, redraw_card_buttons
from .common import Handlers, Incoming, Press, in_private_only, unless_unchanged

handlers = Handlers()

PAGE_SIZE = 10


@dataclass(frozen=True)
class Rate(Payload, action="rate"):
    """A star button under a film just marked watched: rates that viewing (1-10 half stars)."""

    viewing_id: RowId
    half_stars: HalfStars


@dataclass(frozen=True)
class WatchedEarlier(Payload, action="earl"):
    """📅 Earlier, not today: the viewing keeps no date."""

    viewing_id: RowId


@dataclass(frozen=True)
class NoRating(Payload, action="norate"):
    """✓ No rating: the card's own buttons again."""

    film_id: FilmId


@dataclass(frozen=True)
class DiaryPage(Payload, action="diary"):
    page: Page


def rating_keyboard(
    film: Film, viewing_id: int, language: Language, daily: bool = False
) -> InlineKeyboardMarkup:
    """Under a film just marked watched: ½★ to 5★, "earlier, not today", and no rating; on the film
    of the day (`daily`) its ⚙ stays, so the card it turns back into is the film of the day's again."""
    labels = ["½", "1", "1½", "2", "2½", "3", "3½", "4", "4½", "5"]
    stars = [button(f"{label}★", Rate(viewing_id, half)) for half, label in enumerate(labels, 1)]
    rows = [
        stars[:5],
        stars[5:],
        [
            button(text(language, "button_watched_earlier"), WatchedEarlier(viewing_id)),
            button(text(language, "button_no_rating"), NoRating(film.id)),
        ],
    ]
    if daily:
        rows.append([button(text(language, "button_daily_settings"), OpenSettings())])
    return InlineKeyboardMarkup(rows)


def diary_keyboard(films: Sequence[Film], page: int, pages: int, language: Language) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([*film_rows(films, language), pager_row(DiaryPage, page, pages)])


@handlers.press(Rate)
async def press_rate(pressed: Press[Rate], context: BotContext) -> None:
    """A star under a film just marked watched: the viewing's rating, and the card's buttons back."""
    film_id = await context.core.diary.rate(
        pressed.user.id, pressed.payload.viewing_id, pressed.payload.half_stars
    )
    if film_id is None:
        await pressed.answer(text(pressed.lang, "stale_button"))
        return
    await pressed.answer(text(pressed.lang, "rated", stars=stars(pressed.payload.half_stars)))
    await _card_buttons_back(context, pressed, film_id)


@handlers.press(WatchAgain)
async def press_watched_again(pressed: Press[WatchAgain], context: BotContext) -> None:
    """🔁 Watched again: another diary entry, today, and the stars to rate it."""
    film = await pressed.film(context, pressed.payload.film_id)
    if film is None or pressed.message is None:
        return
    viewing = await context.core.diary.watched(pressed.user.id, film)
    await pressed.answer(text(pressed.lang, "watched_again"))
    async with unless_unchanged():
        daily = is_daily_card(pressed.message.reply_markup)
        await redraw(pressed.message, rating_keyboard(film, viewing, pressed.lang, daily))


@handlers.press(WatchedEarlier)
async def press_earlier(pressed: Press[WatchedEarlier], context: BotContext) -> None:
    """📅 Earlier, not today: the viewing keeps no date; the stars stay, to rate it still."""
    done = await context.core.diary.earlier(pressed.user.id, pressed.payload.viewing_id)
    await pressed.answer(text(pressed.lang, "rated_earlier" if done else "stale_button"))


@handlers.press(NoRating)
async def press_no_rating(pressed: Press[NoRating], context: BotContext) -> None:
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
            if viewing.watched_on.year != core.films.today().year:
                when += f" {viewing.watched_on.year}"
        rating = f" {stars(viewing.rating)}" if viewing.rating else ""
        year = f" ({film.year})" if film else ""
        lines.append(f"{escape(when)} · <b>{escape(name)}</b>{year}{rating}")
        if film is not None and film.id not in film_ids:
            film_ids.append(film.id)
    return "\n".join(lines), film_ids, number, pages


@handlers.command("diary")
async def show_diary(got: Incoming, context: BotContext) -> None:
    if not await in_private_only(context, got, "diary"):
        return
    body, film_ids, number, pages = diary_page(context.core, got.user.id, 0, got.lang)
    films = [f for f in map(context.core.films.get, film_ids) if f is not None]
    await reply(got.message, body, html=True, keyboard=diary_keyboard(films, number, pages, got.lang))


@handlers.press(DiaryPage)
async def turn_diary_page(pressed: Press[DiaryPage], context: BotContext) -> None:
    body, film_ids, number, pages = diary_page(
        context.core, pressed.user.id, pressed.payload.page, pressed.lang
    )
    films = [f for f in map(context.core.films.get, film_ids) if f is not None]
    await pressed.answer()
    async with unless_unchanged():
        await edit(
            pressed.query, body, html=True, keyboard=diary_keyboard(films, number, pages, pressed.lang)
        )


@handlers.command("top")
async def show_top(got: Incoming, context: BotContext) -> None:
    """/top: the catalogue by the community's ratings; in a private chat, your own beside each."""
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
