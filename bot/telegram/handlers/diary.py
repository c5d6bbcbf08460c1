"""The diary: rating a film just marked watched, /diary (what you watched, when, your stars) and /top
(the films everyone rates best)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.constants import ChatType

from bot.core.catalogue.model import Film
from bot.core.diary.page import DiarySheet, render_top
from bot.core.models import Language, stars
from bot.core.texts import text
from bot.telegram.callbacks import FilmId, HalfStars, Page, Payload, RowId, button, pager_row
from bot.telegram.context import BotContext
from bot.telegram.replies import edit, redraw, reply

from .card import OpenSettings, WatchAgain, film_of, film_rows, is_daily_card, redraw_card_buttons
from .common import Handlers, Incoming, Press, in_private_only, unless_unchanged

handlers = Handlers()


@dataclass(frozen=True)
class Rate(Payload, action="rt"):
    """A star button under a film just marked watched: rates that viewing of that film (1-10 half
    stars). Naming the film too, a button that outlived its viewing can never rate another's."""

    film_id: FilmId
    viewing_id: RowId
    half_stars: HalfStars


@dataclass(frozen=True)
class WatchedEarlier(Payload, action="erl"):
    """📅 Earlier, not today: that viewing of that film keeps no date."""

    film_id: FilmId
    viewing_id: RowId


@dataclass(frozen=True)
class RateOlder(Payload, action="rate"):
    """A star button of an older release, which named only the viewing: its film is the one the
    message's other buttons name."""

    viewing_id: RowId
    half_stars: HalfStars


@dataclass(frozen=True)
class WatchedEarlierOlder(Payload, action="earl"):
    """📅 of an older release, which named only the viewing."""

    viewing_id: RowId


@dataclass(frozen=True)
class NoRating(Payload, action="norate"):
    """✓ No rating: the card's own buttons again."""

    film_id: FilmId


@dataclass(frozen=True)
class TurnDiaryPage(Payload, action="diary"):
    page: Page


def rating_keyboard(
    film: Film, viewing_id: int, language: Language, daily: bool = False
) -> InlineKeyboardMarkup:
    """Under a film just marked watched: ½★ to 5★, "earlier, not today", and no rating; on the film
    of the day (`daily`) its ⚙ stays, so the card it turns back into is the film of the day's again."""
    labels = ["½", "1", "1½", "2", "2½", "3", "3½", "4", "4½", "5"]
    stars = [button(f"{label}★", Rate(film.id, viewing_id, half)) for half, label in enumerate(labels, 1)]
    rows = [
        stars[:5],
        stars[5:],
        [
            button(text(language, "button_watched_earlier"), WatchedEarlier(film.id, viewing_id)),
            button(text(language, "button_no_rating"), NoRating(film.id)),
        ],
    ]
    if daily:
        rows.append([button(text(language, "button_daily_settings"), OpenSettings())])
    return InlineKeyboardMarkup(rows)


def diary_keyboard(sheet: DiarySheet, language: Language) -> InlineKeyboardMarkup:
    """A button per film on the page, opening its card, and ◀ ▶."""
    return InlineKeyboardMarkup(
        [*film_rows(sheet.films, language), pager_row(TurnDiaryPage, sheet.number, sheet.pages)]
    )


@handlers.press(Rate)
async def press_rate(pressed: Press[Rate], context: BotContext) -> None:
    """A star under a film just marked watched: the viewing's rating, and the card's buttons back."""
    payload = pressed.payload
    await rate(pressed, context, payload.film_id, payload.viewing_id, payload.half_stars)


@handlers.press(RateOlder)
async def press_older_rate(pressed: Press[RateOlder], context: BotContext) -> None:
    film_id = film_of(pressed.message.reply_markup) if pressed.message else None
    await rate(pressed, context, film_id, pressed.payload.viewing_id, pressed.payload.half_stars)


async def rate(
    pressed: Press[Any], context: BotContext, film_id: str | None, viewing_id: int, half_stars: int
) -> None:
    if film_id is None or not await context.core.diary.rate(pressed.user.id, film_id, viewing_id, half_stars):
        await out_of_date(pressed, context, film_id)
        return
    await pressed.answer(text(pressed.lang, "rated", stars=stars(half_stars)))
    await _card_buttons_back(context, pressed, film_id)


async def out_of_date(pressed: Press[Any], context: BotContext, film_id: str | None) -> None:
    """A button whose viewing is gone, or not of the message's film: nothing changes, and the
    message shows where things stand now."""
    await pressed.answer(text(pressed.lang, "out_of_date"))
    if film_id is not None:
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
    await earlier(pressed, context, pressed.payload.film_id, pressed.payload.viewing_id)


@handlers.press(WatchedEarlierOlder)
async def press_older_earlier(pressed: Press[WatchedEarlierOlder], context: BotContext) -> None:
    film_id = film_of(pressed.message.reply_markup) if pressed.message else None
    await earlier(pressed, context, film_id, pressed.payload.viewing_id)


async def earlier(pressed: Press[Any], context: BotContext, film_id: str | None, viewing_id: int) -> None:
    if film_id is None or not await context.core.diary.earlier(pressed.user.id, film_id, viewing_id):
        await out_of_date(pressed, context, film_id)
        return
    await pressed.answer(text(pressed.lang, "rated_earlier"))


@handlers.press(NoRating)
async def press_no_rating(pressed: Press[NoRating], context: BotContext) -> None:
    await pressed.answer()
    await _card_buttons_back(context, pressed, pressed.payload.film_id)


async def _card_buttons_back(context: BotContext, pressed: Press[Any], film_id: str) -> None:
    film, message = context.core.films.get(film_id), pressed.message
    if film is not None and message is not None:
        await redraw_card_buttons(context, pressed, film, message)


@handlers.command("diary")
async def show_diary(got: Incoming, context: BotContext) -> None:
    if not await in_private_only(context, got, "diary"):
        return
    sheet = await context.core.diary.page(got.user.id, 0, got.lang)
    await reply(got.message, sheet.text, html=True, keyboard=diary_keyboard(sheet, got.lang))


@handlers.press(TurnDiaryPage)
async def turn_diary_page(pressed: Press[TurnDiaryPage], context: BotContext) -> None:
    sheet = await context.core.diary.page(pressed.user.id, pressed.payload.page, pressed.lang)
    await pressed.answer()
    async with unless_unchanged():
        await edit(pressed.query, sheet.text, html=True, keyboard=diary_keyboard(sheet, pressed.lang))


@handlers.command("top")
async def show_top(got: Incoming, context: BotContext) -> None:
    """/top: the catalogue by the community's ratings; in a private chat, your own beside each."""
    private = got.message.chat.type == ChatType.PRIVATE
    body = render_top(context.core.diary.top(got.user.id), got.lang, own=private)
    await reply(got.message, body, html=True)
