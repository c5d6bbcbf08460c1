"""Watchlists: the card buttons, /watchlist, /add, /remove, /export and "pick one for tonight"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from telegram import CallbackQuery, InlineKeyboardMarkup
from telegram.constants import ChatType
from telegram.ext import filters

from bot.core.catalogue.model import Film
from bot.core.catalogue.search import MAX_QUERY_CHARS, Verdict
from bot.core.films.card import titles
from bot.core.letterboxd.files import MAX_FILE_BYTES
from bot.core.models import Language, Refused
from bot.core.texts import text
from bot.core.watchlists.model import Entry, WatchlistVerb
from bot.core.watchlists.service import Change
from bot.telegram.callbacks import FilmId, Page, Payload, RowId, button, pager_row
from bot.telegram.context import BotContext
from bot.telegram.replies import edit, redraw, reply

from .card import ChangeWatchlist, OpenFilm, Undo, film_rows, is_daily_card, redraw_card_buttons, send_card
from .common import (
    PRIVATE,
    Handlers,
    Incoming,
    Press,
    command_argument,
    in_private_only,
    private_link,
    unless_unchanged,
)
from .diary import NoRating, out_of_date, rating_keyboard

handlers = Handlers()


@dataclass(frozen=True)
class ChooseForWatchlist(Payload, action="wlc"):
    """One film of the choice `/add <name>` or `/remove <name>` offers; the others stay usable."""

    verb: WatchlistVerb
    film_id: FilmId


@dataclass(frozen=True)
class RemoveGone(Payload, action="wlrm"):
    """✕ on a /watchlist film that left the catalogue; `page` is the page to redraw."""

    film_id: FilmId
    page: Page


@dataclass(frozen=True)
class ConfirmUnwatch(Payload, action="unw"):
    """🗑 Delete the diary entries and unmark, on the question ↩ Not watched asks."""

    film_id: FilmId


@dataclass(frozen=True)
class UndoOnList(Payload, action="undol"):
    """↶ Undo on the /watchlist page a film that left the catalogue was removed from."""

    undo_id: RowId
    page: Page


@dataclass(frozen=True)
class TurnWatchlistPage(Payload, action="wlp"):
    page: Page


@dataclass(frozen=True)
class PickForTonight(Payload, action="pick"):
    pass


_MARKS = {WatchlistVerb.ADD: "➕ ", WatchlistVerb.REMOVE: "✕ "}


def choice_keyboard(films: Sequence[Film], language: Language, verb: WatchlistVerb) -> InlineKeyboardMarkup:
    """A button per film that adds it to (or removes it from) the presser's list."""
    return InlineKeyboardMarkup(
        film_rows(films, language, lambda film: ChooseForWatchlist(verb, film.id), mark=_MARKS[verb])
    )


def watchlist_keyboard(
    entries: Sequence[Entry],
    number: int,
    pages: int,
    language: Language,
    names: Mapping[str, str],
    pickable: bool,
) -> InlineKeyboardMarkup:
    """A button per film on the page (open its card, or remove it if it left the catalogue),
    "pick one for tonight", and ◀ ▶."""
    rows = []
    for entry in entries:
        if entry.film_id in names:
            label = f"{'👁' if entry.watched else '🎬'} {names[entry.film_id]} ({entry.year})"
            rows.append([button(label, OpenFilm(entry.film_id))])
        else:
            label = text(language, "button_remove_gone", title=entry.title)
            rows.append([button(label, RemoveGone(entry.film_id, number))])
    if pickable:
        rows.append([button(text(language, "button_pick"), PickForTonight())])
    rows.append(pager_row(TurnWatchlistPage, number, pages))
    return InlineKeyboardMarkup(rows)


UNMATCHED_SHOWN = 20  # films named as not in the collection; the rest counted

_TOASTS = {
    (WatchlistVerb.ADD, Change.DONE): "wl_added",
    (WatchlistVerb.ADD, Change.NOTHING_TO_DO): "wl_already",
    (WatchlistVerb.ADD, Change.FILM_GONE): "film_gone",
    (WatchlistVerb.REMOVE, Change.DONE): "wl_removed",
    (WatchlistVerb.REMOVE, Change.NOTHING_TO_DO): "wl_not_there",
    (WatchlistVerb.WATCHED, Change.DONE): "wl_watched",
    (WatchlistVerb.WATCHED, Change.NOTHING_TO_DO): "wl_already_watched",  # it adds if need be
    (WatchlistVerb.UNWATCHED, Change.DONE): "wl_unwatched",
    (WatchlistVerb.UNWATCHED, Change.NOTHING_TO_DO): "wl_not_watched",
    (WatchlistVerb.REMOVE, Change.WATCHED): "wl_is_watched",
}


