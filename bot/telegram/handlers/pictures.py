"""Pictures on Telegram: 🖼 Card under a film's card sends its picture as a photo, with a short
caption and the film's buttons; /year sends a user's year in Soviet cinema as a picture with the
whole of it as text. A picture is uploaded once and then sent by the file_id Telegram gave it
(bot/core/pictures/service.py names each picture by what it shows)."""

from __future__ import annotations

import logging
import re
from html import escape, unescape
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, InputFile, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.core.catalogue.model import Film
from bot.core.films.card import CardKind, titles
from bot.core.models import Language
from bot.core.pictures.card import directed_by
from bot.core.pictures.service import Picture, Pictures
from bot.core.recap.service import NothingThatYear
from bot.core.recap.year import render_year
from bot.core.texts import text
from bot.telegram.context import BotContext
from bot.telegram.replies import reply

from .card import ShowPicture, card_keyboard, reader_of
from .common import Handlers, Incoming, Press, command_argument, in_private_only

log = logging.getLogger(__name__)

handlers = Handlers()


def picture_caption(film: Film, language: Language) -> str:
    """ "<b>The Cranes Are Flying</b> (1957) · Letyat zhuravli · Directed by …": the card's first lines."""
    first, second = titles(film, language)
    directed = directed_by(film, language)
    return f"<b>{escape(first)}</b> ({film.year})\n<i>{escape(second)}</i>\n{escape(directed)}"


CAPTION_LIMIT = 1024  # characters of a photo's caption, once its HTML is parsed


def fits_caption(html: str) -> bool:
    """Whether Telegram HTML fits a caption (its tags do not count, an entity counts as one)."""
    return len(unescape(re.sub(r"<[^>]+>", "", html))) <= CAPTION_LIMIT


def _forgotten(exc: BadRequest) -> bool:
    """Telegram does not know the file_id (the bot's token changed, say)."""
    return "file identifier" in exc.message.lower() or "file_id" in exc.message.lower()


async def send_picture(
    bot: Bot,
    pictures: Pictures,
    chat_id: int,
    picture: Picture,
    caption: str,
    keyboard: InlineKeyboardMarkup | None,
    paid: bool = False,
) -> Message:
    """The picture as a photo: by its file_id once Telegram has it, else drawn and uploaded (one
    upload of a picture at a time; a send that waited finds the first one's file_id)."""
    photo_args: dict[str, Any] = {"caption": caption, "parse_mode": ParseMode.HTML, "reply_markup": keyboard}
    if paid:  # a daily film above the free broadcast rate (PAID_BROADCAST)
        photo_args["allow_paid_broadcast"] = True
    for attempt in range(2):
        file_id = await pictures.file_id(picture.key)
        if file_id is not None:
            try:
                return await bot.send_photo(chat_id, file_id, **photo_args)
            except BadRequest as exc:
                if not _forgotten(exc) or attempt:
                    raise
                await pictures.refused(picture.key)
        async with pictures.uploading(picture.key):
            if await pictures.file_id(picture.key) is not None:
                continue  # uploaded while this send waited
            png = await pictures.draw(picture)
            name = picture.key.split(":")[1] + ".png"
            sent = await bot.send_photo(chat_id, InputFile(png, filename=name), **photo_args)
            if sent.photo:
                await pictures.uploaded(picture.key, sent.photo[-1].file_id)
            return sent
    raise AssertionError("unreachable: the second attempt sends or raises")


@handlers.press(ShowPicture)
async def press_picture(pressed: Press[ShowPicture], context: BotContext) -> None:
    """🖼 Card: the film's picture in the chat the card is in, with the film's buttons for the
    presser's own state (in a group, no one's)."""
    film = await pressed.film(context, pressed.payload.film_id)
    if film is None:
        return
    message = pressed.message
    chat_id = message.chat.id if message is not None else pressed.user.id
    reader = reader_of(message, pressed.user) if message is not None else pressed.user.id
    buttons = await context.core.cards.buttons_for(film, pressed.lang, reader, CardKind.PICTURE)
    caption = picture_caption(film, pressed.lang)
    picture = await context.core.pictures.card(film, pressed.lang)
    keyboard = card_keyboard(buttons)
    try:
        await send_picture(context.bot, context.core.pictures, chat_id, picture, caption, keyboard)
    except TelegramError as exc:
        log.warning("the picture of %s was not sent to %s: %s", film.id, chat_id, exc)
        await pressed.answer(text(pressed.lang, "picture_not_sent"))
        return
    await pressed.answer()


@handlers.command("year")
async def show_year(got: Incoming, context: BotContext) -> None:
    """/year [YYYY]: the user's year as a picture, its whole text as the caption (or, if longer than
    a caption may be, right after it); in a group, a button to the private chat."""
    if await in_private_only(context, got, "year"):
        await send_year(got, context, command_argument(got.message))


async def send_year(got: Incoming, context: BotContext, typed: str = "") -> None:
    """The year `typed` (this one if nothing), in the private chat: /year, or the group's button."""
    recaps = context.core.recaps
    year = recaps.asked_year(typed)
    if year is None:
        await reply(got.message, text(got.lang, "year_usage", example=recaps.this_year() - 1))
        return
    summary = await recaps.year(got.user.id, year)
    if isinstance(summary, NothingThatYear):
        if summary.years:
            years = ", ".join(str(y) for y in summary.years)
            body = text(got.lang, "year_none_other", year=year, years=years, latest=summary.years[0])
        else:
            body = text(got.lang, "year_none", year=year)
        await reply(got.message, body)
        return
    whole = render_year(summary, got.lang)
    caption = whole if fits_caption(whole) else whole.split("\n", 1)[0]
    picture = context.core.pictures.year(summary, got.lang)
    try:
        await send_picture(context.bot, context.core.pictures, got.message.chat.id, picture, caption, None)
    except TelegramError as exc:
        log.warning("the year picture was not sent to %s: %s", got.message.chat.id, exc)
        await reply(got.message, f"{text(got.lang, 'year_drawing_failed')}\n\n{whole}", html=True)
        return
    if caption != whole:
        await reply(got.message, whole, html=True)
