"""A user's year in Soviet cinema, from their diary: the films and hours, a count per decade, the
directors and actors they watched most, their average rating against everyone's for the same
films, the best-rated film they have not seen, how much of the collection they have seen and the
badge that goes with it. `render_year` writes it out whole, the text a screen reader reads; the
picture (bot/core/pictures/year.py) shows the same and nothing more."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from bot.core.catalogue.model import Film, Person
from bot.core.diary.model import Viewing
from bot.core.diary.service import bayesian_average
from bot.core.films.card import titles
from bot.core.models import Language
from bot.core.texts import text

BADGES = (100, 75, 50, 25)  # the share of the collection seen, in per cent, that earns a badge
BADGE_MARKS = {25: "🎖", 50: "🏅", 75: "🏆", 100: "👑"}  # in the text; the picture draws a star
MOST = 3  # directors and actors named


@dataclass(frozen=True)
class YearRecap:
    year: int
    films: tuple[Film, ...]  # the films watched that year, each once, first watched first
    viewings: int  # rewatches included
    minutes: int  # every viewing's running time
    decades: tuple[tuple[int, int], ...]  # (1950, films) for each decade of the collection
    directors: tuple[tuple[Person, int], ...]
    actors: tuple[tuple[Person, int], ...]
    own_average: float | None  # stars, of the ratings given that year
    everyone_average: float | None  # stars, everyone's ratings of the same films
    best_unseen: Film | None
    seen: int  # films of the collection ever seen
    collection: int
    badge: int | None  # 25, 50, 75 or 100: the largest share reached

    @property
    def hours(self) -> int:
        return round(self.minutes / 60)


def years_logged(viewings: Iterable[Viewing]) -> list[int]:
    """The years with a dated diary entry, latest first."""
    return sorted({v.watched_on.year for v in viewings if v.watched_on is not None}, reverse=True)


def _most(counts: Counter[str], people: Mapping[str, Person]) -> tuple[tuple[Person, int], ...]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple((people[name], count) for name, count in ranked[:MOST])


def recap(
    year: int,
    viewings: Sequence[Viewing],
    films: Sequence[Film],
    community: Mapping[str, tuple[int, int]],
) -> YearRecap | None:
    """The year's recap, from every diary entry of the user (any year: what they have seen of the
    collection counts them all), the visible films, and everyone's ratings (film id -> count of
    ratings, their sum in half stars); None when no entry is dated that year."""
    by_id = {film.id: film for film in films}
    dated = sorted(
        (
            v
            for v in viewings
            if v.watched_on is not None and v.watched_on.year == year and v.film_id in by_id
        ),
        key=lambda v: (v.watched_on, v.id),
    )
    if not dated:
        return None
    watched = tuple(by_id[film_id] for film_id in dict.fromkeys(v.film_id for v in dated))
    decades = Counter(film.year // 10 * 10 for film in watched)
    all_decades = sorted({film.year // 10 * 10 for film in films})
    people: dict[str, Person] = {}
    directors: Counter[str] = Counter()
    actors: Counter[str] = Counter()
    for film in watched:
        for person in film.directors:
            people[person.en] = person
            directors[person.en] += 1
        for person in film.cast:
            people[person.en] = person
            actors[person.en] += 1
    rated = {v.film_id: v.rating for v in reversed(dated) if v.rating is not None}  # the latest rating
    own = sum(rated.values()) / len(rated) / 2 if rated else None
    counted = [community[f] for f in rated if f in community]
    everyone = sum(t for _, t in counted) / sum(c for c, _ in counted) / 2 if counted else None
    seen_ids = {v.film_id for v in viewings} & set(by_id)
    unseen = [(bayesian_average(total / 2, count), film_id) for film_id, (count, total) in community.items()]
    best = max(((score, f) for score, f in unseen if f in by_id and f not in seen_ids), default=None)
    share = len(seen_ids) * 100 // len(films) if films else 0
    return YearRecap(
        year=year,
        films=watched,
        viewings=len(dated),
        minutes=sum(by_id[v.film_id].runtime_min or 0 for v in dated),
        decades=tuple((d, decades[d]) for d in all_decades),
        directors=_most(directors, people),
        actors=_most(actors, people),
        own_average=own,
        everyone_average=everyone,
        best_unseen=by_id[best[1]] if best else None,
        seen=len(seen_ids),
        collection=len(films),
        badge=next((b for b in BADGES if share >= b), None),
    )


def stars_text(stars: float, language: Language) -> str:
    """ "3.8", «3,8»."""
    shown = f"{stars:.1f}"
    return shown.replace(".", ",") if language == "ru" else shown


def decade_text(decade: int, language: Language) -> str:
    return text(language, "year_decade", decade=decade)


def people_text(people: Sequence[tuple[Person, int]], language: Language) -> str:
    """ "Eldar Ryazanov (3), Georgiy Daneliya (2)"."""
    return ", ".join(f"{person.get(language)} ({count})" for person, count in people)


def people_line(key: str, people: Sequence[tuple[Person, int]], language: Language) -> str:
    """The directors (or actors) watched most, with how many of the year's films each made; when
    no one was watched twice, only who they were."""
    if all(count == 1 for _, count in people):
        who = ", ".join(p.get(language) for p, _ in people)
        return text(language, f"year_{key}_once", who=who, count=len(people))
    return text(language, f"year_{key}", who=people_text(people, language))


def year_lines(summary: YearRecap, language: Language) -> list[tuple[str, str]]:
    """The recap as (what, line) pairs, in order: the picture and the text say the same things."""
    lines = [
        ("heading", text(language, "year_heading", year=summary.year)),
        ("films", text(language, "year_films", count=len(summary.films))),
        ("hours", text(language, "year_hours", count=summary.hours)),
    ]
    if summary.viewings > len(summary.films):
        lines.append(("viewings", text(language, "year_viewings", count=summary.viewings)))
    for key, people in (("directors", summary.directors), ("actors", summary.actors)):
        if people:
            lines.append((key, people_line(key, people, language)))
    if summary.own_average is not None:
        own = stars_text(summary.own_average, language)
        if summary.everyone_average is not None:
            everyone = stars_text(summary.everyone_average, language)
            lines.append(("ratings", text(language, "year_ratings", own=own, everyone=everyone)))
        else:
            lines.append(("ratings", text(language, "year_own_rating", own=own)))
    if summary.best_unseen is not None:
        film = summary.best_unseen
        title = titles(film, language)[0]
        lines.append(("unseen", text(language, "year_best_unseen", title=title, year=film.year)))
    lines.append(("seen", text(language, "year_seen", seen=summary.seen, count=summary.collection)))
    if summary.badge is not None:
        lines.append(("badge", text(language, f"year_badge_{summary.badge}")))
    return lines


def render_year(summary: YearRecap, language: Language) -> str:
    """The whole recap as Telegram HTML: complete without its picture."""
    lines = dict(year_lines(summary, language))
    decades = " · ".join(f"{decade_text(d, language)} — {n}" for d, n in summary.decades if n)
    body = [f"<b>{escape(lines.pop('heading'))}</b>", ""]
    body.append(escape(" · ".join(lines.pop(k) for k in ("films", "hours", "viewings") if k in lines)))
    body.append(escape(text(language, "year_by_decade", decades=decades)))
    if "badge" in lines and summary.badge is not None:
        lines["badge"] = f"{BADGE_MARKS[summary.badge]} {lines['badge']}"
    body += [escape(line) for line in lines.values()]
    return "\n".join(body)
