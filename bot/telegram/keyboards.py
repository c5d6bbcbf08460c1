"""Inline keyboards, and callback data as typed payloads: one frozen dataclass per button action,
written as `v1:<action>[:<arg>...]` (≤ 64 bytes). Buttons from an older release of the same version
still parse; anything forged, truncated or unknown decodes to None."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import astuple, dataclass
from datetime import time
from enum import Enum
from typing import Any, ClassVar, TypeVar

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    SwitchInlineQueryChosenChat,
)

from bot.core.catalogue.likeness import Alike
from bot.core.catalogue.model import Film
from bot.core.films.card import titles
from bot.core.films.service import RECOMMEND_MARK
from bot.core.memory import PerFilm
from bot.core.models import Language
from bot.core.texts import text
from bot.core.watch.service import WatchButton
from bot.core.watchlists.model import Entry, WatchlistVerb

VERSION = "v1"
CALLBACK_LIMIT = 64
_FILM_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_PAGE = re.compile(r"^\d{1,4}$")
_CITY = re.compile(r"^[a-z]+(-[a-z]+)*$")
_MINUTES = re.compile(r"^(1[0-3]\d\d|14[0-3]\d|\d{1,3})$")  # 0..1439


class SettingsChange(Enum):
    ON = "on"
    OFF = "off"
    EARLIER = "earlier"  # an hour
    LATER = "later"
    SOONER = "sooner"  # a quarter of an hour
    AFTER = "after"
    ZONE = "zone"  # ask for the zone again


class MenuItem(Enum):
    TODAY = "today"
    FILMS = "films"
    SUBSCRIBE = "sub"


# Each payload names its action and how each argument is read from its text form.
@dataclass(frozen=True)
class Another:
    """🎲 Another: a different random film."""

    ACTION: ClassVar[str] = "rnd"


@dataclass(frozen=True)
class OpenFilm:
    ACTION: ClassVar[str] = "film"
    film_id: str


@dataclass(frozen=True)
class ChooseLanguage:
    ACTION: ClassVar[str] = "lang"
    language: Language


@dataclass(frozen=True)
class FilmsPage:
    ACTION: ClassVar[str] = "films"
    page: int


@dataclass(frozen=True)
class ChangeWatchlist:
    ACTION: ClassVar[str] = "wl"
    verb: WatchlistVerb
    film_id: str


@dataclass(frozen=True)
class ChooseForWatchlist:
    """One film of the choice `/add <name>` or `/remove <name>` offers; the others stay usable."""

    ACTION: ClassVar[str] = "wlc"
    verb: WatchlistVerb
    film_id: str


@dataclass(frozen=True)
class RemoveGone:
    """✕ on a /watchlist film that left the catalogue; `page` is the page to redraw."""

    ACTION: ClassVar[str] = "wlrm"
    film_id: str
    page: int


@dataclass(frozen=True)
class WatchlistPage:
    ACTION: ClassVar[str] = "wlp"
    page: int


@dataclass(frozen=True)
class PickForTonight:
    ACTION: ClassVar[str] = "pick"


@dataclass(frozen=True)
class OpenSettings:
    """⚙ under the film of the day: the subscription's settings."""

    ACTION: ClassVar[str] = "cfg"


@dataclass(frozen=True)
class ChangeSettings:
    ACTION: ClassVar[str] = "sub"
    change: SettingsChange


@dataclass(frozen=True)
class ChooseZone:
    """A city button of the zone question; `minutes` is the chosen time of day (after midnight)."""

    ACTION: ClassVar[str] = "zone"
    city: str
    minutes: int


@dataclass(frozen=True)
class MoreLike:
    """🎞 More like this; `language` is the card's (a shared card is edited in its own language)."""

    ACTION: ClassVar[str] = "like"
    film_id: str
    language: Language


@dataclass(frozen=True)
class OpenShared:
    """A film of "More like this" on a card shared through inline mode: the card takes its place."""

    ACTION: ClassVar[str] = "shf"
    film_id: str
    language: Language


