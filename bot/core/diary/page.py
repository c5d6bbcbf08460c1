"""What /diary and /top say: a page of the diary, newest first, and the community's top films."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from bot.core.catalogue.model import Film
from bot.core.diary.model import Ranked, Viewing
from bot.core.films.card import titles, verdict_text
from bot.core.models import Language, page_of, stars
from bot.core.texts import format_day, strings, text


@dataclass(frozen=True)
class Line:
    """A diary entry on a page: the viewing, its film, and how its button reads ("12 May · Asya")."""

    viewing_id: int
    film_id: str
    label: str


@dataclass(frozen=True)
class DiarySheet:
    """One page of the diary: its text, its entries (a button each), the page shown and how many."""

    text: str
    lines: tuple[Line, ...]
    number: int
    pages: int


def when(viewing: Viewing, language: Language, today: date, undated: str = "diary_earlier") -> str:
    """When the viewing was, as the diary says it: "12 May" (with the year, when not this year),
    "May 2024" for a month, or the text `undated` names; lower case where the language has it."""
    day = viewing.watched_on
    if day is None:
        return text(language, undated)
    if viewing.month_only:
        return text(
            language, "month_format", month=strings(language, "months_alone")[day.month - 1], year=day.year
        )
    shown = format_day(language, day)
    return shown if day.year == today.year else f"{shown} {day.year}"


def _named(
    film: Film | None, kept: tuple[str, int | None] | None, film_id: str, language: Language
) -> tuple[str, int | None]:
    """A film's title in the reader's language and its year; for a film that left the catalogue,
    those the list kept."""
    if film is not None:
        return titles(film, language)[0], film.year
    return kept if kept is not None else (film_id, None)


def render_diary(
    viewings: Sequence[Viewing],
    films: Mapping[str, Film],
    kept: Mapping[str, tuple[str, int]],
    number: int,
    language: Language,
    today: date,
) -> DiarySheet:
    """Page `number` (0-based, clamped); `films` are those still in the catalogue, `kept` the title
    and year the list kept of each film, so a film that left the catalogue keeps its line."""
    page, number, pages = page_of(viewings, number)
    if not viewings:
        return DiarySheet(text(language, "diary_empty"), (), 0, 1)
    entries = text(language, "diary_count", count=len(viewings))
    lines = [text(language, "diary_page", page=number + 1, pages=pages, entries=entries), ""]
    shown: list[Line] = []
    for viewing in page:
        name, year = _named(films.get(viewing.film_id), kept.get(viewing.film_id), viewing.film_id, language)
        date_text = capitalised(when(viewing, language, today))
        rating = f" {stars(viewing.rating)}" if viewing.rating else ""
        lines.append(f"{escape(date_text)} · {_headed(name, year)}{rating}")
        shown.append(Line(viewing.id, viewing.film_id, f"{date_text} · {name}"))
    lines += ["", text(language, "diary_hint")]
    return DiarySheet("\n".join(lines), tuple(shown), number, pages)


def _headed(name: str, year: int | None) -> str:
    """ "<b>Title</b> (year)", as the diary's lines and an entry's messages name a film."""
    return f"<b>{escape(name)}</b>" + (f" ({year})" if year else "")


@dataclass(frozen=True)
class EntrySheet:
    """One diary entry, opened to change it: its text, the film (None: it left the catalogue), the
    page of the diary that lists it, and its title and date as other messages name them."""

    viewing: Viewing
    film: Film | None
    text: str
    page: int
    title: str  # "<b>Title</b> (year)"
    when: str


def render_entry(
    viewing: Viewing,
    film: Film | None,
    kept: tuple[str, int] | None,
    page: int,
    language: Language,
    today: date,
) -> EntrySheet:
    title = _headed(*_named(film, kept, viewing.film_id, language))
    full_date = escape(when(viewing, language, today, "entry_undated"))
    rating = stars(viewing.rating) if viewing.rating else text(language, "entry_no_rating")
    body = text(language, "entry", title=title, when=full_date, rating=rating)
    return EntrySheet(viewing, film, body, page, title, full_date)


def capitalised(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]


def render_top(ranked: Sequence[Ranked], language: Language, own: bool) -> str:
    """/top: the films by the community's ratings; with `own` (a private chat), the reader's stars."""
    if not ranked:
        return text(language, "top_empty")
    lines = [text(language, "top_heading"), ""]
    for number, one in enumerate(ranked, 1):
        name = escape(titles(one.film, language)[0])
        parts = [verdict_text(one.verdict, language) if one.verdict else text(language, "top_few")]
        if one.own is not None and own:
            parts.append(text(language, "top_yours", stars=stars(one.own)))
        lines.append(f"{number}. <b>{name}</b> ({one.film.year}) — {' · '.join(parts)}")
    return "\n".join(lines)
