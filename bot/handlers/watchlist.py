"""Watchlists: the card buttons, /watchlist, /add, /remove, /export and "pick one for tonight"."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType, ParseMode

from bot.catalogue import Film, Language
from bot.keyboards import card_keyboard, film_choice_keyboard, watchlist_keyboard
from bot.search import MAX_QUERY_CHARS, Verdict
from bot.texts import text
from bot.texts.cards import titles
from bot.texts.watchlist import letterboxd_csv, render_watchlist

from .common import (
    Context,
    button_press,
    command_argument,
    language,
    personal_entry,
    pressed_message,
    send_card,
    services,
    unless_unchanged,
)

_TOASTS = {
    ("add", True): "wl_added",
    ("add", False): "wl_already",
    ("del", True): "wl_removed",
    ("del", False): "wl_not_there",
    ("seen", True): "wl_watched",
    ("seen", False): "wl_add_first",
    ("unseen", True): "wl_unwatched",
    ("unseen", False): "wl_add_first",
}


async def _change(context: Context, user_id: int, verb: str, film_id: str, film: Film | None) -> bool:
    """Apply one watchlist change; True if it changed anything. Returns after the write committed."""
    watchlist = services(context).storage.watchlist
    if verb == "add":
        assert film is not None
        return await watchlist.add(user_id, film.id, film.title, film.year)
    if verb == "del":
        return await watchlist.remove(user_id, film_id)
    return await watchlist.set_watched(user_id, film_id, watched=verb == "seen")


async def press_watchlist_button(update: Update, context: Context) -> None:
    """➕ / ✓ / 👁 on any card: changes the presser's own list, then says so in a toast."""
    press = button_press(update)
    if press is None:
        return
    query, user = press.query, press.user
    lang = await language(update, context)
    verb, film_id = press.callback.args
    film = services(context).catalogue.get(film_id)
    if film is None and verb == "add":
        await query.answer(text(lang, "film_gone"))
        return
    changed = await _change(context, user.id, verb, film_id, film)
    await query.answer(text(lang, _TOASTS[verb, changed]))
    message = pressed_message(query)
    # Only the presser's private chat shows their state; shared cards keep their neutral buttons.
    if film is not None and message is not None and message.chat.type == ChatType.PRIVATE:
        entry = await personal_entry(update, context, film, message.chat)
        await _set_markup(message, card_keyboard(film, lang, entry))


async def _set_markup(message: Message, markup: InlineKeyboardMarkup) -> None:
    async with unless_unchanged():
        await message.edit_reply_markup(markup)


# the /watchlist view


async def _view(update: Update, context: Context, number: int) -> tuple[str, InlineKeyboardMarkup | None]:
    user = update.effective_user
    assert user is not None
    lang = await language(update, context)
    core = services(context)
    entries = await core.storage.watchlist.entries(user.id)
    if not entries:
        return text(lang, "wl_empty"), None
    films = (core.catalogue.get(e.film_id) for e in entries)
    names = {film.id: titles(film, lang)[0] for film in films if film is not None}
    page = render_watchlist(entries, number, lang, names)
    pickable = any(not e.watched and e.film_id in names for e in entries)
    keyboard = watchlist_keyboard(page.entries, page.number, page.pages, lang, names, pickable)
    return page.text, keyboard


