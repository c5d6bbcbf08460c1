"""The core services on their own, over a real SQLite file: what they decide, and that what they
keep in memory (who was seen, the last random picks) agrees with the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.catalogue.search import Verdict
from bot.core.services import Core, CoreSettings
from bot.core.storage import StorageUnavailable
from bot.core.watchlists.model import WatchlistVerb
from bot.core.watchlists.service import Change
from tests.support.database import peek, write_lock

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def core(core_settings: CoreSettings) -> AsyncIterator[Core]:
    opened = await Core.open(core_settings, clock=lambda: datetime(2026, 3, 27, 12, tzinfo=UTC))
    yield opened
    await opened.close()


async def test_the_buttons_state_follows_every_change(core: Core) -> None:
    lists = core.watchlists
    assert await lists.entry(1, "cranes-are-flying") is None
    assert await lists.change(1, WatchlistVerb.ADD, "cranes-are-flying") is Change.DONE
    entry = await lists.entry(1, "cranes-are-flying")
    assert entry is not None and not entry.watched
    assert await lists.change(1, WatchlistVerb.WATCHED, "cranes-are-flying") is Change.DONE
    entry = await lists.entry(1, "cranes-are-flying")
    assert entry is not None and entry.watched
    assert await lists.change(1, WatchlistVerb.ADD, "cranes-are-flying") is Change.NOTHING_TO_DO
    # issue #24: removing never takes a watched film off, and unmarking one with diary entries asks
    assert await lists.change(1, WatchlistVerb.REMOVE, "cranes-are-flying") is Change.WATCHED
    asked = await lists.apply(1, WatchlistVerb.UNWATCHED, "cranes-are-flying")
    assert (asked.change, asked.entries) == (Change.ASK, 1)
    assert await core.diary.count(1, "cranes-are-flying") == 1  # nothing deleted by asking
    unmarked = await lists.apply(1, WatchlistVerb.UNWATCHED, "cranes-are-flying", confirmed=True)
    assert unmarked.change is Change.DONE and unmarked.undo is not None
    assert await core.diary.count(1, "cranes-are-flying") == 0
    assert await lists.change(1, WatchlistVerb.REMOVE, "cranes-are-flying") is Change.DONE
    assert await lists.entry(1, "cranes-are-flying") is None
    # a film seen before can be marked watched straight from its card, without adding it first
    assert await lists.change(1, WatchlistVerb.WATCHED, "cranes-are-flying") is Change.DONE
    entry = await lists.entry(1, "cranes-are-flying")
    assert entry is not None and entry.watched
    assert await lists.change(1, WatchlistVerb.WATCHED, "cranes-are-flying") is Change.NOTHING_TO_DO


async def test_undo_puts_back_the_list_row_the_viewings_and_the_rating(core: Core) -> None:
    lists, diary = core.watchlists, core.diary
    film = core.films.get("five-evenings")
    assert film is not None
    first = await lists.mark_watched(1, film)
    assert first is not None and await diary.rate(1, film.id, first, 7)
    second = await diary.watched(1, film)
    before = (await lists.entry(1, film.id), await diary.entries(1), await diary.own(1, film.id))
    gone = await lists.apply(1, WatchlistVerb.UNWATCHED, film.id, confirmed=True)
    assert gone.undo is not None and await diary.entries(1) == [] and await diary.own(1, film.id) is None
    assert await lists.undo(2, film.id, gone.undo) is False  # another user's change: nothing
    assert await lists.undo(1, "white-nights", gone.undo) is False  # another film's: nothing
    assert await lists.undo(1, film.id, gone.undo) is True
    assert (await lists.entry(1, film.id), await diary.entries(1), await diary.own(1, film.id)) == before
    assert [v.id for v in await diary.entries(1)] == [second, first]  # the same ids: old stars still fit
    assert await lists.undo(1, film.id, gone.undo) is False  # once


async def test_a_change_that_cannot_be_stored_leaves_the_kept_state_alone(core: Core, tmp_path: Path) -> None:
    lists = core.watchlists
    assert await lists.entry(2, "cranes-are-flying") is None
    async with write_lock(tmp_path):
        with pytest.raises(StorageUnavailable):
            await lists.change(2, WatchlistVerb.ADD, "cranes-are-flying")
    assert await lists.entry(2, "cranes-are-flying") is None


async def test_a_film_that_left_the_catalogue_cannot_be_added(core: Core) -> None:
    assert await core.watchlists.change(3, WatchlistVerb.ADD, "no-such-film") is Change.FILM_GONE


async def test_remove_by_name_looks_in_the_users_own_list(core: Core) -> None:
    lists = core.watchlists
    await lists.change(4, WatchlistVerb.ADD, "irony-of-fate")
    removed = await lists.remove_by_name(4, "ryazanov")  # two Ryazanov films, one in the list
    assert removed.verdict is Verdict.ONE and removed.film is not None and removed.film.id == "irony-of-fate"
    assert (await lists.remove_by_name(4, "irony of fate")).change is Change.NOTHING_TO_DO
    assert (await lists.remove_by_name(4, "")).verdict is Verdict.EMPTY


async def test_a_chosen_language_is_kept_and_stored(core: Core, tmp_path: Path) -> None:
    assert await core.users.language(5, "ru") == "ru"  # Telegram's suggestion
    await core.users.set_language(5, "en")
    assert await core.users.language(5, "ru") == "en"
    assert await peek(tmp_path, "SELECT language FROM users WHERE id = 5") == [("en",)]


async def test_seen_users_and_random_picks_are_written_by_the_flush(core: Core, tmp_path: Path) -> None:
    first = await core.films.random_for(6)
    await core.users.language(7, None)
    assert await peek(tmp_path, "SELECT COUNT(*) FROM users WHERE id IN (6, 7)") == [(0,)]
    await core.flush()
    assert await peek(tmp_path, "SELECT last_random FROM users WHERE id = 6") == [(first.id,)]
    assert await peek(tmp_path, "SELECT COUNT(*) FROM users WHERE id = 7") == [(1,)]
    assert (await core.films.random_for(6)).id != first.id  # never twice in a row


async def test_the_film_of_the_day_is_the_stored_one(core: Core, tmp_path: Path) -> None:
    film = await core.films.film_of_the_day()
    assert await core.films.film_of_the_day() is film
    assert await peek(tmp_path, "SELECT film_id FROM daily_films") == [(film.id,)]
