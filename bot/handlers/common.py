"""Small helpers every handler module uses: the services, the user's language, sending a card."""

from __future__ import annotations

from typing import Any

from telegram import CallbackQuery, Message, Update
from telegram.ext import ContextTypes

from bot.catalogue import Film, Language
from bot.keyboards import card_keyboard
from bot.services import Services
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


async def send_card(
    message: Message, film: Film, lang: Language, heading: str | None = None, **kwargs: Any
) -> Message:
    return await message.reply_html(
        render_card(film, lang, heading), reply_markup=card_keyboard(film, lang), **kwargs
    )


def pressed_message(query: CallbackQuery) -> Message | None:
    """The message whose button was pressed, if the bot can still reply to it."""
    return query.message if isinstance(query.message, Message) else None


def command_argument(message: Message) -> str:
    """The text after `/command` (or `/command@bot`), trimmed."""
    text = message.text or ""
    return text.split(maxsplit=1)[1].strip() if len(text.split(maxsplit=1)) > 1 else ""