@dataclass(frozen=True)
class JoinRound:
    """🙋 I'm in, on a movie night's invitation."""

    ACTION: ClassVar[str] = "mnj"
    round_id: int


@dataclass(frozen=True)
class StartVote:
    ACTION: ClassVar[str] = "mnv"
    round_id: int


@dataclass(frozen=True)
class CloseRound:
    """⏹ Close now, under a movie night's poll."""

    ACTION: ClassVar[str] = "mnc"
    round_id: int


@dataclass(frozen=True)
class Nominate:
    """One film of the choice `/nominate <name>` offers."""

    ACTION: ClassVar[str] = "mnn"
    round_id: int
    film_id: str


@dataclass(frozen=True)
class WeWatched:
    """👁 We watched it, under a movie night's winner: marks it watched for the presser."""

    ACTION: ClassVar[str] = "mnw"
    film_id: str


@dataclass(frozen=True)
class Rate:
    """A star button under a film just marked watched: rates that viewing (1-10 half stars)."""

    ACTION: ClassVar[str] = "rate"
    viewing_id: int
    half_stars: int


@dataclass(frozen=True)
class WatchedEarlier:
    """📅 Earlier, not today: the viewing keeps no date."""

    ACTION: ClassVar[str] = "earl"
    viewing_id: int


@dataclass(frozen=True)
class NoRating:
    """✓ No rating: the card's own buttons again."""

    ACTION: ClassVar[str] = "norate"
    film_id: str


@dataclass(frozen=True)
class WatchAgain:
    """🔁 Watched again, on the card of a film already watched: another diary entry."""

    ACTION: ClassVar[str] = "again"
    film_id: str


@dataclass(frozen=True)
class DiaryPage:
    ACTION: ClassVar[str] = "diary"
    page: int


@dataclass(frozen=True)
class OpenMenu:
    """One of the /start and /menu buttons (🎲 is `Another`)."""

    ACTION: ClassVar[str] = "menu"
    item: MenuItem


Payload = (
    Another
    | OpenFilm
    | ChooseLanguage
    | FilmsPage
    | ChangeWatchlist
    | ChooseForWatchlist
    | RemoveGone
    | WatchlistPage
    | PickForTonight
    | ChangeSettings
    | OpenSettings
    | ChooseZone
    | OpenMenu
    | MoreLike
    | OpenShared
    | JoinRound
    | StartVote
    | CloseRound
    | Nominate
    | WeWatched
    | Rate
    | WatchedEarlier
    | NoRating
    | DiaryPage
    | WatchAgain
)
P = TypeVar("P", bound=Payload)


def _matching(pattern: re.Pattern[str], convert: Callable[[str], Any] = str) -> Callable[[str], Any]:
    return lambda arg: convert(arg) if pattern.match(arg) else None


def _member(enum: type[Enum]) -> Callable[[str], Any]:
    values = {member.value: member for member in enum}
    return values.get


