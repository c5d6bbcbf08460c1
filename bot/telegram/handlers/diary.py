"""The diary: rating a film just marked watched, /diary (what you watched, when, your stars), each
entry opened to change its date or rating or to delete it, and /top (the films everyone rates best).

Every button of an entry names its film and its viewing: one that outlived the entry (deleted, or
changed through another message) changes nothing and shows the diary as it is now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any

from telegram import InlineKeyboardMarkup
from telegram.constants import ChatType

from bot.core.catalogue.model import Film
from bot.core.diary.page import DiarySheet, EntrySheet, render_top
from bot.core.models import Language, stars
from bot.core.texts import strings, text
from bot.core.watchlists.service import Change
from bot.telegram.callbacks import FilmId, HalfStars, Page, Payload, RowId, Wire, Year, button, pager_row
from bot.telegram.context import BotContext
from bot.telegram.replies import edit, redraw, reply

from .card import OpenFilm, OpenSettings, WatchAgain, film_of, is_daily_card, redraw_card_buttons
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


# Two-letter actions: an entry's buttons carry a film id (up to 40 bytes) and up to two row ids.


@dataclass(frozen=True)
class OpenEntry(Payload, action="eo"):
    """An entry of /diary (or ◀ Back to it): the entry, with the buttons that change it."""

    film_id: FilmId
    viewing_id: RowId


@dataclass(frozen=True)
class RateEntry(Payload, action="er"):
    film_id: FilmId
    viewing_id: RowId
    half_stars: HalfStars


@dataclass(frozen=True)
class UnrateEntry(Payload, action="ex"):
    film_id: FilmId
    viewing_id: RowId


@dataclass(frozen=True)
class PickEntryDate(Payload, action="ep"):
    """📅 Change the date (and ◀ ▶ between years): the days and months to choose from."""

    film_id: FilmId
    viewing_id: RowId
    year: Year


EntryDay = Annotated[str, Wire(r"[tyn]|(18|19|20)\d\d(0[1-9]|1[0-2])")]  # today, yesterday, none, YYYYMM


@dataclass(frozen=True)
class DateEntry(Payload, action="ed"):
    film_id: FilmId
    viewing_id: RowId
    day: EntryDay


@dataclass(frozen=True)
class DeleteEntry(Payload, action="eg"):
    film_id: FilmId
    viewing_id: RowId


@dataclass(frozen=True)
class UndoEntry(Payload, action="eu"):
    """↶ Undo under a deleted entry: the entry is back, and open again."""

    film_id: FilmId
    viewing_id: RowId
    undo_id: RowId


def rating_keyboard(
    film: Film, viewing_id: int, language: Language, daily: bool = False
) -> InlineKeyboardMarkup:
    """Under a film just marked watched: ½★ to 5★, "earlier, not today", and no rating; on the film
    of the day (`daily`) its ⚙ stays, so the card it turns back into is the film of the day's again."""
    stars = [
        button(f"{label}★", Rate(film.id, viewing_id, half)) for half, label in enumerate(STAR_LABELS, 1)
    ]
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


STAR_LABELS = ["½", "1", "1½", "2", "2½", "3", "3½", "4", "4½", "5"]


def diary_keyboard(sheet: DiarySheet, language: Language) -> InlineKeyboardMarkup:
    """A button per entry on the page ("12 May · Asya"), opening it, and ◀ ▶."""
    rows = [[button(line.label, OpenEntry(line.film_id, line.viewing_id))] for line in sheet.lines]
    return InlineKeyboardMarkup([*rows, pager_row(TurnDiaryPage, sheet.number, sheet.pages)])


def entry_keyboard(sheet: EntrySheet, language: Language, today: date) -> InlineKeyboardMarkup:
    """Under an opened entry: its stars (the one given marked ✓), the date, no rating, delete, the
    film's card and the diary's page."""
    viewing = sheet.viewing
    film_id, viewing_id = viewing.film_id, viewing.id
    stars = [
        button(f"{'✓' if half == viewing.rating else ''}{label}★", RateEntry(film_id, viewing_id, half))
        for half, label in enumerate(STAR_LABELS, 1)
    ]
    year = viewing.watched_on.year if viewing.watched_on else today.year
    changes = [button(text(language, "button_entry_date"), PickEntryDate(film_id, viewing_id, year))]
    if viewing.rating is not None:
        changes.append(button(text(language, "button_entry_unrate"), UnrateEntry(film_id, viewing_id)))
    leave = [button(text(language, "button_entry_diary"), TurnDiaryPage(sheet.page))]
    if sheet.film is not None:
        leave.insert(0, button(text(language, "button_entry_card"), OpenFilm(sheet.film.id)))
    return InlineKeyboardMarkup(
        [
            stars[:5],
            stars[5:],
            changes,
            [button(text(language, "button_entry_delete"), DeleteEntry(film_id, viewing_id))],
            leave,
        ]
    )