async def show_watchlist(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or update.effective_user is None:
        return
    body, keyboard = await _view(update, context, 0)
    await message.reply_html(body, reply_markup=keyboard)


async def turn_watchlist_page(update: Update, context: Context) -> None:
    press = button_press(update)
    if press is None:
        return
    await _redraw(update, context, int(press.callback.args[0]))
    await press.query.answer()


async def _redraw(update: Update, context: Context, number: int) -> None:
    query = update.callback_query
    assert query is not None
    body, keyboard = await _view(update, context, number)
    async with unless_unchanged():
        await query.edit_message_text(body, parse_mode=ParseMode.HTML, reply_markup=keyboard)


async def press_remove_gone(update: Update, context: Context) -> None:
    """✕ on a film that left the catalogue, in the /watchlist view."""
    press = button_press(update)
    if press is None:
        return
    lang = await language(update, context)
    film_id, number = press.callback.args
    removed = await services(context).storage.watchlist.remove(press.user.id, film_id)
    await _redraw(update, context, int(number))
    await press.query.answer(text(lang, "wl_removed" if removed else "wl_not_there"))


async def pick_for_tonight(update: Update, context: Context) -> None:
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    lang = await language(update, context)
    core = services(context)
    to_watch = [
        film
        for entry in await core.storage.watchlist.entries(user.id)
        if not entry.watched and (film := core.catalogue.get(entry.film_id)) is not None
    ]
    message = pressed_message(query)
    if not to_watch or message is None:
        await query.answer(text(lang, "wl_nothing_to_pick"))
        return
    await query.answer()
    film = core.rng.choice(to_watch)
    await send_card(
        update, context, message, film, lang, heading=text(lang, "wl_pick_heading"), do_quote=False
    )


# /add, /remove, /export


async def _named_argument(
    update: Update, context: Context, usage: str
) -> tuple[Message, Language, str] | None:
    message = update.effective_message
    if message is None or update.effective_user is None:
        return None
    lang = await language(update, context)
    query = command_argument(message)
    if not query:
        await message.reply_html(text(lang, usage))
        return None
    if len(query) > MAX_QUERY_CHARS:
        await message.reply_text(text(lang, "film_query_too_long", limit=MAX_QUERY_CHARS))
        return None
    return message, lang, query


async def add_by_name(update: Update, context: Context) -> None:
    parsed = await _named_argument(update, context, "wl_add_usage")
    if parsed is None or update.effective_user is None:
        return
    message, lang, query = parsed
    found = services(context).index.find(query)
    if found.verdict is Verdict.ONE:
        film = found.films[0]
        added = await _change(context, update.effective_user.id, "add", film.id, film)
        key = "wl_added_named" if added else "wl_already_named"
        await message.reply_html(text(lang, key, title=escape(titles(film, lang)[0])))
    elif found.verdict is Verdict.SEVERAL:
        await message.reply_html(
            text(lang, "wl_which_add", query=escape(query)),
            reply_markup=film_choice_keyboard(found.films, lang, "add"),
        )
    else:
        await message.reply_html(text(lang, "wl_add_nothing", query=escape(query)))


async def remove_by_name(update: Update, context: Context) -> None:
    parsed = await _named_argument(update, context, "wl_remove_usage")
    user = update.effective_user
    if parsed is None or user is None:
        return
    message, lang, query = parsed
    core = services(context)
    listed = {e.film_id: e for e in await core.storage.watchlist.entries(user.id)}
    found = core.index.find(query)
    in_list = [m.film for m in core.index.search(query, limit=8) if m.film.id in listed]
    if found.verdict is Verdict.ONE and found.films[0].id not in listed:
        title = titles(found.films[0], lang)[0]
        await message.reply_html(text(lang, "wl_not_there_named", title=escape(title)))
    elif found.verdict is Verdict.ONE or len(in_list) == 1:
        film = found.films[0] if found.verdict is Verdict.ONE else in_list[0]
        await _change(context, user.id, "del", film.id, None)
        await message.reply_html(text(lang, "wl_removed_named", title=escape(titles(film, lang)[0])))
    elif in_list:
        await message.reply_html(
            text(lang, "wl_which_remove", query=escape(query)),
            reply_markup=film_choice_keyboard(in_list, lang, "del"),
        )
    else:
        await message.reply_html(text(lang, "wl_remove_nothing", query=escape(query)))


async def export_watchlist(update: Update, context: Context) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    lang = await language(update, context)
    entries = await services(context).storage.watchlist.entries(user.id)
    if not entries:
        await message.reply_text(text(lang, "wl_export_empty"))
        return
    await message.reply_document(
        letterboxd_csv(entries),
        filename="watchlist.csv",
        caption=text(lang, "wl_export_caption", count=len(entries)),
    )