_FILM = _matching(_FILM_ID)
_NUMBER = _matching(_PAGE, int)
_LANGUAGE = {"en": "en", "ru": "ru"}.get
_ROUND = _matching(re.compile(r"^[1-9]\d{0,11}$"), int)
_READERS: dict[str, tuple[type[Any], tuple[Callable[[str], Any], ...]]] = {
    Another.ACTION: (Another, ()),
    OpenFilm.ACTION: (OpenFilm, (_FILM,)),
    ChooseLanguage.ACTION: (ChooseLanguage, (_LANGUAGE,)),
    FilmsPage.ACTION: (FilmsPage, (_NUMBER,)),
    ChangeWatchlist.ACTION: (ChangeWatchlist, (_member(WatchlistVerb), _FILM)),
    ChooseForWatchlist.ACTION: (ChooseForWatchlist, (_member(WatchlistVerb), _FILM)),
    RemoveGone.ACTION: (RemoveGone, (_FILM, _NUMBER)),
    WatchlistPage.ACTION: (WatchlistPage, (_NUMBER,)),
    PickForTonight.ACTION: (PickForTonight, ()),
    ChangeSettings.ACTION: (ChangeSettings, (_member(SettingsChange),)),
    OpenSettings.ACTION: (OpenSettings, ()),
    ChooseZone.ACTION: (ChooseZone, (_matching(_CITY), _matching(_MINUTES, int))),
    OpenMenu.ACTION: (OpenMenu, (_member(MenuItem),)),
    MoreLike.ACTION: (MoreLike, (_FILM, _LANGUAGE)),
    OpenShared.ACTION: (OpenShared, (_FILM, _LANGUAGE)),
    JoinRound.ACTION: (JoinRound, (_ROUND,)),
    StartVote.ACTION: (StartVote, (_ROUND,)),
    CloseRound.ACTION: (CloseRound, (_ROUND,)),
    Nominate.ACTION: (Nominate, (_ROUND, _FILM)),
    WeWatched.ACTION: (WeWatched, (_FILM,)),
    Rate.ACTION: (Rate, (_ROUND, _matching(re.compile(r"^([1-9]|10)$"), int))),
    WatchedEarlier.ACTION: (WatchedEarlier, (_ROUND,)),
    NoRating.ACTION: (NoRating, (_FILM,)),
    DiaryPage.ACTION: (DiaryPage, (_NUMBER,)),
    WatchAgain.ACTION: (WatchAgain, (_FILM,)),
}


def encode(payload: Payload) -> str:
    args = [value.value if isinstance(value, Enum) else str(value) for value in astuple(payload)]
    data = ":".join((VERSION, payload.ACTION, *args))
    if len(data.encode()) > CALLBACK_LIMIT:
        raise ValueError(f"callback data over {CALLBACK_LIMIT} bytes: {data!r}")
    return data


def decode(data: object) -> Payload | None:
    """Parse callback data; None for anything forged, truncated, unknown or from another version."""
    if not isinstance(data, str) or not data or len(data.encode()) > CALLBACK_LIMIT:
        return None
    version, _, rest = data.partition(":")
    if version != VERSION:
        return None
    action, *args = rest.split(":")
    reader = _READERS.get(action)
    if reader is None or len(args) != len(reader[1]):
        return None
    values = [read(arg) for read, arg in zip(reader[1], args, strict=True)]
    if any(value is None for value in values):
        return None
    payload: Payload = reader[0](*values)
    return payload


def accepts(kind: type[Payload]) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern: valid data of one kind; everything else falls through."""
    return lambda data: isinstance(decode(data), kind)


def button(label: str, payload: Payload) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(payload))


def watchlist_row(film: Film, language: Language, entry: Entry | None) -> list[InlineKeyboardButton]:
    """The watchlist buttons for the presser's own state (`entry`: their row for this film, if any),
    each saying what pressing it does. A film can be marked watched without being added first."""
    in_list = (
        button(text(language, "button_watchlist_in"), ChangeWatchlist(WatchlistVerb.REMOVE, film.id))
        if entry is not None
        else button(text(language, "button_watchlist_add"), ChangeWatchlist(WatchlistVerb.ADD, film.id))
    )
    watched = (
        button(text(language, "button_watched_done"), ChangeWatchlist(WatchlistVerb.UNWATCHED, film.id))
        if entry is not None and entry.watched
        else button(text(language, "button_watched"), ChangeWatchlist(WatchlistVerb.WATCHED, film.id))
    )
    return [in_list, watched]


# Cards go out without a link preview: their own links are buttons, and a preview of anything else
# would be unrelated to the film (the Bot API's LinkPreviewOptions). Set per card rather than as the
# application's Defaults, which made PTB copy every inline result of every answer to apply it.
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def watch_rows(watch: Sequence[WatchButton], language: Language) -> list[list[InlineKeyboardButton]]:
    """A row per verified place to watch: "▶ Watch on Mosfilm (English subtitles)", a button per
    part of a split film, and on Russian cards the studio's own site."""
    rows = []
    for place in watch:
        if place.site:
            label = text(language, "button_studio_site", name=place.name.get(language))
        else:
            where = place.where.get(language) + (f" ({place.note.get(language)})" if place.note else "")
            key = "button_watch_part" if place.part else "button_watch"
            label = text(language, key, where=where, part=place.part)
        rows.append([InlineKeyboardButton(label, url=place.url)])
    return rows


