"""🎞 More like this, under every card: the films sharing the most with it, each with its reasons."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.error import Forbidden

from bot.core.catalogue.likeness import Alike
from bot.core.catalogue.model import Film
from bot.core.films.card import render_more_like
from bot.core.models import Language
from bot.core.texts import text
from bot.telegram.callbacks import FilmId, Payload, button
from bot.telegram.context import BotContext
from bot.telegram.replies import reply, send

from .card import Another, MoreLike, card_keyboard, film_rows, send_card
from .common import Handlers, Press, private_link

handlers = Handlers()


@dataclass(frozen=True)
class OpenShared(Payload, action="shf"):
    """A film of "More like this" on a card shared through inline mode: the card takes its place."""

    film_id: FilmId
    language: Language


def more_like_keyboard(alike: Sequence[Alike], language: Language) -> InlineKeyboardMarkup:
    """A button per film of "More like this" that opens its card; with nothing alike, 🎲."""
    if not alike:
        return InlineKeyboardMarkup([[button(text(language, "button_another"), Another())]])
    return InlineKeyboardMarkup(film_rows([one.film for one in alike], language))


async def send_more_like(context: BotContext, chat_id: int, film: Film, lang: Language) -> None:
    """The list "More like this" as a new message in `chat_id`."""
    alike = context.core.films.more_like(film)
    body, keyboard = render_more_like(film, alike, lang), more_like_keyboard(alike, lang)
    await send(context.bot, chat_id, body, html=True, keyboard=keyboard)


@handlers.press(MoreLike)
async def press_more_like(pressed: Press[MoreLike], context: BotContext) -> None:
    """Under a card in a chat: the list as a new message, in the presser's language. Under a card
    someone shared through inline mode or recommended (a message that is its sender's, in a chat
    the bot may not be in): never rewritten; the list comes to the presser's private chat."""
    film = await pressed.film(context, pressed.payload.film_id)
    if film is None:
        return
    if pressed.message is None:
        await to_private_chat(pressed, context, film, f"like_{film.id}", send_more_like)
        return
    await pressed.answer()
    lang = pressed.lang
    alike = context.core.films.more_like(film)
    body, keyboard = render_more_like(film, alike, lang), more_like_keyboard(alike, lang)
    await reply(pressed.message, body, keyboard=keyboard, html=True)


@handlers.press(OpenShared)
async def press_shared_film(pressed: Press[OpenShared], context: BotContext) -> None:
    """A film of "More like this" (or ◀) on a shared card an older release rewrote: its card comes
    to the presser's private chat; the shared message stays as it is."""
    film = await pressed.film(context, pressed.payload.film_id)
    if film is None:
        return
    if pressed.message is not None:  # not sent on chat cards; a forged one gets a card all the same
        await pressed.answer()
        await send_card(context, pressed.message, pressed.user, film, pressed.lang)
        return

    async def send_film(context: BotContext, chat_id: int, film: Film, lang: Language) -> None:
        card = await context.core.cards.for_reader(film, lang, chat_id)
        await send(
            context.bot, chat_id, card.html, html=True, keyboard=card_keyboard(card.buttons), preview=False
        )

    await to_private_chat(pressed, context, film, f"film_{film.id}", send_film)


async def to_private_chat(
    pressed: Press[Any],
    context: BotContext,
    film: Film,
    payload: str,
    deliver: Callable[[BotContext, int, Film, Language], Awaitable[None]],
) -> None:
    """What the presser asked for, as a new message in their private chat with the bot (a toast says
    so); one who never started the bot, or blocked it, gets the link that opens it on `payload`."""
    user = pressed.user
    if await context.core.users.started(user.id):
        try:
            await deliver(context, user.id, film, pressed.lang)
        except Forbidden:
            pass
        else:
            await pressed.answer(text(pressed.lang, "sent_to_private"))
            return
    await pressed.answer(url=private_link(context.bot.username, payload))
