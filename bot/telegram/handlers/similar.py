"""🎞 More like this, under every card: the films sharing the most with it, each with its reasons."""

from __future__ import annotations

from telegram import Update

from bot.core.films.card import render_card, render_more_like
from bot.telegram.context import BotContext
from bot.telegram.handlers.common import press, send_card, unless_unchanged
from bot.telegram.keyboards import MoreLike, OpenShared, more_like_keyboard, shared_card_keyboard
from bot.telegram.replies import edit, reply


async def press_more_like(update: Update, context: BotContext) -> None:
    """Under a card in a chat: the list as a new message, in the presser's language. Under a card
    shared through inline mode (the bot may not be in that chat): the list in the card's place, in
    the card's language, with ◀ back to it."""
    pressed = await press(update, context, MoreLike)
    film = await pressed.film(context, pressed.payload.film_id) if pressed else None
    if pressed is None or film is None:
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


async def press_shared_film(update: Update, context: BotContext) -> None:
    """A film of "More like this" (or ◀) on a card shared through inline mode: its card in place."""
    pressed = await press(update, context, OpenShared)
    film = await pressed.film(context, pressed.payload.film_id) if pressed else None
    if pressed is None or film is None:
        return
    await pressed.answer()
    if pressed.message is not None:  # not sent on chat cards; a forged one gets a card all the same
        await send_card(context, pressed.message, pressed.user, film, pressed.lang)
        return
    lang = pressed.payload.language
    keyboard = shared_card_keyboard(film, lang, context.bot.username, context.core.watch.buttons(film, lang))
    async with unless_unchanged():
        await edit(
            pressed.query,
            render_card(film, lang),
            html=True,
            keyboard=keyboard,
            preview=False,
        )
