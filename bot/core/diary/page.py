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
from bot.core.texts import format_day, text


@dataclass(frozen=True)
class DiarySheet:
    """One page of the diary: its text, the films its buttons open, the page shown and how many."""

    text: str
    films: tuple[Film, ...]
    number: int
    pages: int


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
    lines = [text(language, "diary_page", page=number + 1, pages=pages), ""]
    shown: list[Film] = []
    for viewing in page:
        film = films.get(viewing.film_id)
        title, year_kept = kept.get(viewing.film_id, (viewing.film_id, None))
        name = titles(film, language)[0] if film else title
        when = text(language, "diary_earlier")
        if viewing.watched_on is not None:
            when = format_day(language, viewing.watched_on)
            if viewing.watched_on.year != today.year:
                when += f" {viewing.watched_on.year}"
        rating = f" {stars(viewing.rating)}" if viewing.rating else ""
        shown_year = film.year if film else year_kept
        year = f" ({shown_year})" if shown_year else ""
        lines.append(f"{escape(when)} · <b>{escape(name)}</b>{year}{rating}")
        if film is not None and film not in shown:
            shown.append(film)
    return DiarySheet("\n".join(lines), tuple(shown), number, pages)


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