@handlers.press(ChangeWatchlist)
async def press_watchlist_button(pressed: Press[ChangeWatchlist], context: BotContext) -> None:
    """➕ / ✕ / 👁 / ↩ on any card: changes the presser's own list, then says so in a toast."""
    verb, film_id = pressed.payload.verb, pressed.payload.film_id
    film, message = context.core.films.get(film_id), pressed.message
    if message is not None and message.chat.type != ChatType.PRIVATE:
        # a member's list changes where only they see it: the film's card in their private chat
        await pressed.answer(url=private_link(context.bot.username, f"film_{film_id}"))
        return
    watchlists = context.core.watchlists
    changed = await watchlists.apply(pressed.user.id, verb, film_id)
    change, viewing = changed.change, changed.viewing  # `message`, if any, is in the private chat
    if viewing is not None and film is not None and message is not None:
        # the same message asks for an optional rating of the viewing just logged
        await pressed.answer(text(pressed.lang, "wl_watched_rate"))
        async with unless_unchanged():
            daily = is_daily_card(message.reply_markup)
            await redraw(message, rating_keyboard(film, viewing, pressed.lang, daily))
        return
    if change is Change.ASK and film is not None:
        # ↩ Not watched on a film with diary entries: asked in place, nothing deleted yet
        await pressed.answer(text(pressed.lang, "wl_unwatch_ask", count=changed.entries))
        if message is not None:
            async with unless_unchanged():
                await redraw(message, unwatch_keyboard(film, changed.entries, pressed.lang))
        return
    if change is Change.WATCHED and film is not None and message is not None:
        await out_of_date(pressed, context, film.id)  # ✕ left on a card of a film since watched
        return
    # one who never started the bot (a card a friend sent them): their list is kept, the link opens it
    started = await context.core.users.started(pressed.user.id)
    link = None if started else private_link(context.bot.username, "watchlist")
    await pressed.answer(text(pressed.lang, _TOASTS[verb, change]), url=link)
    # Only the presser's private chat shows their state; shared cards keep their neutral buttons.
    if film is not None and message is not None:
        await redraw_card_buttons(context, pressed, film, message, changed.undo)


@handlers.press(ConfirmUnwatch)
async def press_confirm_unwatch(pressed: Press[ConfirmUnwatch], context: BotContext) -> None:
    """🗑 on the question ↩ Not watched asked: unmarked, its diary entries deleted, and ↶ Undo."""
    film = await pressed.film(context, pressed.payload.film_id)
    if film is None:
        return
    user_id = pressed.user.id
    changed = await context.core.watchlists.apply(user_id, WatchlistVerb.UNWATCHED, film.id, confirmed=True)
    if changed.change is not Change.DONE:
        await out_of_date(pressed, context, film.id)
        return
    await pressed.answer(text(pressed.lang, "wl_unwatched_deleted"))
    if pressed.message is not None:
        await redraw_card_buttons(context, pressed, film, pressed.message, changed.undo)


@handlers.press(Undo)
async def press_undo(pressed: Press[Undo], context: BotContext) -> None:
    """↶ Undo: what the tap took away is back (the list row, the viewings, the rating)."""
    film_id = pressed.payload.film_id
    done = await context.core.watchlists.undo(pressed.user.id, film_id, pressed.payload.undo_id)
    await pressed.answer(text(pressed.lang, "undone" if done else "undo_too_late"))
    film = context.core.films.get(film_id)
    if film is not None and pressed.message is not None:
        await redraw_card_buttons(context, pressed, film, pressed.message)


def unwatch_keyboard(film: Film, entries: int, language: Language) -> InlineKeyboardMarkup:
    """The question ↩ Not watched asks when the film has diary entries."""
    return InlineKeyboardMarkup(
        [
            [button(text(language, "button_unwatch_delete", count=entries), ConfirmUnwatch(film.id))],
            [button(text(language, "button_unwatch_keep"), NoRating(film.id))],
        ]
    )


