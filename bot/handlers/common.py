"""Small helpers every handler module uses: the services, the user's language, sending a card."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from telegram import CallbackQuery, Chat, Message, Update, User
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.catalogue import Film, Language
from bot.keyboards import Callback, card_keyboard, decode
from bot.services import Services
from bot.storage import Entry
from bot.texts.cards import render_card

Context = ContextTypes.DEFAULT_TYPE
SERVICES_KEY = "services"


def services(context: Context) -> Services:
    found: Services = context.bot_data[SERVICES_KEY]
    return found


async def language(update: Update, context: Context) -> Language:
    """The language to answer `update` in; also records that the user was seen."""
    user = update.effective_user
    if user is None:
        return "en"
    return await services(context).language(user.id, user.language_code)


async def personal_entry(update: Update, context: Context, film: Film, chat: Chat) -> Entry | None:
    """The user's watchlist row for `film` when the card is theirs alone (a private chat); else None,
    so that cards in groups never show one member's list to the others."""
    user = update.effective_user
    if user is None or chat.type != ChatType.PRIVATE:
        return None
    return await services(context).storage.watchlist.entry(user.id, film.id)


async def send_card(
    update: Update,
    context: Context,
    message: Message,
    film: Film,
    lang: Language,
    heading: str | None = None,
    **kwargs: Any,
) -> Message:
    """Reply to `message` with the film's card and buttons for the user's own watchlist state."""
    entry = await personal_entry(update, context, film, message.chat)
    return await message.reply_html(
        render_card(film, lang, heading), reply_markup=card_keyboard(film, lang, entry), **kwargs
    )


@dataclass(frozen=True)
class Press:
    """A button press with valid data: the query, who pressed, and the decoded callback."""

    query: CallbackQuery
    user: User
    callback: Callback


def button_press(update: Update) -> Press | None:
    """The press in `update`; None without a user or valid data (the handlers' patterns already
    let only valid data through, so None means an update without a user)."""
    query, user = update.callback_query, update.effective_user
    callback = decode(query.data) if query is not None else None
    if query is None or user is None or callback is None:
        return None
    return Press(query, user, callback)


@asynccontextmanager
async def unless_unchanged() -> AsyncIterator[None]:
    """Editing a message to what it already shows (a second tap) is not an error."""
    try:
        yield
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


def pressed_message(query: CallbackQuery) -> Message | None:
    """The message whose button was pressed, if the bot can still reply to it."""
    return query.message if isinstance(query.message, Message) else None


def command_argument(message: Message) -> str:
    """The text after `/command` (or `/command@bot`), trimmed."""
    text = message.text or ""
    return text.split(maxsplit=1)[1].strip() if len(text.split(maxsplit=1)) > 1 else ""
