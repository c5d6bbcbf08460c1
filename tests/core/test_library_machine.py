"""One user's library through the core, as a state machine (Hypothesis): random sequences of add,
remove, mark watched, rate, watched again, not watched (asked, kept or confirmed), undo, a diary
entry's rating, date (a day, a month or none) or deletion alone, imports of
Letterboxd's files (each kind alone, or the ZIP, in any order), and export followed by import into a
fresh user. After every step: the list and the diary agree, and nothing was lost but by an
explicit delete; every import is idempotent and independent of how its files were split; export
then import reproduces the state. Issue #24."""

from __future__ import annotations

import asyncio
import csv
import io
import itertools
import random
import shutil
import tempfile
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from bot.core.letterboxd.files import release_year
from bot.core.models import Zone
from bot.core.services import Core, CoreSettings
from bot.core.watchlists.model import WatchlistVerb
from bot.core.watchlists.service import Change
from tests.support.samples import zip_of

ROOT = Path(__file__).resolve().parents[2]
FILMS = ["cranes-are-flying", "white-nights", "five-evenings", "irony-of-fate", "winter-cherry"]
ME = 1
DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 11, 30))
HALF_STARS = st.integers(min_value=1, max_value=10)

State = tuple[frozenset[str], frozenset[str], tuple[tuple[str, date | None, int | None], ...], dict[str, int]]