@handlers.press(ChooseForWatchlist)
async def press_choice(pressed: Press[ChooseForWatchlist], context: BotContext) -> None:
    """One film of the choice `/add <name>` or `/remove <name>` offered: acted on for the presser,
    said so in a toast; the message keeps its buttons, so the other films stay a tap away."""
    verb, film_id = pressed.payload.verb, pressed.payload.film_id
    change = await context.core.watchlists.change(pressed.user.id, verb, film_id)
    film = context.core.films.get(film_id)
    if film is None or change is Change.FILM_GONE:
        await pressed.answer(text(pressed.lang, "film_gone"))
        return
    _, done, not_done, _, _ = _BY_NAME[verb]
    await pressed.answer(
        text(pressed.lang, _named(change, done, not_done), title=titles(film, pressed.lang)[0])
    )


# the /watchlist view


async def _view(
    context: BotContext, user_id: int, number: int, lang: Language
) -> tuple[str, InlineKeyboardMarkup | None]:
    view = await context.core.watchlists.view(user_id, number, lang)
    if view is None:
        return text(lang, "wl_empty"), None
    page = view.page
    keyboard = watchlist_keyboard(page.entries, page.number, page.pages, lang, view.names, view.pickable)
    return page.text, keyboard


@handlers.command("watchlist")
async def show_watchlist(got: Incoming, context: BotContext) -> None:
    if not await in_private_only(context, got, "watchlist"):
        return
    body, keyboard = await _view(context, got.user.id, 0, got.lang)
    await reply(got.message, body, html=True, keyboard=keyboard)


async def _redraw(
    context: BotContext,
    query: CallbackQuery,
    user_id: int,
    number: int,
    lang: Language,
    undo: int | None = None,
) -> None:
    body, keyboard = await _view(context, user_id, number, lang)
    if undo is not None:
        row = [button(text(lang, "button_undo"), UndoOnList(undo, number))]
        keyboard = InlineKeyboardMarkup([*(keyboard.inline_keyboard if keyboard else ()), row])
    async with unless_unchanged():
        await edit(query, body, html=True, keyboard=keyboard)


@handlers.press(TurnWatchlistPage)
async def turn_watchlist_page(pressed: Press[TurnWatchlistPage], context: BotContext) -> None:
    await _redraw(context, pressed.query, pressed.user.id, pressed.payload.page, pressed.lang)
    await pressed.answer()


@handlers.press(RemoveGone)
async def press_remove_gone(pressed: Press[RemoveGone], context: BotContext) -> None:
    """✕ on a film that left the catalogue, in the /watchlist view."""
    user_id, payload = pressed.user.id, pressed.payload
    changed = await context.core.watchlists.apply(user_id, WatchlistVerb.REMOVE, payload.film_id)
    await _redraw(context, pressed.query, user_id, payload.page, pressed.lang, changed.undo)
    await pressed.answer(text(pressed.lang, _TOASTS[WatchlistVerb.REMOVE, changed.change]))


@handlers.press(UndoOnList)
async def press_undo_on_list(pressed: Press[UndoOnList], context: BotContext) -> None:
    done = await context.core.watchlists.undo(pressed.user.id, None, pressed.payload.undo_id)
    await _redraw(context, pressed.query, pressed.user.id, pressed.payload.page, pressed.lang)
    await pressed.answer(text(pressed.lang, "undone" if done else "undo_too_late"))


@handlers.press(PickForTonight)
async def pick_for_tonight(pressed: Press[PickForTonight], context: BotContext) -> None:
    film = await context.core.watchlists.pick_for_tonight(pressed.user.id)
    message = pressed.message
    if film is None or message is None:
        await pressed.answer(text(pressed.lang, "wl_nothing_to_pick"))
        return
    await pressed.answer()
    heading = text(pressed.lang, "wl_pick_heading")
    await send_card(context, message, pressed.user, film, pressed.lang, heading, quote=False)


# /add, /remove, /export


_BY_NAME = {  # the texts of each case: usage, done, nothing to do, which one, no match
    WatchlistVerb.ADD: (
        "wl_add_usage", "wl_added_named", "wl_already_named", "wl_which_add", "wl_add_nothing",
    ),
    WatchlistVerb.REMOVE: (
        "wl_remove_usage", "wl_removed_named", "wl_not_there_named", "wl_which_remove", "wl_remove_nothing",
    ),
}  # fmt: skip


def _named(change: Change | None, done: str, not_done: str) -> str:
    """The text for a change by name: done, not done, or (removing) kept because it is watched."""
    if change is Change.WATCHED:
        return "wl_watched_named"
    return done if change is Change.DONE else not_done