def date_keyboard(sheet: EntrySheet, year: int, language: Language, today: date) -> InlineKeyboardMarkup:
    """Today, yesterday, the months of `year` up to this one (the one given marked ✓), ◀ ▶ between
    years from the film's to this one, no date, and back to the entry."""
    viewing = sheet.viewing
    film_id, viewing_id = viewing.film_id, viewing.id
    first = sheet.film.year if sheet.film is not None else 1895
    last_month = today.month if year == today.year else 12
    names = strings(language, "months_alone")
    chosen = viewing.watched_on if viewing.month_only else None
    months = [
        button(
            f"{'✓' if chosen and (chosen.year, chosen.month) == (year, month) else ''}{names[month - 1]}",
            DateEntry(film_id, viewing_id, f"{year}{month:02}"),
        )
        for month in range(1, last_month + 1)
    ]
    years = []
    if year > first:
        years.append(button(f"◀ {year - 1}", PickEntryDate(film_id, viewing_id, year - 1)))
    if year < today.year:
        years.append(button(f"{year + 1} ▶", PickEntryDate(film_id, viewing_id, year + 1)))
    days = [button(text(language, "button_today"), DateEntry(film_id, viewing_id, "t"))]
    if today - timedelta(days=1) >= date(first, 1, 1):
        days.append(button(text(language, "button_yesterday"), DateEntry(film_id, viewing_id, "y")))
    return InlineKeyboardMarkup(
        [
            days,
            *(months[row : row + 3] for row in range(0, len(months), 3)),
            years,
            [button(text(language, "button_no_date"), DateEntry(film_id, viewing_id, "n"))],
            [button(text(language, "button_back"), OpenEntry(film_id, viewing_id))],
        ]
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
    await pressed.answer(await rated(context, pressed, film_id, half_stars))
    await _card_buttons_back(context, pressed, film_id)


async def rated(context: BotContext, pressed: Press[Any], film_id: str, half_stars: int | None) -> str:
    """The toast of a rating given or taken away; when another viewing, a later one, gives the
    film its rating, it says so."""
    if half_stars is None:
        return text(pressed.lang, "entry_unrated")
    kept = await context.core.diary.own(pressed.user.id, film_id)
    if kept is not None and kept != half_stars:
        return text(pressed.lang, "rated_not_latest", stars=stars(half_stars), kept=stars(kept))
    return text(pressed.lang, "rated", stars=stars(half_stars))


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
    await pressed.answer()
    await _show_page(pressed, context, pressed.payload.page)


@handlers.command("top")
async def show_top(got: Incoming, context: BotContext) -> None:
    """/top: the catalogue by the community's ratings; in a private chat, your own beside each."""
    private = got.message.chat.type == ChatType.PRIVATE
    body = render_top(await context.core.diary.top(got.user.id), got.lang, own=private)
    await reply(got.message, body, html=True)


async def _opened(
    pressed: Press[Any], context: BotContext, film_id: str, viewing_id: int
) -> EntrySheet | None:
    """The entry a button names, if it is still the presser's viewing of that film; else the
    toast that says the buttons were out of date, and the diary as it is now."""
    sheet = await context.core.diary.opened(pressed.user.id, viewing_id, pressed.lang)
    if sheet is None or sheet.viewing.film_id != film_id:
        await _diary_now(pressed, context, 0)
        return None
    return sheet


async def _diary_now(pressed: Press[Any], context: BotContext, page: int) -> None:
    await pressed.answer(text(pressed.lang, "out_of_date"))
    await _show_page(pressed, context, page)


async def _show_page(pressed: Press[Any], context: BotContext, page: int) -> None:
    sheet = await context.core.diary.page(pressed.user.id, page, pressed.lang)
    async with unless_unchanged():
        await edit(pressed.query, sheet.text, html=True, keyboard=diary_keyboard(sheet, pressed.lang))


async def _show_entry(pressed: Press[Any], context: BotContext, sheet: EntrySheet) -> None:
    today = context.core.films.today()
    async with unless_unchanged():
        await edit(pressed.query, sheet.text, html=True, keyboard=entry_keyboard(sheet, pressed.lang, today))


async def _reopened(pressed: Press[Any], context: BotContext, viewing_id: int) -> None:
    """The entry again, after a change (or the diary's first page, should it be gone meanwhile)."""
    sheet = await context.core.diary.opened(pressed.user.id, viewing_id, pressed.lang)
    if sheet is None:
        await _show_page(pressed, context, 0)
    else:
        await _show_entry(pressed, context, sheet)


@handlers.press(OpenEntry)
async def press_entry(pressed: Press[OpenEntry], context: BotContext) -> None:
    sheet = await _opened(pressed, context, pressed.payload.film_id, pressed.payload.viewing_id)
    if sheet is not None:
        await pressed.answer()
        await _show_entry(pressed, context, sheet)


@handlers.press(RateEntry)
async def press_rate_entry(pressed: Press[RateEntry], context: BotContext) -> None:
    await rerate(
        pressed, context, pressed.payload.film_id, pressed.payload.viewing_id, pressed.payload.half_stars
    )


@handlers.press(UnrateEntry)
async def press_unrate_entry(pressed: Press[UnrateEntry], context: BotContext) -> None:
    await rerate(pressed, context, pressed.payload.film_id, pressed.payload.viewing_id, None)


async def rerate(
    pressed: Press[Any], context: BotContext, film_id: str, viewing_id: int, half_stars: int | None
) -> None:
    if not await context.core.diary.rate(pressed.user.id, film_id, viewing_id, half_stars):
        await _diary_now(pressed, context, 0)
        return
    await pressed.answer(await rated(context, pressed, film_id, half_stars))
    await _reopened(pressed, context, viewing_id)


@handlers.press(PickEntryDate)
async def press_pick_date(pressed: Press[PickEntryDate], context: BotContext) -> None:
    """The days and months to date the entry by, in the year the button names."""
    payload = pressed.payload
    sheet = await _opened(pressed, context, payload.film_id, payload.viewing_id)
    if sheet is None:
        return
    today = context.core.films.today()
    year = min(payload.year, today.year)
    if sheet.film is not None:
        year = max(year, sheet.film.year)
    await pressed.answer()
    body = text(pressed.lang, "entry_pick_date", title=sheet.title, year=year)
    async with unless_unchanged():
        await edit(pressed.query, body, html=True, keyboard=date_keyboard(sheet, year, pressed.lang, today))


def _chosen_day(code: str, today: date) -> tuple[date | None, bool]:
    """A date button's day: (the date, whether only its month is meant)."""
    if code == "n":
        return None, False
    if code in ("t", "y"):
        return today - timedelta(days=code == "y"), False
    return date(int(code[:4]), int(code[4:]), 1), True


@handlers.press(DateEntry)
async def press_date(pressed: Press[DateEntry], context: BotContext) -> None:
    payload = pressed.payload
    day, month_only = _chosen_day(payload.day, context.core.films.today())
    try:
        changed = await context.core.diary.redate(
            pressed.user.id, payload.film_id, payload.viewing_id, day, month_only
        )
    except ValueError:  # before the film was made, or after today: no such button is offered
        changed = False
    sheet = (
        await context.core.diary.opened(pressed.user.id, payload.viewing_id, pressed.lang)
        if changed
        else None
    )
    if sheet is None:
        await _diary_now(pressed, context, 0)
        return
    await pressed.answer(text(pressed.lang, "entry_dated", when=sheet.when))
    await _show_entry(pressed, context, sheet)


@handlers.press(DeleteEntry)
async def press_delete(pressed: Press[DeleteEntry], context: BotContext) -> None:
    """🗑 Delete this entry: gone at once, with ↶ Undo on the same message."""
    payload = pressed.payload
    sheet = await _opened(pressed, context, payload.film_id, payload.viewing_id)
    if sheet is None:
        return
    changed = await context.core.watchlists.delete_viewing(
        pressed.user.id, payload.film_id, payload.viewing_id
    )
    if changed.change is not Change.DONE or changed.undo is None:
        await _diary_now(pressed, context, sheet.page)
        return
    await pressed.answer(text(pressed.lang, "entry_deleted_toast"))
    key = "entry_deleted" if changed.entries else "entry_deleted_last"
    body = text(pressed.lang, key, title=sheet.title, when=sheet.when)
    keyboard = InlineKeyboardMarkup(
        [
            [
                button(
                    text(pressed.lang, "button_undo"),
                    UndoEntry(payload.film_id, payload.viewing_id, changed.undo),
                )
            ],
            [button(text(pressed.lang, "button_entry_diary"), TurnDiaryPage(sheet.page))],
        ]
    )
    await edit(pressed.query, body, html=True, keyboard=keyboard)


@handlers.press(UndoEntry)
async def press_undo_entry(pressed: Press[UndoEntry], context: BotContext) -> None:
    """↶ Undo under a deleted entry: the film's diary, rating and mark as they were, and the entry
    open again; too late, the diary as it is."""
    payload = pressed.payload
    done = await context.core.watchlists.undo(pressed.user.id, payload.film_id, payload.undo_id)
    await pressed.answer(text(pressed.lang, "undone" if done else "undo_too_late"))
    await _reopened(pressed, context, payload.viewing_id)
