"""The film card on Telegram: its buttons' data, the keyboard for each kind of card (a chat's, the
film of the day's, one shared through inline mode, a movie night's winner), and sending a card.

The card's text and the state of its buttons come from the core's one card builder
(bot/core/films/card.py); this module only turns that state into a keyboard. The handlers of these
buttons live with their features (the list's in watchlist.py, 🎞 in similar.py, ...)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    SwitchInlineQueryChosenChat,
    User,
)
from telegram.constants import ChatType

from bot.core.catalogue.model import Film
from bot.core.films.card import CardButtons, CardKind, titles
from bot.core.films.service import PICTURE_MARK, RECOMMEND_MARK
from bot.core.memory import PerFilm
from bot.core.models import Language
from bot.core.texts import text
from bot.core.watch.service import WatchButton
from bot.core.watchlists.model import Entry, WatchlistVerb
from bot.telegram.callbacks import FilmId, Payload, RowId, button, decode
from bot.telegram.context import BotContext
from bot.telegram.replies import redraw, reply

from .common import Press, private_link, unless_unchanged


@dataclass(frozen=True)
class OpenFilm(Payload, action="film"):
    film_id: FilmId


@dataclass(frozen=True)
class Another(Payload, action="rnd"):
    """🎲 Another: a different random film."""


@dataclass(frozen=True)
class ChangeWatchlist(Payload, action="wl"):
    """➕ / ✕ / 👁 / ↩ on a card: the presser's own list."""

    verb: WatchlistVerb
    film_id: FilmId


@dataclass(frozen=True)
class WatchAgain(Payload, action="again"):
    """🔁 Watched again, on the card of a film already watched: another diary entry."""

    film_id: FilmId


@dataclass(frozen=True)
class TalkAbout(Payload, action="talk"):
    """💬 Talking points, on the card of a film watched: the film club's questions for after it."""

    film_id: FilmId


@dataclass(frozen=True)
class ShowPicture(Payload, action="pic"):
    """🖼 Card: the card's picture, sent as a photo with its buttons (bot/telegram/handlers/pictures.py)."""

    film_id: FilmId


@dataclass(frozen=True)
class Undo(Payload, action="undo"):
    """↶ Undo, on the card a removal or an unmarking was tapped on: puts back what it took away."""

    film_id: FilmId
    undo_id: RowId


@dataclass(frozen=True)
class MoreLike(Payload, action="like"):
    """🎞 More like this; `language` is the card's (a shared card is edited in its own language)."""

    film_id: FilmId
    language: Language


@dataclass(frozen=True)
class OpenSettings(Payload, action="cfg"):
    """⚙ under the film of the day: the subscription's settings."""


@dataclass(frozen=True)
class WeWatched(Payload, action="mnw"):
    """👁 We watched it, under a movie night's winner: marks it watched for the presser."""

    film_id: FilmId


def watchlist_row(film: Film, language: Language, entry: Entry | None) -> list[InlineKeyboardButton]:
    """The watchlist buttons for the presser's own state (`entry`: their row for this film, if any),
    each saying what pressing it does. A film can be marked watched without being added first; a
    watched film is taken off the list only by ↩ Not watched (which asks about its diary entries)."""
    if entry is not None and entry.watched:
        return [
            button(text(language, "button_watched_done"), ChangeWatchlist(WatchlistVerb.UNWATCHED, film.id))
        ]
    in_list = (
        button(text(language, "button_watchlist_in"), ChangeWatchlist(WatchlistVerb.REMOVE, film.id))
        if entry is not None
        else button(text(language, "button_watchlist_add"), ChangeWatchlist(WatchlistVerb.ADD, film.id))
    )
    return [
        in_list,
        button(text(language, "button_watched"), ChangeWatchlist(WatchlistVerb.WATCHED, film.id)),
    ]


