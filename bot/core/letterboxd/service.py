"""Letterboxd, both ways. Export as Letterboxd's importer documents it (letterboxd.com/about/
importing-data: Title, Year, Directors, WatchedDate, Rating from 0.5 to 5, Rewatch, LetterboxdURI;
other columns are ignored, so the Russian title rides along as "Original Title"): the diary and
ratings in one file, the films to watch in another. Import a Letterboxd export (its ZIP, or its
watchlist.csv, watched.csv, ratings.csv or diary.csv — or one of our own exports): rows are matched
to the catalogue by title and year, tolerating an original title, an alias or a year off by one.
Bad files are refused whole, with a reason; nothing is half-imported.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.core.catalogue.model import Film
from bot.core.catalogue.search import SearchIndex, Verdict, fold
from bot.core.diary.model import Viewing
from bot.core.diary.table import DiaryTable
from bot.core.films.service import Films
from bot.core.models import Refused
from bot.core.storage import Storage
from bot.core.watchlists.model import Entry
from bot.core.watchlists.table import WatchlistTable

MAX_FILE_BYTES = 5 * 2**20  # a Letterboxd export of a few thousand films is well under 1 MB
MAX_UNPACKED_BYTES = 20 * 2**20
MAX_ROWS = 50_000
WATCHED_COLUMNS = [
    "Title",
    "Year",
    "Directors",
    "WatchedDate",
    "Rating",
    "Rewatch",
    "LetterboxdURI",
    "Original Title",
]
WATCHLIST_COLUMNS = ["Title", "Year", "Directors", "LetterboxdURI", "Original Title"]
KNOWN_FILES = ("watchlist.csv", "watched.csv", "ratings.csv", "diary.csv")


def release_year(film: Film) -> int:
    """The year Letterboxd files a film under: its first showing."""
    return film.premiere_year or film.year


def _rating(half_stars: int | None) -> str:
    return (
        "" if half_stars is None else (f"{half_stars // 2}" if half_stars % 2 == 0 else f"{half_stars / 2}")
    )


def _write(columns: list[str], rows: Iterable[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _film_columns(film: Film | None, entry: Entry | None) -> tuple[str, int, str, str, str]:
    if film is not None:
        directors = ", ".join(p.en for p in film.directors)
        return film.title, release_year(film), directors, film.letterboxd or "", film.original_title or ""
    assert entry is not None
    return entry.title, entry.year, "", "", ""


@dataclass(frozen=True)
class ExportFile:
    name: str
    content: bytes
    rows: int


def export(
    entries: Sequence[Entry], viewings: Sequence[Viewing], films: Mapping[str, Film]
) -> tuple[ExportFile | None, ExportFile | None]:
    """(the diary and ratings, the films to watch), each None when empty. Viewings oldest first, a
    second viewing of a film marked as a rewatch; a film marked watched with no viewing logged gets
    its row with the day it was marked."""
    rows = []
    seen: set[str] = set()
    by_id = {e.film_id: e for e in entries}
    for viewing in sorted(viewings, key=lambda v: (v.watched_on or date.min, v.id)):
        title, year, directors, uri, original = _film_columns(
            films.get(viewing.film_id), by_id.get(viewing.film_id)
        )
        watched = viewing.watched_on.isoformat() if viewing.watched_on else ""
        rewatch = "true" if viewing.film_id in seen else "false"
        seen.add(viewing.film_id)
        rows.append([title, year, directors, watched, _rating(viewing.rating), rewatch, uri, original])
    for entry in entries:
        if entry.watched_at is not None and entry.film_id not in seen:
            title, year, directors, uri, original = _film_columns(films.get(entry.film_id), entry)
            rows.append(
                [title, year, directors, entry.watched_at.date().isoformat(), "", "false", uri, original]
            )
    to_watch = [list(_film_columns(films.get(e.film_id), e)) for e in entries if e.watched_at is None]
    watched_file = (
        ExportFile("letterboxd-diary.csv", _write(WATCHED_COLUMNS, rows), len(rows)) if rows else None
    )
    watchlist_file = (
        ExportFile("letterboxd-watchlist.csv", _write(WATCHLIST_COLUMNS, to_watch), len(to_watch))
        if to_watch
        else None
    )
    return watched_file, watchlist_file


# Import


@dataclass(frozen=True)
class Row:
    """One row of a Letterboxd file, as read."""

    kind: str  # watchlist, watched, ratings, diary
    title: str
    year: int | None
    watched_on: date | None = None
    rating: int | None = None  # half stars


@dataclass
class ImportPlan:
    """What an import adds, film by film (matched), and the rows that matched nothing."""

    to_watch: set[str] = field(default_factory=set)
    watched: set[str] = field(default_factory=set)
    viewings: set[tuple[str, date | None, int | None]] = field(default_factory=set)
    ratings: dict[str, int] = field(default_factory=dict)
    unmatched: list[tuple[str, int | None]] = field(default_factory=list)

    @property
    def films(self) -> int:
        return len(self.to_watch | self.watched | set(self.ratings))


def read_files(name: str, content: bytes) -> list[tuple[str, bytes]]:
    """The CSV files in what the user sent: a ZIP (only its top-level known files), or one CSV."""
    if len(content) > MAX_FILE_BYTES:
        raise Refused("lb_too_big", limit=MAX_FILE_BYTES // 2**20)
    if content[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(io.BytesIO(content))
            members = [
                m
                for m in archive.infolist()
                if m.filename.rsplit("/", 1)[-1] in KNOWN_FILES and "/" not in m.filename
            ]
            if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
                raise Refused("lb_too_big", limit=MAX_FILE_BYTES // 2**20)
            files = [(m.filename, _read_member(archive, m)) for m in members]
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError):
            raise Refused("lb_not_export") from None
        if not files:
            raise Refused("lb_not_export")
        return files
    return [(name, content)]


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """A member, read no further than its declared size allows (a ZIP bomb lies about it)."""
    with archive.open(member) as stream:
        data = stream.read(MAX_UNPACKED_BYTES + 1)
    if len(data) > MAX_UNPACKED_BYTES:
        raise Refused("lb_too_big", limit=MAX_FILE_BYTES // 2**20)
    return data


def _kind(name: str, columns: Sequence[str]) -> str:
    base = name.rsplit("/", 1)[-1].lower()
    if "Watched Date" in columns or base == "diary.csv" or ("WatchedDate" in columns and "Rating" in columns):
        return "diary"
    if base == "ratings.csv" or ("Rating" in columns and "Date" in columns):
        return "ratings"
    if base == "watched.csv" or "WatchedDate" in columns:
        return "watched"
    return "watchlist"


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


def _half_stars(value: str) -> int | None:
    try:
        stars = float(value.strip().replace(",", "."))
    except ValueError:
        return None
    half = round(stars * 2)
    return half if 1 <= half <= 10 else None


def read_rows(files: Sequence[tuple[str, bytes]]) -> list[Row]:
    rows: list[Row] = []
    for name, content in files:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Refused("lb_encoding") from None
        try:
            reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
            columns = reader.fieldnames or []
            title_column = "Name" if "Name" in columns else "Title" if "Title" in columns else None
            if title_column is None or "Year" not in columns:
                raise Refused("lb_not_export")
            kind = _kind(name, columns)
            for record in reader:
                if len(rows) >= MAX_ROWS:
                    raise Refused("lb_too_big", limit=MAX_FILE_BYTES // 2**20)
                title = (record.get(title_column) or "").strip()
                if not title:
                    continue
                year_text = (record.get("Year") or "").strip()
                watched = record.get("Watched Date") or record.get("WatchedDate") or ""
                rows.append(
                    Row(
                        kind,
                        title,
                        int(year_text) if year_text.isdigit() else None,
                        _date(watched),
                        _half_stars(record.get("Rating") or ""),
                    )
                )
        except csv.Error:
            raise Refused("lb_malformed", name=name.rsplit("/", 1)[-1]) from None
    return rows


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


def plan(rows: Sequence[Row], index: SearchIndex) -> ImportPlan:
    """What importing these rows adds. A diary row is a viewing (with its date and rating); a watched
    row, a viewing only if the diary has none of that film; a ratings row, the film's rating (and a
    watched mark); a watchlist row, a film to watch unless it is watched."""
    result = ImportPlan()
    unmatched: dict[tuple[str, int | None], None] = {}
    matched: list[tuple[Row, Film]] = []
    for row in rows:
        film = match(row.title, row.year, index)
        if film is None:
            unmatched[(row.title, row.year)] = None
        else:
            matched.append((row, film))
    diaried = {film.id for row, film in matched if row.kind == "diary"}
    for row, film in matched:
        if row.kind == "diary":
            result.watched.add(film.id)
            result.viewings.add((film.id, row.watched_on, row.rating))
            if row.rating is not None:
                result.ratings[film.id] = row.rating
        elif row.kind in ("watched", "ratings"):
            result.watched.add(film.id)
            if film.id not in diaried:
                result.viewings.add((film.id, row.watched_on, None))
            if row.kind == "ratings" and row.rating is not None and film.id not in diaried:
                result.ratings[film.id] = row.rating
        else:
            result.to_watch.add(film.id)
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
        viewings = self._storage.table(DiaryTable).viewings(user_id)
        return export(entries, viewings, self._films.catalogue.by_id)

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
            changed = await self._storage.table(DiaryTable).apply_import(
                user_id, films, found.to_watch, found.watched, found.viewings, found.ratings
            )
        return Imported(len(found.to_watch), len(found.watched), len(found.ratings), found.unmatched, changed)