async def change_by_name(got: Incoming, context: BotContext, verb: WatchlistVerb, query: str) -> None:
    """`/add <name>` and `/remove <name>`. In a group, a button into the private chat instead (on
    the film, when the name is clear): a member's list is changed where only they see it."""
    lang = got.lang
    topic = "add" if verb is WatchlistVerb.ADD else "remove"
    if not got.private:
        found = context.core.films.find(query)
        film_id = found.films[0].id if found.verdict is Verdict.ONE else None
        await in_private_only(context, got, topic, film_id)
        return
    watchlists = context.core.watchlists
    add = verb is WatchlistVerb.ADD
    result = await (watchlists.add_by_name if add else watchlists.remove_by_name)(got.user.id, query)
    usage, done, not_done, which, nothing = _BY_NAME[verb]
    keyboard = None
    if result.verdict is Verdict.EMPTY:
        body = text(lang, usage)
    elif result.verdict is Verdict.TOO_LONG:
        body = escape(text(lang, "film_query_too_long", limit=MAX_QUERY_CHARS))
    elif result.verdict is Verdict.ONE and result.film is not None:
        key = _named(result.change, done, not_done)
        body = text(lang, key, title=escape(titles(result.film, lang)[0]))
    elif result.verdict is Verdict.SEVERAL:
        body, keyboard = (
            text(lang, which, query=escape(query)),
            choice_keyboard(result.films, lang, verb),
        )
    else:
        body = text(lang, nothing, query=escape(query))
    await reply(got.message, body, html=True, keyboard=keyboard)


@handlers.command("add")
async def add_by_name(got: Incoming, context: BotContext) -> None:
    await change_by_name(got, context, WatchlistVerb.ADD, command_argument(got.message))


@handlers.command("remove")
async def remove_by_name(got: Incoming, context: BotContext) -> None:
    await change_by_name(got, context, WatchlistVerb.REMOVE, command_argument(got.message))


async def change_film(got: Incoming, context: BotContext, topic: str, film_id: str) -> None:
    """`/start add_<film>` or `/start remove_<film>`, from a group's button: done here, privately."""
    verb = WatchlistVerb.ADD if topic == "add" else WatchlistVerb.REMOVE
    film = context.core.films.get(film_id)
    if film is None:
        await reply(got.message, text(got.lang, "film_gone"))
        return
    change = await context.core.watchlists.change(got.user.id, verb, film.id)
    _, done, not_done, _, _ = _BY_NAME[verb]
    key = _named(change, done, not_done)
    await reply(got.message, text(got.lang, key, title=escape(titles(film, got.lang)[0])), html=True)


@handlers.command("export")
async def export_watchlist(got: Incoming, context: BotContext) -> None:
    if not await in_private_only(context, got, "export"):
        return
    diary, to_watch = await context.core.letterboxd.export(got.user.id)
    if diary is None and to_watch is None:
        await reply(got.message, text(got.lang, "wl_export_empty"))
        return
    # two files, as Letterboxd imports them: the diary and ratings, and the films to watch
    for file, key in ((diary, "lb_export_diary"), (to_watch, "lb_export_watchlist")):
        if file is not None:
            caption = text(got.lang, key, count=file.rows)
            await got.message.reply_document(file.content, filename=file.name, caption=caption)


@handlers.message(PRIVATE & filters.Document.ALL)
async def import_letterboxd(got: Incoming, context: BotContext) -> None:
    """A file sent in the private chat: a Letterboxd export to import (or a clear refusal)."""
    document = got.message.document if got is not None else None
    if document is None:
        return
    if (document.file_size or 0) > MAX_FILE_BYTES:
        await reply(got.message, text(got.lang, "lb_too_big", limit=MAX_FILE_BYTES // 2**20))
        return
    content = bytes(await (await context.bot.get_file(document.file_id)).download_as_bytearray())
    try:
        result = await context.core.letterboxd.import_file(got.user.id, document.file_name or "", content)
    except Refused as exc:
        await reply(got.message, text(got.lang, exc.key, **exc.values))
        return
    lines = [
        text(got.lang, "lb_imported", to_watch=result.to_watch, watched=result.watched, rated=result.rated)
        if result.changed
        else text(got.lang, "lb_imported_again")
    ]
    if result.unmatched:
        names = [f"{title} ({year})" if year else title for title, year in result.unmatched[:UNMATCHED_SHOWN]]
        if len(result.unmatched) > UNMATCHED_SHOWN:
            names.append(text(got.lang, "lb_unmatched_more", count=len(result.unmatched) - UNMATCHED_SHOWN))
        lines.append(text(got.lang, "lb_unmatched", count=len(result.unmatched), names=", ".join(names)))
    await reply(got.message, "\n\n".join(lines))