def more_like_row(film: Film, language: Language) -> list[InlineKeyboardButton]:
    return [button(text(language, "button_more_like"), MoreLike(film.id, language))]


# The few keyboards a card can have, built once per film, language, watchlist state and verified
# links (PTB's objects are immutable).
_CARD_KEYBOARDS: PerFilm[tuple[Language, bool | None, tuple[WatchButton, ...]], InlineKeyboardMarkup] = (
    PerFilm()
)


def card_keyboard(
    film: Film, language: Language, entry: Entry | None = None, watch: tuple[WatchButton, ...] = ()
) -> InlineKeyboardMarkup:
    state = None if entry is None else entry.watched
    return _CARD_KEYBOARDS.get(
        film, (language, state, watch), lambda: _card_keyboard(film, language, entry, watch)
    )


def _card_keyboard(
    film: Film, language: Language, entry: Entry | None, watch: tuple[WatchButton, ...]
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            *watch_rows(watch, language),
            [
                button(text(language, "button_another"), Another()),
                # the title in the reader's language: inline search finds that film first, among
                # at most a few others (tests/core/test_search.py checks every film)
                InlineKeyboardButton(
                    text(language, "button_share"), switch_inline_query=titles(film, language)[0]
                ),
            ],
            [*more_like_row(film, language), recommend_button(film, language)],
            *(
                [[button(text(language, "button_watched_again"), WatchAgain(film.id))]]
                if entry and entry.watched
                else []
            ),
            watchlist_row(film, language, entry),
        ]
    )


def recommend_button(film: Film, language: Language) -> InlineKeyboardButton:
    """💌 Recommend: the sender picks a person or a group, and may type a note after the title."""
    chosen = SwitchInlineQueryChosenChat(
        query=f"{RECOMMEND_MARK} {titles(film, language)[0]} ", allow_user_chats=True, allow_group_chats=True
    )
    return InlineKeyboardButton(text(language, "button_recommend"), switch_inline_query_chosen_chat=chosen)


def daily_card_keyboard(
    film: Film, language: Language, entry: Entry | None = None, watch: tuple[WatchButton, ...] = ()
) -> InlineKeyboardMarkup:
    """The film of the day's card: the usual buttons and ⚙ for the hour or unsubscribing."""
    rows = [list(row) for row in card_keyboard(film, language, entry, watch).inline_keyboard]
    return InlineKeyboardMarkup([*rows, [button(text(language, "button_daily_settings"), OpenSettings())]])


def rating_keyboard(
    film: Film, viewing_id: int, language: Language, daily: bool = False
) -> InlineKeyboardMarkup:
    """Under a film just marked watched: ½★ to 5★, "earlier, not today", and no rating; on the film
    of the day (`daily`) its ⚙ stays, so the card it turns back into is the film of the day's again."""
    labels = ["½", "1", "1½", "2", "2½", "3", "3½", "4", "4½", "5"]
    stars = [button(f"{label}★", Rate(viewing_id, half)) for half, label in enumerate(labels, 1)]
    rows = [
        stars[:5],
        stars[5:],
        [
            button(text(language, "button_watched_earlier"), WatchedEarlier(viewing_id)),
            button(text(language, "button_no_rating"), NoRating(film.id)),
        ],
    ]
    if daily:
        rows.append([button(text(language, "button_daily_settings"), OpenSettings())])
    return InlineKeyboardMarkup(rows)


