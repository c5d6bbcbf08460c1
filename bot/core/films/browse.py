"""The /films browser: the visible films by decade, ten to a page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.catalogue.model import Film


@dataclass(frozen=True)
class DecadePage:
    """One page of the catalogue browser: films of one decade, in order of year."""

    decade: int
    films: tuple[Film, ...]


def decade_pages(films: Iterable[Film], per_page: int = 10) -> list[DecadePage]:
    """Films by decade, oldest first, each decade split into pages of at most `per_page`.
    Within a year, films keep the order given (pass Catalogue.alphabetical for title order)."""
    ordered = sorted(films, key=lambda f: f.year)
    pages: list[DecadePage] = []
    for film in ordered:
        decade = film.year // 10 * 10
        if pages and pages[-1].decade == decade and len(pages[-1].films) < per_page:
            pages[-1] = DecadePage(decade, (*pages[-1].films, film))
        else:
            pages.append(DecadePage(decade, (film,)))
    return pages
