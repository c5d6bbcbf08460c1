"""What every handler shares: the message or button press, who sent it and the language to answer
in (`Incoming`, `Press`), and `Handlers`, the registry each feature module declares its handlers in.

Its decorators do the per-update bookkeeping once for every handler (the user seen, a private chat
noted as started, their language looked up) and hand the handler an `Incoming` or a `Press`; the
decorated function stays a plain coroutine that other handlers may call with one."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Generic

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatType
from telegram.error import BadRequest, TimedOut
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.core.catalogue.model import Film
from bot.core.models import Language
from bot.core.texts import text
from bot.telegram.callbacks import P, accepts, payload_of
from bot.telegram.context import BotContext
from bot.telegram.replies import reply

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


PRIVATE_TOPICS = (
    "watchlist",
    "export",
    "settings",
    "subscribe",
    "diary",
    "unsubscribe",
    "language",
    "add",
    "remove",
    "year",
)  # deep-link payloads: /start <topic>, or /start <topic>_<film id> for add and remove


def private_link(bot_username: str, payload: str) -> str:
    """The t.me link that opens the private chat with the bot on `/start <payload>`."""
    return f"https://t.me/{bot_username}?start={payload}"


async def in_private_only(context: BotContext, got: Incoming, topic: str, film_id: str | None = None) -> bool:
    """True in a private chat. In a group, answers with a short line and a button that opens the
    private chat on `topic` (and the film, for add and remove), so that nothing one member owns is
    changed or shown there; then False."""
    if got.private:
        return True
    assert topic in PRIVATE_TOPICS
    link = private_link(context.bot.username, f"{topic}_{film_id}" if film_id else topic)
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


NEW = filters.UpdateType.MESSAGE  # edited messages are ignored
PRIVATE = filters.ChatType.PRIVATE

OnMessage = Callable[[Incoming, BotContext], Awaitable[None]]
OnPress = Callable[[Press[P], BotContext], Awaitable[None]]
OnUpdate = Callable[[Update, BotContext], Coroutine[Any, Any, None]]
Made = Callable[[frozenset[int]], BaseHandler[Update, BotContext, None]]


class Handlers:
    """One feature's handlers, in the order its module declares them. The composition root adds
    every feature's (`build`), then the fallbacks of all of them, so a catch-all never hides a
    feature's own handler."""

    def __init__(self) -> None:
        self._made: list[Made] = []
        self._fallbacks: list[Made] = []

    def command(self, *names: str, admins_only: bool = False) -> Callable[[OnMessage], OnMessage]:
        """`/name` in any chat; with `admins_only`, from ADMIN_IDS only (others get the unknown
        command reply in a private chat, nothing in a group)."""

        def register(handler: OnMessage) -> OnMessage:
            def make(admins: frozenset[int]) -> BaseHandler[Update, BotContext, None]:
                only = NEW & filters.User(user_id=admins) if admins_only else NEW
                return CommandHandler(list(names), on_message(handler), filters=only)

            self._made.append(make)
            return handler

        return register

    def message(self, which: filters.BaseFilter, fallback: bool = False) -> Callable[[OnMessage], OnMessage]:
        """New messages that `which` lets through; a `fallback` comes after every feature's own."""

        def register(handler: OnMessage) -> OnMessage:
            made: Made = lambda _: MessageHandler(NEW & which, on_message(handler))  # noqa: E731
            (self._fallbacks if fallback else self._made).append(made)
            return handler

        return register

    def press(self, kind: type[P], requester_only: bool = False) -> Callable[[OnPress[P]], OnPress[P]]:
        """A button of `kind`; with `requester_only`, see `press()`."""

        def register(handler: OnPress[P]) -> OnPress[P]:
            async def on_press(update: Update, context: BotContext) -> None:
                pressed = await press(update, context, kind, requester_only)
                if pressed is not None:
                    await context.bot_data.metrics.timed(handler.__name__, lambda: handler(pressed, context))

            self._made.append(lambda _: CallbackQueryHandler(on_press, pattern=accepts(kind)))
            return handler

        return register

    def update(self, made: BaseHandler[Update, BotContext, None], fallback: bool = False) -> None:
        """Any other kind of handler (inline queries, poll answers, chat members), as it is."""
        (self._fallbacks if fallback else self._made).append(lambda _: made)

    def build(self, admins: frozenset[int]) -> list[BaseHandler[Update, BotContext, None]]:
        return [made(admins) for made in self._made]

    def build_fallbacks(self, admins: frozenset[int]) -> list[BaseHandler[Update, BotContext, None]]:
        return [made(admins) for made in self._fallbacks]


def on_message(handler: OnMessage) -> OnUpdate:
    """The PTB callback for a handler of messages: the bookkeeping, then the handler."""

    async def translated(update: Update, context: BotContext) -> None:
        got = await incoming(update, context)
        if got is not None:
            await context.bot_data.metrics.timed(handler.__name__, lambda: handler(got, context))

    return translated


def all_handlers(
    features: Iterable[Handlers], admins: frozenset[int]
) -> list[BaseHandler[Update, BotContext, None]]:
    """Every feature's handlers, then every feature's fallbacks."""
    features = list(features)
    made = [handler for feature in features for handler in feature.build(admins)]
    return made + [handler for feature in features for handler in feature.build_fallbacks(admins)]