def diary_keyboard(films: Sequence[Film], page: int, pages: int, language: Language) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([*_film_rows(films, language), pager_row(DiaryPage, page, pages)])


def invitation_keyboard(round_id: int, language: Language) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                button(text(language, "button_join"), JoinRound(round_id)),
                button(text(language, "button_start_vote"), StartVote(round_id)),
            ]
        ]
    )


def poll_keyboard(round_id: int, language: Language) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(text(language, "button_close_vote"), CloseRound(round_id))]])


def winner_keyboard(film: Film, language: Language, watch: tuple[WatchButton, ...]) -> InlineKeyboardMarkup:
    """Under the movie night's winner: where to watch it, 👁 We watched it, and More like this."""
    return InlineKeyboardMarkup(
        [
            *watch_rows(watch, language),
            [button(text(language, "button_we_watched"), WeWatched(film.id))],
            more_like_row(film, language),
        ]
    )


def nomination_keyboard(round_id: int, films: Sequence[Film], language: Language) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(_film_rows(films, language, payload=lambda film: Nominate(round_id, film.id)))


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


def deep_link(bot_username: str, film: Film) -> str:
    return f"https://t.me/{bot_username}?start=film_{film.id}"


def shared_card_keyboard(
    film: Film, language: Language, bot_username: str, watch: tuple[WatchButton, ...] = ()
) -> InlineKeyboardMarkup:
    """Buttons for a card shared into another chat through inline mode."""
    return InlineKeyboardMarkup(
        [
            *watch_rows(watch, language),
            [InlineKeyboardButton(text(language, "button_open_in_bot"), url=deep_link(bot_username, film))],
            more_like_row(film, language),
            watchlist_row(film, language, None),
        ]
    )


def more_like_keyboard(
    film: Film, alike: Sequence[Alike], language: Language, shared: bool
) -> InlineKeyboardMarkup:
    """A button per film of "More like this" that opens its card; with nothing alike, 🎲. On a card
    shared through inline mode (`shared`), the card takes the list's place, and ◀ goes back."""
    if not shared:
        if not alike:
            return InlineKeyboardMarkup([[button(text(language, "button_another"), Another())]])
        return film_choice_keyboard([one.film for one in alike], language)
    rows = _film_rows([one.film for one in alike], language, payload=lambda f: OpenShared(f.id, language))
    back = text(language, "button_back_to", title=titles(film, language)[0])
    return InlineKeyboardMarkup([*rows, [button(back, OpenShared(film.id, language))]])


def film_choice_keyboard(
    films: Sequence[Film], language: Language, verb: WatchlistVerb | None = None
) -> InlineKeyboardMarkup:
    """One button per film: open its card, or with `verb` (add, remove) change the watchlist."""
    return InlineKeyboardMarkup(_film_rows(films, language, verb))


_MARKS = {WatchlistVerb.ADD: "➕ ", WatchlistVerb.REMOVE: "✕ "}


def _film_rows(
    films: Sequence[Film],
    language: Language,
    verb: WatchlistVerb | None = None,
    payload: Callable[[Film], Payload] | None = None,
) -> list[list[InlineKeyboardButton]]:
    """A button per film, "Title (year)", that opens its card; with `verb`, changes the watchlist;
    with `payload`, does what that gives for the film."""
    mark = _MARKS.get(verb, "") if verb else ""

    def action(film: Film) -> Payload:
        if payload is not None:
            return payload(film)
        return ChooseForWatchlist(verb, film.id) if verb else OpenFilm(film.id)

    return [[button(f"{mark}{titles(film, language)[0]} ({film.year})", action(film))] for film in films]


def pager_row(page_of: Callable[[int], Payload], page: int, pages: int) -> list[InlineKeyboardButton]:
    """◀ ▶ buttons around page `page` (0-based) of `pages`; empty when one page is all there is."""
    row = []
    if page > 0:
        row.append(button("◀", page_of(page - 1)))
    if page < pages - 1:
        row.append(button("▶", page_of(page + 1)))
    return row


