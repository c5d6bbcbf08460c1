"""Inline keyboards and the versioned callback-data format (`v1:<action>[:<arg>...]`, ≤ 64 bytes)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalogue import LANGUAGES, Film, Language
from bot.storage import Entry
from bot.texts import text
from bot.texts.cards import titles

VERSION = "v1"
CALLBACK_LIMIT = 64
_FILM_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_PAGE = re.compile(r"^\d{1,4}$")

# action -> how many arguments it takes and how each is checked
_ACTIONS: dict[str, tuple[re.Pattern[str], ...]] = {
    "rnd": (),
    "film": (_FILM_ID,),
    "lang": (re.compile(f"^({'|'.join(LANGUAGES)})$"),),
    "films": (_PAGE,),
    "wl": (re.compile(r"^(add|del|seen|unseen)$"), _FILM_ID),
    "wlrm": (_FILM_ID, _PAGE),
    "wlp": (_PAGE,),
    "pick": (),
    "sub": (re.compile(r"^(on|off|earlier|later)$"),),
}


@dataclass(frozen=True)
class Callback:
    action: str
    args: tuple[str, ...] = ()


def accepts(action: str) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern: valid data for `action`; everything else falls through."""

    def check(data: object) -> bool:
        callback = decode(data) if isinstance(data, str) else None
        return callback is not None and callback.action == action

    return check


def encode(action: str, *args: str) -> str:
    data = ":".join((VERSION, action, *args))
    if len(data.encode()) > CALLBACK_LIMIT:
        raise ValueError(f"callback data over {CALLBACK_LIMIT} bytes: {data!r}")
    return data


def decode(data: str | None) -> Callback | None:
    """Parse callback data; None for anything forged, truncated, unknown or from another version."""
    if not data or len(data.encode()) > CALLBACK_LIMIT:
        return None
    version, _, rest = data.partition(":")
    if version != VERSION:
        return None
    action, *args = rest.split(":")
    checks = _ACTIONS.get(action)
    if checks is None or len(args) != len(checks):
        return None
    if not all(check.match(arg) for check, arg in zip(checks, args, strict=True)):
        return None
    return Callback(action, tuple(args))


def watchlist_row(film: Film, language: Language, entry: Entry | None) -> list[InlineKeyboardButton]:
    """The watchlist buttons for the presser's own state (`entry`: their row for this film, if any)."""
    if entry is None:
        return [
            InlineKeyboardButton(
                text(language, "button_watchlist_add"), callback_data=encode("wl", "add", film.id)
            )
        ]
    watched = (
        InlineKeyboardButton(
            text(language, "button_watched_done"), callback_data=encode("wl", "unseen", film.id)
        )
        if entry.watched
        else InlineKeyboardButton(
            text(language, "button_watched"), callback_data=encode("wl", "seen", film.id)
        )
    )
    return [
        InlineKeyboardButton(
            text(language, "button_watchlist_in"), callback_data=encode("wl", "del", film.id)
        ),
        watched,
    ]


def card_keyboard(film: Film, language: Language, entry: Entry | None = None) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(text(language, "button_another"), callback_data=encode("rnd")),
                InlineKeyboardButton(text(language, "button_share"), switch_inline_query=film.title),
            ],
            watchlist_row(film, language, entry),
        ]
    )


def deep_link(bot_username: str, film: Film) -> str:
    return f"https://t.me/{bot_username}?start=film_{film.id}"


def shared_card_keyboard(film: Film, language: Language, bot_username: str) -> InlineKeyboardMarkup:
    """Buttons for a card shared into another chat through inline mode."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(text(language, "button_open_in_bot"), url=deep_link(bot_username, film)),
                *watchlist_row(film, language, None),
            ]
        ]
    )


def film_choice_keyboard(
    films: Sequence[Film], language: Language, verb: str | None = None
) -> InlineKeyboardMarkup:
    """One button per film: open its card, or with `verb` ("add", "del") change the watchlist."""
    return InlineKeyboardMarkup(_film_rows(films, language, verb))


def _film_rows(
    films: Sequence[Film], language: Language, verb: str | None = None
) -> list[list[InlineKeyboardButton]]:
    mark = {"add": "➕ ", "del": "✕ "}.get(verb or "", "")
    return [
        [
            InlineKeyboardButton(
                f"{mark}{titles(film, language)[0]} ({film.year})",
                callback_data=encode("wl", verb, film.id) if verb else encode("film", film.id),
            )
        ]
        for film in films
    ]


def pager_row(action: str, page: int, pages: int) -> list[InlineKeyboardButton]:
    """◀ ▶ buttons around page `page` (0-based) of `pages`; empty when one page is all there is."""
    row = []
    if page > 0:
        row.append(InlineKeyboardButton("◀", callback_data=encode(action, str(page - 1))))
    if page < pages - 1:
        row.append(InlineKeyboardButton("▶", callback_data=encode(action, str(page + 1))))
    return row


def catalogue_page_keyboard(
    films: Sequence[Film], page: int, pages: int, language: Language
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([*_film_rows(films, language), pager_row("films", page, pages)])


def language_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("English", callback_data=encode("lang", "en")),
                InlineKeyboardButton("Русский", callback_data=encode("lang", "ru")),
            ]
        ]
    )


def watchlist_keyboard(
    entries: Sequence[Entry],
    number: int,
    pages: int,
    language: Language,
    titles: Mapping[str, str],
    pickable: bool,
) -> InlineKeyboardMarkup:
    """A button per film on the page (open its card, or remove it if it left the catalogue),
    "pick one for tonight", and ◀ ▶."""
    rows = []
    for entry in entries:
        if entry.film_id in titles:
            label = f"{'👁' if entry.watched else '🎬'} {titles[entry.film_id]} ({entry.year})"
            rows.append([InlineKeyboardButton(label, callback_data=encode("film", entry.film_id))])
        else:
            label = text(language, "button_remove_gone", title=entry.title)
            rows.append(
                [InlineKeyboardButton(label, callback_data=encode("wlrm", entry.film_id, str(number)))]
            )
    if pickable:
        rows.append([InlineKeyboardButton(text(language, "button_pick"), callback_data=encode("pick"))])
    rows.append(pager_row("wlp", number, pages))
    return InlineKeyboardMarkup(rows)
