"""/start, /help, /random, /film (and plain text), /today, /language, unknown commands."""

from __future__ import annotations

from html import escape

from telegram import Update

from bot.catalogue import Language
from bot.keyboards import film_choice_keyboard, language_keyboard
from bot.search import MAX_QUERY_CHARS, Verdict
from bot.texts import format_day, text

from .common import Context, button_press, command_argument, language, pressed_message, send_card, services

DEEP_LINK_PREFIX = "film_"


async def start(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    lang = await language(update, context)
    payload = context.args[0] if context.args else ""
    if payload.startswith(DEEP_LINK_PREFIX):
        film = services(context).catalogue.get(payload.removeprefix(DEEP_LINK_PREFIX))
        if film is not None:
            await send_card(update, context, message, film, lang)
            return
        await message.reply_text(text(lang, "film_gone"))
    await message.reply_html(text(lang, "start"))


async def show_help(update: Update, context: Context) -> None:
    if update.effective_message is None:
        return
    lang = await language(update, context)
    await update.effective_message.reply_html(text(lang, "help", username=escape(context.bot.username)))


async def send_random(update: Update, context: Context) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    lang = await language(update, context)
    await send_card(update, context, message, await services(context).random_film(user.id), lang)


async def find_film(update: Update, context: Context) -> None:
    """`/film <name>`, and any plain text in a private chat."""
    message = update.effective_message
    if message is None:
        return
    lang = await language(update, context)
    is_command = bool(message.text and message.text.startswith("/"))
    query = command_argument(message) if is_command else (message.text or "").strip()
    if not query:
        await message.reply_html(text(lang, "film_usage"))
        return
    if len(query) > MAX_QUERY_CHARS:
        await message.reply_text(text(lang, "film_query_too_long", limit=MAX_QUERY_CHARS))
        return
    found = services(context).index.find(query)
    shown = escape(query)
    if found.verdict is Verdict.ONE:
        await send_card(update, context, message, found.films[0], lang)
    elif found.verdict is Verdict.SEVERAL:
        await message.reply_html(
            text(lang, "several", query=shown), reply_markup=film_choice_keyboard(found.films, lang)
        )
    elif found.films:
        await message.reply_html(
            text(lang, "not_found_suggest", query=shown),
            reply_markup=film_choice_keyboard(found.films, lang),
        )
    else:
        await message.reply_html(text(lang, "not_found", query=shown))


async def send_today(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    lang = await language(update, context)
    core = services(context)
    day = core.today()
    film = await core.film_of_the_day(day)
    await send_card(
        update,
        context,
        message,
        film,
        lang,
        heading=text(lang, "film_of_the_day", date=format_day(lang, day)),
    )


async def choose_language(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    lang = await language(update, context)
    await message.reply_text(text(lang, "language_prompt"), reply_markup=language_keyboard())


async def unknown_command(update: Update, context: Context) -> None:
    if update.effective_message is None:
        return
    lang = await language(update, context)
    await update.effective_message.reply_text(text(lang, "unknown_command"))


# buttons


async def press_another(update: Update, context: Context) -> None:
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    lang = await language(update, context)
    message = pressed_message(query)
    if message is None:
        await query.answer(text(lang, "stale_button"))
        return
    film = await services(context).random_film(user.id)
    await query.answer()
    await send_card(update, context, message, film, lang, do_quote=False)


async def press_film(update: Update, context: Context) -> None:
    press = button_press(update)
    if press is None:
        return
    query = press.query
    lang = await language(update, context)
    film = services(context).catalogue.get(press.callback.args[0])
    if film is None:
        await query.answer(text(lang, "film_gone"), show_alert=False)
        return
    message = pressed_message(query)
    if message is None:
        await query.answer(text(lang, "stale_button"))
        return
    await query.answer()
    await send_card(update, context, message, film, lang, do_quote=False)


async def press_language(update: Update, context: Context) -> None:
    press = button_press(update)
    if press is None:
        return
    chosen: Language = "ru" if press.callback.args[0] == "ru" else "en"
    await services(context).storage.set_language(press.user.id, chosen)
    await press.query.answer()
    await press.query.edit_message_text(text(chosen, "language_set"))


async def press_stale(update: Update, context: Context) -> None:
    """Forged, truncated, unknown or old-version callback data: a polite toast."""
    query = update.callback_query
    if query is None:
        return
    lang = await language(update, context)
    await query.answer(text(lang, "stale_button"))
