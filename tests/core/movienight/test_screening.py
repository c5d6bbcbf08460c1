"""The screening's schedule in the core: when the reminder goes, each step claimed once, a step the
bot was away for sent late with a word or skipped past 30 minutes — never silently lost — and where
a late arrival should join."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.models import Zone
from bot.core.movienight.model import Round, RoundState
from bot.core.movienight.rules import Member
from bot.core.movienight.screening import Step, clock_text, remind_at
from bot.core.movienight.texts import film_day, poll_question
from bot.core.services import Core, CoreSettings
from tests.support.flows import Clock

GROUP = -100
NOON = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


@pytest.fixture
async def setup(core_settings: CoreSettings) -> AsyncIterator[tuple[Core, Clock]]:
    clock = Clock(NOON)
    core = await Core.open(core_settings, clock, rng=random.Random(7))
    yield core, clock
    await core.close()


def test_the_reminder_goes_an_hour_before_or_halfway_to_a_near_moment() -> None:
    assert remind_at(NOON, NOON + timedelta(hours=5)) == NOON + timedelta(hours=4)
    assert remind_at(NOON, NOON + timedelta(hours=2)) == NOON + timedelta(hours=1)
    assert remind_at(NOON, NOON + timedelta(minutes=90)) == NOON + timedelta(minutes=45)
    assert remind_at(NOON, NOON + timedelta(minutes=3)) is None  # it is (nearly) now
    assert clock_text(timedelta(minutes=42, seconds=10)) == "0:42:10"
    assert clock_text(timedelta(hours=2, seconds=5)) == "2:00:05"


async def scheduled(core: Core, starts: datetime) -> int:
    nights = core.movienights
    _, chat_round = await nights.open(GROUP, Member(1, "Anna"), "en", NOON + timedelta(minutes=30))
    await nights.screenings.schedule(chat_round.id, GROUP, "cranes-are-flying", starts)
    return chat_round.id


async def test_each_step_is_sent_once_at_its_time(setup: tuple[Core, Clock]) -> None:
    core, clock = setup
    screenings = core.movienights.screenings
    round_id = await scheduled(core, NOON + timedelta(hours=3))
    assert await screenings.due() == []
    clock.now = NOON + timedelta(hours=2)  # an hour before
    [remind] = await screenings.due()
    assert (remind.screening.round_id, remind.step, remind.late) == (round_id, Step.REMIND, False)
    assert await screenings.due() == []  # claimed: never twice
    clock.now = NOON + timedelta(hours=3)
    [opened] = await screenings.due()
    assert (opened.step, opened.late) == (Step.OPEN, False)
    assert await screenings.due() == []


async def test_a_step_the_bot_was_away_for_comes_late_or_is_skipped(setup: tuple[Core, Clock]) -> None:
    core, clock = setup
    screenings = core.movienights.screenings
    await scheduled(core, NOON + timedelta(hours=3))
    clock.now = NOON + timedelta(hours=2, minutes=40)  # the reminder 40 minutes late: skipped
    assert await screenings.due() == []
    clock.now = NOON + timedelta(hours=3, minutes=10)  # the start 10 minutes late: sent, saying so
    [opened] = await screenings.due()
    assert (opened.step, opened.late) == (Step.OPEN, True)


async def test_the_elapsed_time_counts_from_the_end_of_the_countdown(setup: tuple[Core, Clock]) -> None:
    core, clock = setup
    screenings = core.movienights.screenings
    round_id = await scheduled(core, NOON)
    [opened] = await screenings.due()
    assert opened.step is Step.OPEN  # no time for a reminder: straight to the start
    screening = await screenings.get(round_id)
    assert screening is not None and screenings.elapsed(screening) is None
    assert await screenings.start(round_id) == NOON + timedelta(seconds=3)
    assert await screenings.start(round_id) is None  # started once
    clock.now = NOON + timedelta(minutes=42, seconds=13)
    screening = await screenings.get(round_id)
    assert screening is not None and screenings.elapsed(screening) == timedelta(minutes=42, seconds=10)
    assert await screenings.ready(round_id, 2, "Борис") == ["Борис"]
    assert await screenings.ready(round_id, 2, "Борис") == ["Борис"]  # once


def test_the_film_poll_asks_for_the_day_the_time_poll_chose() -> None:
    berlin = Zone("Europe/Berlin", ZoneInfo("Europe/Berlin"))
    saturday = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)  # a Saturday morning in Berlin

    def asked(language: str, starts: datetime | None) -> str:
        chat_round = Round(1, GROUP, 1, language, saturday, RoundState.VOTING, starts_at=starts)  # type: ignore[arg-type]
        return poll_question(chat_round, berlin, saturday)

    assert asked("en", None) == "What shall we watch tonight?"
    assert asked("en", saturday + timedelta(hours=9)) == "What shall we watch tonight?"
    assert asked("en", saturday + timedelta(days=1, hours=9)) == "What shall we watch tomorrow?"
    assert asked("en", saturday + timedelta(days=3, hours=9)) == "What shall we watch on Tuesday?"
    assert asked("ru", saturday + timedelta(days=3, hours=9)) == "Что смотрим во вторник?"
    assert asked("ru", saturday + timedelta(days=1, hours=9)) == "Что смотрим завтра?"


def test_the_winner_is_announced_for_the_day_it_is_watched() -> None:
    berlin = Zone("Europe/Berlin", ZoneInfo("Europe/Berlin"))
    saturday = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)  # a Saturday morning in Berlin

    def day(language: str, starts: datetime | None) -> dict[str, str]:
        chat_round = Round(1, GROUP, 1, language, saturday, RoundState.VOTING, starts_at=starts)  # type: ignore[arg-type]
        return film_day(chat_round, berlin, saturday)

    assert day("en", None) == {"whose": "Tonight’s film", "when": "tonight’s film"}
    assert day("en", saturday + timedelta(days=1, hours=9))["whose"] == "Tomorrow’s film"
    assert day("en", saturday + timedelta(days=3, hours=9)) == {
        "whose": "Tuesday’s film",
        "when": "the film on Tuesday",
    }
    assert day("ru", saturday + timedelta(days=4, hours=9)) == {
        "whose": "Фильм на среду",
        "when": "в среду смотрим",
    }
    assert day("ru", saturday + timedelta(days=1))["when"] == "завтра смотрим"
