"""Inline keyboards and the versioned callback-data format (`v1:<action>[:<arg>...]`, ≤ 64 bytes)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalogue import LANGUAGES, Film, Language
from bot.texts import text

VERSION = "v1"
CALLBACK_LIMIT = 64
_FILM_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# action -> how many arguments it takes and how each is checked
_ACTIONS: dict[str, tuple[re.Pattern[str], ...]] = {
    "rnd": (),
    "film": (_FILM_ID,),
    "lang": (re.compile(f"^({'|'.join(LANGUAGES)})$"),),
    "films": (re.compile(r"^\d{1,4}$"),),
}


@dataclass(frozen=True)
class Callback:
    action: str
    args: tuple[str, ...] = ()


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


def card_keyboard(film: Film, language: Language) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(text(language, "button_another"), callback_data=encode("rnd")),
                InlineKeyboardButton(text(language, "button_share"), switch_inline_query=film.title),
            ]
        ]
    )


def deep_link(bot_username: str, film: Film) -> str:
    return f"https://t.me/{bot_username}?start=film_{film.id}"


def shared_card_keyboard(film: Film, language: Language, bot_username: str) -> InlineKeyboardMarkup:
    """Buttons for a card shared into another chat through inline mode."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text(language, "button_open_in_bot"), url=deep_link(bot_username, film))]]
    )


def _film_rows(films: Sequence[Film]) -> list[list[InlineKeyboardButton]]:
    return [
        [InlineKeyboardButton(f"{f.title} ({f.year})", callback_data=encode("film", f.id))] for f in films
    ]


def film_choice_keyboard(films: Sequence[Film]) -> InlineKeyboardMarkup:
    """One button per film, opening its card."""
    return InlineKeyboardMarkup(_film_rows(films))


def pager_row(action: str, page: int, pages: int) -> list[InlineKeyboardButton]:
    """◀ ▶ buttons around page `page` (0-based) of `pages`; empty when one page is all there is."""
    row = []
    if page > 0:
        row.append(InlineKeyboardButton("◀", callback_data=encode(action, str(page - 1))))
    if page < pages - 1:
        row.append(InlineKeyboardButton("▶", callback_data=encode(action, str(page + 1))))
    return row


def catalogue_page_keyboard(films: Sequence[Film], page: int, pages: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([*_film_rows(films), pager_row("films", page, pages)])


def language_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("English", callback_data=encode("lang", "en")),
                InlineKeyboardButton("Русский", callback_data=encode("lang", "ru")),
            ]
        ]
    )
