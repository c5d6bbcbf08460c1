"""Letterboxd's file formats, both ways: the CSV files its importer takes (letterboxd.com/about/
importing-data: Title, Year, Directors, WatchedDate, Rating from 0.5 to 5, Rewatch, LetterboxdURI;
other columns are ignored, so the Russian title rides along as "Original Title"), and the rows of
its exports (its ZIP, or watchlist.csv, watched.csv, ratings.csv or diary.csv — or one of ours).
A file that is not such an export is refused whole, with the reason (models.Refused)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from bot.core.catalogue.model import Film
from bot.core.diary.model import Viewing
from bot.core.models import Refused
from bot.core.watchlists.model import Entry

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
    "imdbID",
    "Original Title",
]
# LetterboxdURI and imdbID make Letterboxd's importer match the exact film (letterboxd.com/about/
# importing-data: "Providing a LetterboxdURI, tmdbID or imdbID ... performs an exact match").
WATCHLIST_COLUMNS = ["Title", "Year", "Directors", "LetterboxdURI", "imdbID", "Original Title"]
KNOWN_FILES = (  # Letterboxd's, and our own export's
    "watchlist.csv",
    "watched.csv",
    "ratings.csv",
    "diary.csv",
    "letterboxd-diary.csv",
    "letterboxd-watchlist.csv",
)


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


def _film_columns(film: Film | None, entry: Entry | None) -> tuple[str, int, str, str, str, str]:
    """Title, year, directors, Letterboxd address, IMDb id and original title, from the catalogue
    (the address a Letterboxd import gave wins) or, for a film that left it, from the list."""
    uri = entry.letterboxd_uri if entry is not None and entry.letterboxd_uri else None
    if film is not None:
        directors = ", ".join(p.en for p in film.directors)
        address = uri or film.letterboxd_address or ""
        imdb = film.ids.imdb.value if film.ids.imdb else ""
        return film.title, release_year(film), directors, address, imdb, film.original_title or ""
    assert entry is not None
    return entry.title, entry.year, "", uri or "", "", ""


@dataclass(frozen=True)
class ExportFile:
    name: str
    content: bytes
    rows: int


def export(
    entries: Sequence[Entry],
    viewings: Sequence[Viewing],
    films: Mapping[str, Film],
    ratings: Mapping[str, int] | None = None,
) -> tuple[ExportFile | None, ExportFile | None]:
    """(the diary and ratings, the films to watch), each None when empty. Viewings oldest first,
    each with its date (none for "earlier": Letterboxd then imports it as watched, not as a diary
    entry), its rating and its address; Rewatch as an import said, else true for a film already
    watched before. A film's rating that no viewing carries (`ratings`: a rating given without a
    date) goes on its undated row, or a row of its own without a date, where Letterboxd's importer
    takes a rating (with no Rewatch, as a row that is no diary entry: our import reads it back so).
    A film marked watched with no viewing gets its row with the day it was marked."""
    rows = []
    seen: set[str] = set()
    by_id = {e.film_id: e for e in entries}
    # undated entries before undated marks, as an import adds them: a re-export keeps the order
    ordered = sorted(viewings, key=lambda v: (v.watched_on or date.min, v.mark, v.id))
    carried = {v.film_id for v in ordered if v.rating is not None}
    loose = {f: r for f, r in (ratings or {}).items() if f not in carried}
    for viewing in ordered:
        title, year, directors, uri, imdb, original = _film_columns(
            films.get(viewing.film_id), by_id.get(viewing.film_id)
        )
        watched = viewing.watched_on.isoformat() if viewing.watched_on else ""
        rating = viewing.rating
        if rating is None and viewing.watched_on is None and viewing.film_id in loose:
            rating = loose.pop(viewing.film_id)
        again = viewing.film_id in seen if viewing.rewatch is None else viewing.rewatch
        seen.add(viewing.film_id)
        address = viewing.letterboxd_uri or uri
        rewatch = "" if viewing.mark else _true(again)  # a mark is no diary entry: no Rewatch
        rows.append([title, year, directors, watched, _rating(rating), rewatch, address, imdb, original])
    for entry in entries:
        if entry.watched_at is not None and entry.film_id not in seen:
            title, year, directors, uri, imdb, original = _film_columns(films.get(entry.film_id), entry)
            day = entry.watched_at.date().isoformat()
            rows.append(
                [
                    title,
                    year,
                    directors,
                    day,
                    _rating(loose.pop(entry.film_id, None)),
                    "false",
                    uri,
                    imdb,
                    original,
                ]
            )
    for film_id, rating in sorted(loose.items()):  # rated, and nothing else left of it
        if films.get(film_id) is None and film_id not in by_id:
            continue  # neither in the catalogue nor on the list: nothing to name it by
        title, year, directors, uri, imdb, original = _film_columns(films.get(film_id), by_id.get(film_id))
        rows.append(
            [title, year, directors, "", _rating(rating), "", uri, imdb, original]
        )  # no entry: no Rewatch
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


def _true(value: bool) -> str:
    return "true" if value else "false"


@dataclass(frozen=True)
class Row:
    """One row of a Letterboxd file, as read."""

    kind: str  # watchlist, watched, ratings, diary; mark: a watched row of our own export
    title: str
    year: int | None
    watched_on: date | None = None
    rating: int | None = None  # half stars
    rewatch: bool | None = None  # a diary row's Rewatch column; None where the file has none
    uri: str | None = None  # its Letterboxd address: a diary entry's, or the film's
    imdb: str | None = None  # the film's IMDb id, where the file gives it (our export, other tools)


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


_URI = re.compile(r"^https://(letterboxd\.com/[A-Za-z0-9_./-]+|boxd\.it/[A-Za-z0-9]+)/?$")


def _yes(value: str) -> bool:
    """A Rewatch column: Letterboxd writes "Yes" or nothing; our own export "true" or "false"."""
    return value.strip().lower() in ("yes", "true", "1")


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
                uri = (record.get("Letterboxd URI") or record.get("LetterboxdURI") or "").strip()
                rewatch = record.get("Rewatch")
                # a row with neither a date nor a Rewatch is no diary entry: the film watched, maybe
                # rated (as our export writes a mark or a rating given alone), not a viewing
                rating_only = (
                    kind == "diary" and not _date(watched) and rewatch is not None and not rewatch.strip()
                )
                rows.append(
                    Row(
                        "mark" if rating_only else kind,
                        title,
                        int(year_text) if year_text.isdigit() else None,
                        _date(watched),
                        _half_stars(record.get("Rating") or ""),
                        _yes(rewatch)
                        if rewatch is not None and kind == "diary" and not rating_only
                        else None,
                        uri if _URI.match(uri) else None,
                        imdb
                        if re.fullmatch(r"tt\d{7,8}", imdb := (record.get("imdbID") or "").strip())
                        else None,
                    )
                )
        except csv.Error:
            raise Refused("lb_malformed", name=name.rsplit("/", 1)[-1]) from None
    return rows
