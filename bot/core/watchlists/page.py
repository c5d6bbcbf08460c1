"""The /watchlist view and the Letterboxd export: pure functions over watchlist entries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from bot.core.models import Language, page_of
from bot.core.texts import text
from bot.core.watchlists.model import Entry


@dataclass(frozen=True)
class WatchlistPage:
    text: str
    entries: tuple[Entry, ...]
    number: int
    pages: int


def render_watchlist(
    entries: Sequence[Entry], number: int, language: Language, titles: Mapping[str, str]
) -> WatchlistPage:
    """Page `number` (0-based, clamped) of a list ordered to-watch first, then watched.
    `titles` names the films still in the catalogue, in the reader's language."""
    page, number, pages = page_of(entries, number)
    shown = tuple(page)
    watched = sum(1 for e in entries if e.watched)
    lines = [
        text(language, "wl_title"),
        text(language, "wl_counts", to_watch=len(entries) - watched, watched=watched),
    ]
    section = None
    for entry in shown:
        heading = "wl_section_watched" if entry.watched else "wl_section_to_watch"
        if heading != section:
            lines += ["", f"<b>{text(language, heading)}</b>"]
            section = heading
        title = titles.get(entry.film_id)
        gone = "" if title else " " + text(language, "wl_gone")
        lines.append(f"• {escape(title or entry.title)} ({entry.year}){gone}")
    if pages > 1:
        lines += ["", text(language, "wl_page", page=number + 1, pages=pages)]
    return WatchlistPage("\n".join(lines), shown, number, pages)