def catalogue_page_keyboard(
    films: Sequence[Film], page: int, pages: int, language: Language
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([*_film_rows(films, language), pager_row(FilmsPage, page, pages)])


def language_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[button("English", ChooseLanguage("en")), button("Русский", ChooseLanguage("ru"))]]
    )


def watchlist_keyboard(
    entries: Sequence[Entry],
    number: int,
    pages: int,
    language: Language,
    names: Mapping[str, str],
    pickable: bool,
) -> InlineKeyboardMarkup:
    """A button per film on the page (open its card, or remove it if it left the catalogue),
    "pick one for tonight", and ◀ ▶."""
    rows = []
    for entry in entries:
        if entry.film_id in names:
            label = f"{'👁' if entry.watched else '🎬'} {names[entry.film_id]} ({entry.year})"
            rows.append([button(label, OpenFilm(entry.film_id))])
        else:
            label = text(language, "button_remove_gone", title=entry.title)
            rows.append([button(label, RemoveGone(entry.film_id, number))])
    if pickable:
        rows.append([button(text(language, "button_pick"), PickForTonight())])
    rows.append(pager_row(WatchlistPage, number, pages))
    return InlineKeyboardMarkup(rows)


def settings_keyboard(active: bool, language: Language) -> InlineKeyboardMarkup:
    """/settings: subscribe; or an hour or a quarter of an hour earlier / later, the zone, and
    unsubscribe."""
    if not active:
        return InlineKeyboardMarkup(
            [[button(text(language, "button_subscribe"), ChangeSettings(SettingsChange.ON))]]
        )

    def change(key: str, what: SettingsChange) -> InlineKeyboardButton:
        return button(text(language, key), ChangeSettings(what))

    return InlineKeyboardMarkup(
        [
            [change("button_earlier", SettingsChange.EARLIER), change("button_later", SettingsChange.LATER)],
            [
                change("button_earlier_minutes", SettingsChange.SOONER),
                change("button_later_minutes", SettingsChange.AFTER),
            ],
            [change("button_zone", SettingsChange.ZONE), change("button_unsubscribe", SettingsChange.OFF)],
        ]
    )


def zone_keyboard(cities: Sequence[tuple[str, str]], at: time) -> InlineKeyboardMarkup:
    """The zone question: a button per (city key, label), two a row."""
    minutes = at.hour * 60 + at.minute
    buttons = [button(label, ChooseZone(key, minutes)) for key, label in cities]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def menu_keyboard(language: Language, private: bool, bot_username: str) -> InlineKeyboardMarkup:
    """/start and /menu: a random film, the film of the day, the catalogue, the daily film (in a
    group, a link to the private chat, where subscribing happens)."""
    subscribe = (
        button(text(language, "button_menu_subscribe"), OpenMenu(MenuItem.SUBSCRIBE))
        if private
        else InlineKeyboardButton(
            text(language, "button_menu_subscribe"), url=f"https://t.me/{bot_username}?start=subscribe"
        )
    )
    return InlineKeyboardMarkup(
        [
            [
                button(text(language, "button_menu_random"), Another()),
                button(text(language, "button_menu_today"), OpenMenu(MenuItem.TODAY)),
            ],
            [button(text(language, "button_menu_films"), OpenMenu(MenuItem.FILMS)), subscribe],
        ]
    )


def not_found_keyboard(films: Sequence[Film], language: Language) -> InlineKeyboardMarkup:
    """Under "I found nothing": the near misses, if any, then a random film and the catalogue."""
    return InlineKeyboardMarkup(
        [
            *_film_rows(films, language),
            [
                button(text(language, "button_menu_random"), Another()),
                button(text(language, "button_menu_films"), OpenMenu(MenuItem.FILMS)),
            ],
        ]
    )


def payload_of(data: object, kind: type[P]) -> P | None:
    """The payload of `kind` in `data`, or None."""
    payload = decode(data)
    return payload if isinstance(payload, kind) else None
