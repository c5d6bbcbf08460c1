"""🎞 More like this, under every card: the films sharing the most with it, each with its reasons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup

from bot.core.catalogue.likeness import Alike
from bot.core.catalogue.model import Film
from bot.core.films.card import CardKind, render_more_like, titles
from bot.core.models import Language
from bot.core.texts import text
from bot.telegram.callbacks import FilmId, Payload, button
from bot.telegram.context import BotContext
from bot.telegram.replies import edit, reply

from .card import Another, MoreLike, card_keyboard, film_rows, send_card
from .common import Handlers, Press, unless_unchanged

handlers = Handlers()


@dataclass(frozen=True)
class OpenShared(Payload, action="shf"):
    """A film of "More like this" on a card shared through inline mode: the card takes its place."""

    film_id: FilmId
    language: Language


def more_like_keyboard(
    film: Film, alike: Sequence[Alike], language: Language, shared: bool
) -> InlineKeyboardMarkup:
    """A button per film of "More like this" that opens its card; with nothing alike, 🎲. On a card
    shared through inline mode (`shared`), the card takes the list's place, and ◀ goes back."""
    if not shared:
        if not alike:
            return InlineKeyboardMarkup([[button(text(language, "button_another"), Another())]])
        return InlineKeyboardMarkup(film_rows([one.film for one in alike], language))
    rows = film_rows([one.film for one in alike], language, lambda f: OpenShared(f.id, language))
    back = text(language, "button_back_to", title=titles(film, language)[0])
    return InlineKeyboardMarkup([*rows, [button(back, OpenShared(film.id, language))]])


@handlers.press(MoreLike)
async def press_more_like(pressed: Press[MoreLike], context: BotContext) -> None:
    """Under a card in a chat: the list as a new message, in the presser's language. Under a card
    shared through inline mode (the bot may not be in that chat): the list in the card's place, in
    the card's language, with ◀ back to it."""
    film = await pressed.film(context, pressed.payload.film_id)
    if film is None:
        return
    alike = context.core.films.more_like(film)
    await pressed.answer()
    if pressed.message is None:
        lang = pressed.payload.language
        async with unless_unchanged():
            await edit(
                pressed.query,
                render_more_like(film, alike, lang),
                html=True,
                keyboard=more_like_keyboard(film, alike, lang, shared=True),
            )
        return
    lang = pressed.lang
    await reply(
        pressed.message,
        render_more_like(film, alike, lang),
        keyboard=more_like_keyboard(film, alike, lang, shared=False),
        html=True,
    )


@handlers.press(OpenShared)
async def press_shared_film(pressed: Press[OpenShared], context: BotContext) -> None:
    """A film of "More like this" (or ◀) on a card shared through inline mode: its card in place."""
    film = await pressed.film(context, pressed.payload.film_id)
    if film is None:
        return
    await pressed.answer()
    if pressed.message is not None:  # not sent on chat cards; a forged one gets a card all the same
        await send_card(context, pressed.message, pressed.user, film, pressed.lang)
        return
    card = context.core.cards.card(film, pressed.payload.language, kind=CardKind.SHARED)
    keyboard = card_keyboard(card, context.bot.username)
    async with unless_unchanged():
        await edit(pressed.query, card.html, html=True, keyboard=keyboard, preview=False)
