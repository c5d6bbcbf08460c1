"""Letterboxd, both ways, for a user: their diary and ratings and their films to watch as the files
Letterboxd imports (files.py), and a Letterboxd export imported, its rows matched to the catalogue
by title and year (tolerating an original title, an alias or a year off by one), in one
transaction: a bad file is refused whole, and nothing is half-imported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.catalogue.model import Film
from bot.core.catalogue.search import SearchIndex, Verdict, fold
from bot.core.diary.table import DiaryTable
from bot.core.films.service import Films
from bot.core.letterboxd.files import ExportFile, Row, export, read_files, read_rows, release_year
from bot.core.letterboxd.model import ImportedViewing, ImportPlan
from bot.core.letterboxd.table import LetterboxdTable
from bot.core.models import Refused
from bot.core.storage import Storage
from bot.core.watchlists.table import WatchlistTable


def match(title: str, year: int | None, index: SearchIndex) -> Film | None:
    """The catalogue film a row means: a title, original title or alias equal to the row's (folded),
    in the row's year or one off (the production year, the release year); else the one film a search
    for the title finds, in such a year."""

    def year_fits(film: Film) -> bool:
        return year is None or any(abs(year - y) <= 1 for y in (film.year, release_year(film)))

    named = [f for f in index.named(fold(title)) if year_fits(f)]
    if len(named) == 1:
        return named[0]
    found = index.find(title)
    if found.verdict is Verdict.ONE and year_fits(found.films[0]):
        return found.films[0]
    return None


def _film_address(uri: str | None) -> str:
    """A film's Letterboxd address in a canonical form (an entry's boxd.it link is no film's)."""
    found = re.match(r"^https?://(?:www\.)?letterboxd\.com/film/([a-z0-9-]+)/?$", uri or "")
    return f"letterboxd:{found.group(1)}" if found else ""


def _by_identifier(films: Sequence[Film]) -> dict[str, Film]:
    """The films by their IMDb id and their Letterboxd address."""
    known: dict[str, Film] = {}
    for film in films:
        if film.ids.imdb is not None:
            known[film.ids.imdb.value] = film
        if address := _film_address(film.letterboxd_address):
            known[address] = film
    return known


def plan(rows: Sequence[Row], index: SearchIndex) -> ImportPlan:
    """What importing these rows adds. A diary row is a viewing (its date, rating, rewatch and
    address); a watched or ratings row marks the film watched — a viewing of its own only if no
    diary row has the film — and a ratings row gives the film's rating; a watchlist row, a film to
    watch unless it is watched. Whichever files the rows come from, and in whatever order they
    are imported, the outcome is the same (DiaryTable.apply_import keeps that true across imports)."""
    result = ImportPlan()
    unmatched: dict[tuple[str, int | None], None] = {}
    matched: list[tuple[Row, Film]] = []
    known = _by_identifier(index.films)
    for row in rows:
        # the exact film first, by an id or a film's Letterboxd address; then by title and year
        film = (
            known.get(row.imdb or "")
            or known.get(_film_address(row.uri))
            or match(row.title, row.year, index)
        )
        if film is None:
            unmatched[(row.title, row.year)] = None
        else:
            matched.append((row, film))
    diaried = {film.id for row, film in matched if row.kind == "diary"}
    marks: dict[str, int | None] = {}
    for row, film in matched:
        if film.id not in result.order:
            result.order.append(film.id)
        if row.kind == "diary":
            result.watched.add(film.id)
            result.viewings.append(ImportedViewing(film.id, row.watched_on, row.rating, row.rewatch, row.uri))
            continue
        if row.uri is not None and row.kind != "diary":  # a diary row's is its entry's
            result.addresses.setdefault(film.id, row.uri)
        if row.kind == "mark":
            result.watched.add(film.id)
            result.viewings.append(ImportedViewing(film.id, None, row.rating, mark=True, explicit=True))
            continue
        if row.kind in ("watched", "ratings"):
            result.watched.add(film.id)
            if row.kind == "ratings" and row.rating is not None:
                result.ratings[film.id] = row.rating
            if film.id not in diaried:
                marks[film.id] = marks.get(film.id) or (row.rating if row.kind == "ratings" else None)
        else:
            result.to_watch.add(film.id)
    result.viewings += [ImportedViewing(f, None, rating, mark=True) for f, rating in marks.items()]
    result.to_watch -= result.watched
    result.unmatched = list(unmatched)
    return result


@dataclass(frozen=True)
class Imported:
    to_watch: int
    watched: int
    rated: int
    unmatched: list[tuple[str, int | None]]
    changed: int  # 0: everything in the file was here already


class Letterboxd:
    """The users' side of Letterboxd: their export files, and importing one of Letterboxd's."""

    def __init__(self, storage: Storage, films: Films):
        self._storage = storage
        self._films = films

    async def export(self, user_id: int) -> tuple[ExportFile | None, ExportFile | None]:
        entries = await self._storage.table(WatchlistTable).entries(user_id)
        diary = self._storage.table(DiaryTable)
        return export(
            entries,
            await diary.viewings(user_id),
            self._films.catalogue.by_id,
            await diary.ratings_of(user_id),
        )

    async def import_file(self, user_id: int, name: str, content: bytes) -> Imported:
        """Refused for a file that is not a Letterboxd export (nothing is stored then);
        StorageUnavailable if the database cannot take it (nothing is stored either)."""
        rows = read_rows(read_files(name, content))
        if not rows:
            raise Refused("lb_empty")
        catalogue = self._films.catalogue
        found = plan(rows, self._films.library.index)
        films = {
            film_id: (f.title, f.year)
            for film_id in found.to_watch | found.watched
            if (f := catalogue.by_id.get(film_id))
        }
        changed = 0
        if films or found.ratings:
            changed = await self._storage.table(LetterboxdTable).apply_import(user_id, films, found)
        rated = set(found.ratings) | {v.film_id for v in found.viewings if v.rating is not None}
        return Imported(len(found.to_watch), len(found.watched), len(rated), found.unmatched, changed)