def watch_rows(watch: Sequence[WatchButton], language: Language) -> list[list[InlineKeyboardButton]]:
    """A row per verified place to watch: "▶ Watch on Mosfilm (English subtitles)", a button per
    part of a split film, and on Russian cards the studio's own site; then one row of the film's
    pages elsewhere ("Letterboxd", "IMDb")."""
    rows = []
    elsewhere = [InlineKeyboardButton(p.name.get(language), url=p.url) for p in watch if p.elsewhere]
    for place in watch:
        if place.elsewhere:
            continue
        if place.site:
            label = text(language, "button_studio_site", name=place.name.get(language))
        else:
            where = place.where.get(language) + (f" ({place.note.get(language)})" if place.note else "")
            key = "button_watch_part" if place.part else "button_watch"
            label = text(language, key, where=where, part=place.part)
        rows.append([InlineKeyboardButton(label, url=place.url)])
    return [*rows, elsewhere] if elsewhere else rows


def more_like_row(film: Film, language: Language) -> list[InlineKeyboardButton]:
    return [button(text(language, "button_more_like"), MoreLike(film.id, language))]


def recommend_button(film: Film, language: Language) -> InlineKeyboardButton:
    """💌 Recommend: the sender picks a person or a group, and may type a note after the title."""
    chosen = SwitchInlineQueryChosenChat(
        query=f"{RECOMMEND_MARK} {titles(film, language)[0]} ", allow_user_chats=True, allow_group_chats=True
    )
    return InlineKeyboardButton(text(language, "button_recommend"), switch_inline_query_chosen_chat=chosen)


def deep_link(bot_username: str, film: Film) -> str:
    return private_link(bot_username, f"film_{film.id}")


# The few keyboards a card can have, built once per film, kind, language, list state and verified
# links (PTB's objects are immutable).
_KEYBOARDS: PerFilm[
    tuple[CardKind, Language, bool | None, tuple[WatchButton, ...], str], InlineKeyboardMarkup
] = PerFilm()


def card_keyboard(card: CardButtons, bot_username: str = "") -> InlineKeyboardMarkup:
    """The buttons of a card, by its kind and the reader's state (`bot_username` for a shared card's
    way into the bot)."""
    state = None if card.entry is None else card.entry.watched
    key = (card.kind, card.language, state, card.watch, bot_username)
    return _KEYBOARDS.get(card.film, key, lambda: _KINDS[card.kind](card, bot_username))


def _chat_rows(card: CardButtons, picture: bool = False) -> list[list[InlineKeyboardButton]]:
    """A card's buttons in a chat; under its `picture`, ↗ shares the picture and 🖼 is not offered."""
    film, language, entry = card.film, card.language, card.entry
    # the title in the reader's language: inline search finds that film first, among at most a
    # few others (tests/core/catalogue/test_search.py checks every film)
    title = titles(film, language)[0]
    share = InlineKeyboardButton(
        text(language, "button_share"),
        switch_inline_query=f"{PICTURE_MARK} {title}" if picture else title,
    )
    shown = [] if picture else [button(text(language, "button_picture"), ShowPicture(film.id))]
    return [
        *watch_rows(card.watch, language),
        [button(text(language, "button_another"), Another()), *shown, share],
        [*more_like_row(film, language), recommend_button(film, language)],
        *(
            [
                [
                    button(text(language, "button_watched_again"), WatchAgain(film.id)),
                    *(
                        [button(text(language, "button_talk"), TalkAbout(film.id))]
                        if film.talk.get(language)
                        else []
                    ),
                ]
            ]
            if entry and entry.watched
            else []
        ),
        watchlist_row(film, language, entry),
    ]