def letterboxd_rating(half_stars: int) -> str:
    return str(half_stars // 2) if half_stars % 2 == 0 else str(half_stars / 2)


def csv_file(columns: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode()


# One film of a Letterboxd account: its diary entries (date, half stars or None), a rating given
# without a diary entry, whether it is marked watched without either, whether it is on the watchlist.
ACCOUNT_FILM = st.fixed_dictionaries(
    {
        "diary": st.lists(st.tuples(DAYS, st.none() | HALF_STARS), max_size=2, unique_by=lambda e: e[0]),
        "rating": st.none() | HALF_STARS,
        "watched": st.booleans(),
        "watchlist": st.booleans(),
    }
)
ACCOUNT = st.dictionaries(st.sampled_from(FILMS), ACCOUNT_FILM, min_size=1, max_size=3)


class Library(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.folder = Path(tempfile.mkdtemp(prefix="library-"))
        core_settings = CoreSettings(
            catalogue_path=ROOT / "data" / "films.yaml",
            database_path=self.folder / "bot.sqlite3",
            zone=Zone("UTC", UTC),
            daily_time=time(10),
            broadcast_rate=25.0,
        )
        self.core = self.run(Core.open(core_settings, clock=lambda: datetime(2026, 12, 6, 12, tzinfo=UTC)))
        self.undos: list[tuple[str, int]] = []
        self.fresh = itertools.count(1000)
        self.deleted: set[str] = set()  # films whose viewings a step deleted on purpose

    def run(self, coroutine: Any) -> Any:
        return self.loop.run_until_complete(coroutine)

    def teardown(self) -> None:
        self.run(self.core.close())
        self.loop.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def state(self, user: int) -> State:
        entries = self.run(self.core.watchlists.entries(user))
        viewings = tuple(
            sorted(
                ((v.film_id, v.watched_on, v.rating) for v in self.run(self.core.diary.entries(user))),
                key=repr,
            )
        )
        return (
            frozenset(e.film_id for e in entries if not e.watched),
            frozenset(e.film_id for e in entries if e.watched),
            viewings,
            self.run(self.core.diary.ratings(user)),
        )

    @initialize()
    def start_empty(self) -> None:
        assert self.state(ME) == (frozenset(), frozenset(), (), {})

    # what the user does in the bot

    @rule(film=st.sampled_from(FILMS))
    def add(self, film: str) -> None:
        before = self.state(ME)
        change = self.run(self.core.watchlists.change(ME, WatchlistVerb.ADD, film))
        assert (change is Change.DONE) == (film not in before[0] | before[1])

    @rule(film=st.sampled_from(FILMS))
    def remove(self, film: str) -> None:
        before = self.state(ME)
        changed = self.run(self.core.watchlists.apply(ME, WatchlistVerb.REMOVE, film))
        if film in before[1]:
            assert changed.change is Change.WATCHED and self.state(ME) == before  # never a watched one
        elif changed.undo is not None:
            self.undos.append((film, changed.undo))

    @rule(film=st.sampled_from(FILMS))
    def mark_watched(self, film: str) -> None:
        found = self.core.films.get(film)
        assert found is not None
        before = self.state(ME)
        viewing = self.run(self.core.watchlists.mark_watched(ME, found))
        assert (viewing is not None) == (film not in before[1])

    @rule(film=st.sampled_from(FILMS))
    def watch_again(self, film: str) -> None:
        found = self.core.films.get(film)
        assert found is not None
        if film in self.state(ME)[1]:
            self.run(self.core.diary.watched(ME, found))

    @rule(film=st.sampled_from(FILMS), half_stars=HALF_STARS, stale=st.booleans())
    def rate(self, film: str, half_stars: int, stale: bool) -> None:
        mine = [v for v in self.run(self.core.diary.entries(ME)) if v.film_id == film]
        if not mine:
            return
        other = next(f for f in FILMS if f != film)
        target = other if stale else film  # a star left on another film's message
        done = self.run(self.core.diary.rate(ME, target, mine[0].id, half_stars))
        assert done is not stale
        if not stale:
            assert self.run(self.core.diary.own(ME, film)) == half_stars

    @rule(film=st.sampled_from(FILMS), confirmed=st.booleans())
    def not_watched(self, film: str, confirmed: bool) -> None:
        before = self.state(ME)
        changed = self.run(self.core.watchlists.apply(ME, WatchlistVerb.UNWATCHED, film, confirmed))
        logged = [v for v in before[2] if v[0] == film]
        if changed.change is Change.ASK:
            assert logged and not confirmed and self.state(ME) == before  # asking deletes nothing
        if changed.change is Change.DONE:
            assert changed.undo is not None
            self.undos.append((film, changed.undo))
            self.deleted.add(film)

    # one diary entry, opened from /diary

    def one_entry(self, film: str, pick: int) -> int | None:
        mine = [v.id for v in self.run(self.core.diary.entries(ME)) if v.film_id == film]
        return mine[pick % len(mine)] if mine else None

    @rule(film=st.sampled_from(FILMS), pick=st.integers(0, 3), half_stars=st.none() | HALF_STARS)
    def edit_rating(self, film: str, pick: int, half_stars: int | None) -> None:
        viewing = self.one_entry(film, pick)
        if viewing is None:
            return
        before = self.state(ME)
        assert self.run(self.core.diary.rate(ME, film, viewing, half_stars))
        after = self.state(ME)
        assert len(after[2]) == len(before[2]) and after[:2] == before[:2]  # only a rating changed
        if half_stars is not None:
            assert self.run(self.core.diary.own(ME, film)) is not None

    @rule(film=st.sampled_from(FILMS), pick=st.integers(0, 3), day=st.none() | DAYS, month=st.booleans())
    def edit_date(self, film: str, pick: int, day: date | None, month: bool) -> None:
        viewing = self.one_entry(film, pick)
        if viewing is None:
            return
        if day is not None and month:
            day = day.replace(day=1)
        before = self.state(ME)
        assert self.run(self.core.diary.redate(ME, film, viewing, day, month and day is not None))
        after = self.state(ME)
        assert after[:2] == before[:2] and sorted(v[2] or 0 for v in after[2]) == sorted(
            v[2] or 0 for v in before[2]
        )  # only a date changed: every rating is still there

    @rule(film=st.sampled_from(FILMS), pick=st.integers(0, 3), stale=st.booleans())
    def delete_viewing(self, film: str, pick: int, stale: bool) -> None:
        viewing = self.one_entry(film, pick)
        if viewing is None:
            return
        before = self.state(ME)
        target = next(f for f in FILMS if f != film) if stale else film  # a button of another film
        changed = self.run(self.core.watchlists.delete_viewing(ME, target, viewing))
        after = self.state(ME)
        if stale:
            assert changed.change is Change.NOTHING_TO_DO and after == before
            return
        assert changed.change is Change.DONE and changed.undo is not None
        assert len(after[2]) == len(before[2]) - 1 and changed.entries == sum(v[0] == film for v in after[2])
        assert (film in after[1]) == bool(changed.entries)  # the last entry gone: unmarked
        self.undos.append((film, changed.undo))
        self.deleted.add(film)

    @precondition(lambda self: bool(self.undos))
    @rule()
    def undo(self) -> None:
        film, undo_id = self.undos.pop()
        self.run(self.core.watchlists.undo(ME, film, undo_id))

    # Letterboxd

    def import_files(self, user: int, files: list[tuple[str, bytes]]) -> int:
        changed = 0
        for name, content in files:
            changed += self.run(self.core.letterboxd.import_file(user, name, content)).changed
        return changed

    def account_files(self, account: dict[str, dict[str, Any]]) -> list[tuple[str, bytes]]:
        """An account's export as Letterboxd writes it: diary, ratings, watched and watchlist."""
        diary, ratings, watched, watchlist = [], [], [], []
        for film_id, held in account.items():
            film = self.core.films.get(film_id)
            assert film is not None
            name, year = film.title, release_year(film)
            for number, (day, half) in enumerate(sorted(held["diary"])):
                rated = letterboxd_rating(half) if half else ""
                rewatch = "Yes" if number else ""
                diary.append(
                    [day, name, year, f"https://boxd.it/e{film_id[:4]}{number}", rated, rewatch, "", day]
                )
            latest = next((h for _, h in sorted(held["diary"], reverse=True) if h), None)
            rating = latest or held["rating"]
            if rating:
                ratings.append(["2026-12-01", name, year, "https://boxd.it/f", letterboxd_rating(rating)])
            if held["diary"] or rating or held["watched"]:
                watched.append(["2026-12-01", name, year, "https://boxd.it/f"])
            elif held["watchlist"]:
                watchlist.append(["2026-12-01", name, year, "https://boxd.it/f"])
        files = [
            (
                "diary.csv",
                csv_file(
                    ["Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Tags", "Watched Date"],
                    diary,
                ),
            ),
            ("ratings.csv", csv_file(["Date", "Name", "Year", "Letterboxd URI", "Rating"], ratings)),
            ("watched.csv", csv_file(["Date", "Name", "Year", "Letterboxd URI"], watched)),
            ("watchlist.csv", csv_file(["Date", "Name", "Year", "Letterboxd URI"], watchlist)),
        ]
        return [(name, content) for name, content in files if content.count(b"\n") > 1]

    @rule(account=ACCOUNT, seed=st.integers(0, 10**6), as_zip=st.booleans())
    def import_letterboxd(self, account: dict[str, dict[str, Any]], seed: int, as_zip: bool) -> None:
        files = self.account_files(account)
        if not files:
            return
        # independent of the split: the ZIP, and the files one by one in any order, into fresh users
        whole, split = next(self.fresh), next(self.fresh)
        self.import_files(whole, [("letterboxd.zip", zip_of(dict(files)))])
        shuffled = list(files)
        random.Random(seed).shuffle(shuffled)
        self.import_files(split, shuffled)
        assert self.state(split) == self.state(whole), (files, self.state(split), self.state(whole))
        # into the user's own library: nothing lost, and a second import changes nothing
        before = self.state(ME)
        chosen = [("letterboxd.zip", zip_of(dict(files)))] if as_zip else shuffled
        self.import_files(ME, chosen)
        after = self.state(ME)
        for film in {v[0] for v in before[2]}:
            assert sum(v[0] == film for v in after[2]) >= sum(v[0] == film for v in before[2])
        assert set(before[3]) <= set(after[3]), (before, after)  # no rating lost
        assert before[0] - after[0] <= after[1]  # off the to-watch list only by being watched
        again = self.import_files(ME, chosen)
        assert again == 0 and self.state(ME) == after, (chosen, again, after, self.state(ME))

    @rule()
    def export_then_import(self) -> None:
        diary, to_watch = self.run(self.core.letterboxd.export(ME))
        files = [(f.name, f.content) for f in (diary, to_watch) if f is not None]
        if not files:
            return
        whole, split = next(self.fresh), next(self.fresh)
        self.import_files(whole, [("export.zip", zip_of(dict(files)))])
        self.import_files(split, list(reversed(files)))
        assert self.state(whole) == self.state(split) == self.state(ME), (
            self.state(whole),
            self.state(split),
            self.state(ME),
        )
        again = self.run(self.core.letterboxd.export(whole))
        ours = [f.content.decode() if f else None for f in (diary, to_watch)]
        theirs = [f.content.decode() if f else None for f in again]
        assert theirs == ours, (theirs, ours)

    # what must always hold

    @invariant()
    def the_list_and_the_diary_agree(self) -> None:
        to_watch, watched, viewings, ratings = self.state(ME)
        assert not to_watch & watched
        assert {v[0] for v in viewings} <= watched  # every film in the diary is marked watched
        assert set(ratings) <= {v[0] for v in viewings}  # every rating belongs to a viewing
        latest: dict[str, int] = {}  # the film's rating is its latest rated viewing's
        for viewing in self.run(self.core.diary.entries(ME)):  # the diary's order: the latest first
            if viewing.rating is not None:
                latest.setdefault(viewing.film_id, viewing.rating)
        assert ratings == latest, (ratings, latest)


Library.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=18,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestLibrary = Library.TestCase
