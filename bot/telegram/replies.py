"""Sending and editing messages whose answer the bot does not read.

python-telegram-bot's send and edit methods build a `Message` object from Telegram's answer, field
by field, with every entity and every button of its keyboard: about a fifth of the bot's CPU per
update (py-spy, BENCHMARKS.md), for objects the handlers throw away. These functions make the same
requests through PTB's own request path (its serialisation of parameters, its timeouts, its
errors: `BadRequest`, `Forbidden`, `RetryAfter`, `TimedOut`) and return nothing. Where the bot
needs what it sent (a movie night's invitation and its poll), it uses PTB's methods.

`reply` answers as `Message.reply_text` does: in the same chat and forum topic, quoting the
message in groups (so that everyone sees what it answers) and not in private chats.
"""

from __future__ import annotations

from typing import Any

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters
from telegram.constants import ChatType, ParseMode

# Cards go out without a link preview: their own links are buttons, and a preview of anything else
# would be unrelated to the film (the Bot API's LinkPreviewOptions). Set per card rather than as the
# application's Defaults, which made PTB copy every inline result of every answer to apply it.
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def reply(
    to: Message,
    text: str,
    *,
    html: bool = False,
    keyboard: InlineKeyboardMarkup | None = None,
    preview: bool = True,
    quote: bool | None = None,
    quoting: int | None = None,
) -> None:
    """Answer `to`. `quote` None quotes it in groups only; `quoting` quotes another message of the
    chat instead (a movie night's invitation). A reply whose quoted message was deleted meanwhile
    is still sent, without the quote."""
    if quoting is None and (quote if quote is not None else to.chat.type != ChatType.PRIVATE):
        quoting = to.message_id
    params = {
        "chat_id": to.chat_id,
        "message_thread_id": to.message_thread_id if to.is_topic_message else None,
    }
    await _call(
        to.get_bot(), "sendMessage", params | _quoting(quoting) | _body(text, html, keyboard, preview)
    )


async def send(
    bot: Bot,
    chat_id: int,
    text: str,
    *,
    html: bool = False,
    keyboard: InlineKeyboardMarkup | None = None,
    preview: bool = True,
    quoting: int | None = None,
    paid: bool = False,
) -> None:
    """A message to a chat that answers none of its messages (a daily card, a report to an admin),
    or quotes one of the bot's own there (`quoting`); `paid`: with allow_paid_broadcast."""
    params: dict[str, Any] = {"chat_id": chat_id} | _quoting(quoting)
    if paid:
        params["allow_paid_broadcast"] = True
    await _call(bot, "sendMessage", params | _body(text, html, keyboard, preview))


async def edit(
    query: CallbackQuery,
    text: str,
    *,
    html: bool = False,
    keyboard: InlineKeyboardMarkup | None = None,
    preview: bool = True,
) -> None:
    """Rewrite the message whose button was pressed (one the bot sent, or one sent inline)."""
    if query.inline_message_id is not None:
        where: dict[str, Any] = {"inline_message_id": query.inline_message_id}
    elif query.message is not None:
        where = {"chat_id": query.message.chat.id, "message_id": query.message.message_id}
    else:
        raise ValueError("a button press with neither a message nor an inline message id")
    await _call(query.get_bot(), "editMessageText", where | _body(text, html, keyboard, preview))


async def edit_message(
    bot: Bot,
    chat_id: int,
    message_id: int,
    text: str,
    *,
    html: bool = False,
    keyboard: InlineKeyboardMarkup | None = None,
) -> None:
    """Rewrite one of the bot's messages known by its ids (a movie night's invitation)."""
    where = {"chat_id": chat_id, "message_id": message_id}
    await _call(bot, "editMessageText", where | _body(text, html, keyboard, preview=True))


async def redraw(message: Message, keyboard: InlineKeyboardMarkup | None) -> None:
    """New buttons under one of the bot's messages, its text unchanged."""
    params = {"chat_id": message.chat_id, "message_id": message.message_id, "reply_markup": keyboard}
    await _call(message.get_bot(), "editMessageReplyMarkup", params)


def _body(text: str, html: bool, keyboard: InlineKeyboardMarkup | None, preview: bool) -> dict[str, Any]:
    return {
        "text": text,
        "parse_mode": ParseMode.HTML if html else None,
        "reply_markup": keyboard,
        "link_preview_options": None if preview else NO_PREVIEW,
    }


def _quoting(message_id: int | None) -> dict[str, Any]:
    if message_id is None:
        return {}
    return {"reply_parameters": ReplyParameters(message_id, allow_sending_without_reply=True)}


async def _call(bot: Bot, method: str, params: dict[str, Any]) -> None:
    # PTB's one way into its request path, as its `Bot.do_api_request` takes it (which is meant for
    # methods PTB lacks, and warns for the others): defaults inserted, None dropped, parameters
    # serialised, Telegram's errors raised as PTB's exceptions. PTB is pinned to one major version.
    await bot._post(method, params)
