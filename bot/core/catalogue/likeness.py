"""More like this: the films that share the most with a given one, each with its reasons."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

from bot.core.catalogue.model import Author, Film, Person, Theme


class Shared(Enum):
    DIRECTOR = "director"
    AUTHOR = "author"  # of the source work: Chekhov, Turgenev…
    ACTOR = "actor"  # one of the leads
    THEME = "theme"
    DECADE = "decade"


# What each thing two films share counts for; the one place to tune the ranking. A shared director
# or source author says the most about a film's feel, a lead actor a little less; a theme or a
# decade alone is a weak tie, enough to suggest a film but never to outrank a stronger one.
WEIGHTS = {Shared.DIRECTOR: 4.0, Shared.AUTHOR: 4.0, Shared.ACTOR: 3.0, Shared.THEME: 1.0, Shared.DECADE: 0.5}
LEADS = 3  # the first-billed actors count as the leads
LIMIT = 5


@dataclass(frozen=True)
class Reason:
    shared: Shared
    person: Person | None = None  # the director, author or actor
    theme: Theme | None = None
    decade: int | None = None


@dataclass(frozen=True)
class Alike:
    film: Film
    score: float
    reasons: tuple[Reason, ...]  # strongest first


def _people(people: Iterable[Person]) -> dict[str, Person]:
    return {person.en: person for person in people}


def reasons(film: Film, other: Film, themes: Mapping[str, Theme]) -> list[Reason]:
    """What `other` shares with `film`, strongest first."""
    found = [
        Reason(Shared.DIRECTOR, p)
        for en, p in _people(other.directors).items()
        if en in _people(film.directors)
    ]
    author: Author | None = other.based_on.author if other.based_on else None
    mine = film.based_on.author if film.based_on else None
    same_author = author is not None and mine is not None and mine.en == author.en
    if same_author and author is not None:
        found.append(Reason(Shared.AUTHOR, author))
    leads = _people(film.cast[:LEADS])
    found += [Reason(Shared.ACTOR, p) for en, p in _people(other.cast[:LEADS]).items() if en in leads]
    for key in other.themes:
        # "also a screen adaptation" says nothing more when the author is the same
        if key in film.themes and key in themes and not (same_author and key == "adaptation"):
            found.append(Reason(Shared.THEME, theme=themes[key]))
    if film.year // 10 == other.year // 10:
        found.append(Reason(Shared.DECADE, decade=other.year // 10 * 10))
    return found


def more_like(
    film: Film, films: Iterable[Film], themes: Mapping[str, Theme], limit: int = LIMIT
) -> list[Alike]:
    """Up to `limit` films sharing the most with `film` (never itself), best first. Ties: the nearer
    year first, then title order, so the same catalogue always gives the same list."""
    alike = []
    for other in films:
        if other.id == film.id:
            continue
        found = reasons(film, other, themes)
        if found:
            alike.append(Alike(other, sum(WEIGHTS[r.shared] for r in found), tuple(found)))
    alike.sort(key=lambda a: (-a.score, abs(a.film.year - film.year), a.film.sort_key))
    return alike[:limit]
