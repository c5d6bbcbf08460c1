"""Small helpers every handler module uses: the services, the user's language, sending a card."""

from __future__ import annotations

from typing import Any

from telegram import CallbackQuery, Chat, Message, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.catalogue import Film, Language
from bot.keyboards import card_keyboard
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
    core = services(context)
    await core.storage.touch_user(user.id)
    return await core.language(user.id, user.language_code)


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


def pressed_message(query: CallbackQuery) -> Message | None:
    """The message whose button was pressed, if the bot can still reply to it."""
    return query.message if isinstance(query.message, Message) else None


def command_argument(message: Message) -> str:
    """The text after `/command` (or `/command@bot`), trimmed."""
    text = message.text or ""
    return text.split(maxsplit=1)[1].strip() if len(text.split(maxsplit=1)) > 1 else ""