def _chat(card: CardButtons, _: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(_chat_rows(card))


def _daily(card: CardButtons, _: str) -> InlineKeyboardMarkup:
    """The film of the day's: the usual buttons and ⚙ for the hour or unsubscribing."""
    settings = [button(text(card.language, "button_daily_settings"), OpenSettings())]
    return InlineKeyboardMarkup([*_chat_rows(card, card.kind is CardKind.DAILY_PICTURE), settings])


def _picture(card: CardButtons, _: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(_chat_rows(card, picture=True))


def _shared(card: CardButtons, bot_username: str) -> InlineKeyboardMarkup:
    """Sent into another chat through inline mode: neutral list buttons, a way into the bot."""
    film, language = card.film, card.language
    return InlineKeyboardMarkup(
        [
            *watch_rows(card.watch, language),
            [InlineKeyboardButton(text(language, "button_open_in_bot"), url=deep_link(bot_username, film))],
            more_like_row(film, language),
            watchlist_row(film, language, None),
        ]
    )


def _winner(card: CardButtons, _: str) -> InlineKeyboardMarkup:
    """Under the movie night's winner: where to watch it, 👁 We watched it, and More like this."""
    film, language = card.film, card.language
    return InlineKeyboardMarkup(
        [
            *watch_rows(card.watch, language),
            [button(text(language, "button_we_watched"), WeWatched(film.id))],
            more_like_row(film, language),
        ]
    )


_KINDS: dict[CardKind, Callable[[CardButtons, str], InlineKeyboardMarkup]] = {
    CardKind.CHAT: _chat,
    CardKind.DAILY: _daily,
    CardKind.SHARED: _shared,
    CardKind.WINNER: _winner,
    CardKind.PICTURE: _picture,
    CardKind.DAILY_PICTURE: _daily,
}


def film_rows(
    films: Sequence[Film],
    language: Language,
    payload: Callable[[Film], Payload] = lambda film: OpenFilm(film.id),
    mark: str = "",
) -> list[list[InlineKeyboardButton]]:
    """A button per film, "Title (year)", that opens its card (or does what `payload` gives)."""
    return [[button(f"{mark}{titles(film, language)[0]} ({film.year})", payload(film))] for film in films]


def film_of(markup: InlineKeyboardMarkup | None) -> str | None:
    """The film a card's buttons are about (a card sent through inline mode carries them)."""
    rows = markup.inline_keyboard if markup is not None else ()
    for payload in (decode(b.callback_data) for row in rows for b in row):
        film_id = getattr(payload, "film_id", None)
        if isinstance(film_id, str):
            return film_id
    return None


def is_daily_card(markup: InlineKeyboardMarkup | None) -> bool:
    """Whether the buttons are a film of the day's (they lead to the subscription's settings)."""
    rows = markup.inline_keyboard if markup is not None else ()
    return any(isinstance(decode(b.callback_data), OpenSettings) for row in rows for b in row)


def reader_of(message: Message, user: User) -> int | None:
    """Whose card it is: the user's own in their private chat; in a group, no one's, so that cards
    there never show one member's list or rating to the others."""
    return user.id if message.chat.type == ChatType.PRIVATE else None


async def send_card(
    context: BotContext,
    message: Message,
    user: User,
    film: Film,
    lang: Language,
    heading: str | None = None,
    quote: bool | None = None,
    extra: list[list[InlineKeyboardButton]] | None = None,
) -> None:
    """Reply to `message` with the film's card, its buttons for the user's own state (and the
    `extra` rows under them)."""
    card = await context.core.cards.for_reader(film, lang, reader_of(message, user), heading)
    keyboard = card_keyboard(card.buttons)
    if extra:
        keyboard = InlineKeyboardMarkup([*keyboard.inline_keyboard, *extra])
    await reply(message, card.html, html=True, keyboard=keyboard, preview=False, quote=quote)


async def redraw_card_buttons(
    context: BotContext, pressed: Press[Any], film: Film, message: Message, undo: int | None = None
) -> None:
    """The card's buttons for the presser's own state (the film of the day keeps its ⚙); with
    `undo`, a last row that puts back what the tap just took away."""
    daily, picture = is_daily_card(message.reply_markup), bool(message.photo)
    kind = {
        (True, True): CardKind.DAILY_PICTURE,
        (True, False): CardKind.DAILY,
        (False, True): CardKind.PICTURE,
    }.get((daily, picture), CardKind.CHAT)
    reader = reader_of(message, pressed.user)
    keyboard = card_keyboard(await context.core.cards.buttons_for(film, pressed.lang, reader, kind))
    if undo is not None:
        row = [button(text(pressed.lang, "button_undo"), Undo(film.id, undo))]
        keyboard = InlineKeyboardMarkup([*keyboard.inline_keyboard, row])
    async with unless_unchanged():
        await redraw(message, keyboard)
