"""What every handler starts with: the message or button press, who sent it, and the language to
answer in; and sending a film card."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Generic

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatType
from telegram.error import BadRequest, TimedOut

from bot.core.catalogue.model import Film
from bot.core.films.card import render_card
from bot.core.models import Language
from bot.core.texts import text
from bot.core.watchlists.model import Entry
from bot.telegram.context import BotContext
from bot.telegram.keyboards import (
    P,
    card_keyboard,
    daily_card_keyboard,
    is_daily_card,
    payload_of,
)
from bot.telegram.replies import redraw, reply

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Incoming:
    """A message from a user, and the language to answer them in."""

    message: Message
    user: User
    lang: Language

    @property
    def private(self) -> bool:
        return self.message.chat.type == ChatType.PRIVATE


async def incoming(update: Update, context: BotContext) -> Incoming | None:
    """The message and its sender; None for updates without either (channel posts, edits)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return None
    if message.chat.type == ChatType.PRIVATE:
        context.core.users.wrote_privately(user.id)
    return Incoming(message, user, await context.core.users.language(user.id, user.language_code))


@dataclass(frozen=True)
class Press(Generic[P]):
    """A button press with valid data of one kind."""

    query: CallbackQuery
    user: User
    payload: P
    lang: Language

    @property
    def message(self) -> Message | None:
        """The message whose button was pressed, if the bot can still reply to it."""
        return self.query.message if isinstance(self.query.message, Message) else None

    async def replying_to(self) -> Message | None:
        """The message to reply under; when the bot can no longer reply to it, the stale-button
        toast, and None."""
        if self.message is None:
            await self.answer(text(self.lang, "stale_button"))
        return self.message

    async def film(self, context: BotContext, film_id: str) -> Film | None:
        """The visible film the button names; if it left the catalogue, a toast saying so, and None."""
        film = context.core.films.get(film_id)
        if film is None:
            await self.answer(text(self.lang, "film_gone"))
        return film

    async def answer(self, toast: str | None = None, url: str | None = None) -> None:
        """Answer the press (a toast, or just stop the spinner; with `url`, a t.me link to the bot
        the client opens). An answer whose response was lost does not stop the handler: the redraw
        or reply that follows still shows the result."""
        try:
            await self.query.answer(toast, url=url)
        except TimedOut:
            log.warning("the answer to button press %s got no response in time", self.query.id)


async def press(
    update: Update, context: BotContext, kind: type[P], requester_only: bool = False
) -> Press[P] | None:
    """The press in `update`; None without a user or valid data (the handlers' patterns already let
    only valid data through, so None means an update without a user). With `requester_only`, a
    press in a group by anyone but the member the message answered gets a toast saying so, and None:
    such buttons redraw the message, which must not change for the others."""
    query, user = update.callback_query, update.effective_user
    payload = payload_of(query.data, kind) if query is not None else None
    if query is None or user is None or payload is None:
        return None
    pressed = Press(query, user, payload, await context.core.users.language(user.id, user.language_code))
    if pressed.message is not None and pressed.message.chat.type == ChatType.PRIVATE:
        context.core.users.wrote_privately(user.id)  # a press in the private chat: they started the bot
    if requester_only and not _pressed_by_requester(pressed):
        await pressed.answer(text(pressed.lang, "requester_only"))
        return None
    return pressed


def _pressed_by_requester(pressed: Press[Any]) -> bool:
    message = pressed.message
    if message is None or message.chat.type == ChatType.PRIVATE:
        return True
    asked = message.reply_to_message  # in groups the bot's answers quote the request
    return asked is None or asked.from_user is None or asked.from_user.id == pressed.user.id


async def personal_entry(context: BotContext, user: User, film: Film, message: Message) -> Entry | None:
    """The user's watchlist row for `film` when the card is theirs alone (a private chat); else None,
    so that cards in groups never show one member's list to the others."""
    if message.chat.type != ChatType.PRIVATE:
        return None
    return await context.core.watchlists.entry(user.id, film.id)


async def send_card(
    context: BotContext,
    message: Message,
    user: User,
    film: Film,
    lang: Language,
    heading: str | None = None,
    quote: bool | None = None,
) -> None:
    """Reply to `message` with the film's card and buttons for the user's own watchlist state."""
    entry = await personal_entry(context, user, film, message)
    keyboard = card_keyboard(film, lang, entry, context.core.watch.buttons(film, lang))
    diary = context.core.diary
    own = diary.own(user.id, film.id) if message.chat.type == ChatType.PRIVATE else None
    body = render_card(film, lang, heading, own, diary.verdict(film.id))
    await reply(message, body, html=True, keyboard=keyboard, preview=False, quote=quote)


async def redraw_card_buttons(context: BotContext, pressed: Press[Any], film: Film, message: Message) -> None:
    """The card's buttons for the presser's own state (the film of the day keeps its ⚙)."""
    entry = await personal_entry(context, pressed.user, film, message)
    keyboard = daily_card_keyboard if is_daily_card(message.reply_markup) else card_keyboard
    async with unless_unchanged():
        await redraw(
            message, keyboard(film, pressed.lang, entry, context.core.watch.buttons(film, pressed.lang))
        )


PRIVATE_TOPICS = (
    "watchlist",
    "export",
    "settings",
    "subscribe",
    "diary",
)  # deep-link payloads: /start <topic>


async def in_private_only(context: BotContext, got: Incoming, topic: str) -> bool:
    """True in a private chat. In a group, answers with a short line and a button that opens the
    private chat on `topic`, so that nothing one member owns is posted for everyone; then False."""
    if got.private:
        return True
    assert topic in PRIVATE_TOPICS
    link = f"https://t.me/{context.bot.username}?start={topic}"
    button = InlineKeyboardButton(text(got.lang, f"button_private_{topic}"), url=link)
    await reply(got.message, text(got.lang, f"private_{topic}"), keyboard=InlineKeyboardMarkup([[button]]))
    return False


@asynccontextmanager
async def unless_unchanged() -> AsyncIterator[None]:
    """Editing a message to what it already shows (a second tap) is not an error."""
    try:
        yield
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


def command_argument(message: Message) -> str:
    """The text after `/command` (or `/command@bot`), trimmed."""
    parts = (message.text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""
