"""Quiz rounds in the core, through a fake Telegram (the Asker port, the only thing not real here):
a private round of five with its score, a group round closed by its time or when every player has
answered, a late or repeated answer not counted, a round scored once, a restart in the middle, the
week without repeats and a player's progress (issue #27)."""

from __future__ import annotations

import itertools
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.quiz.service import QUESTION_TIME, Asking, Quiz
from bot.core.quiz.table import QuizRound, Score
from bot.core.services import Core, CoreSettings
from tests.support.flows import Clock

GROUP, ANNA, BORIS, VERA = -100, 1, 2, 3
POLL_IDS = itertools.count(1)


@dataclass
class FakeTelegram:
    asked: list[Asking] = field(default_factory=list)
    stopped: list[tuple[int, int]] = field(default_factory=list)
    results: list[tuple[QuizRound, list[Score]]] = field(default_factory=list)
    refuse: bool = False
    polls: dict[int, str] = field(default_factory=dict)  # message id -> poll id

    async def ask(self, asking: Asking) -> tuple[str, int] | None:
        if self.refuse:
            return None
        self.asked.append(asking)
        number = next(POLL_IDS)  # Telegram's poll ids are unique across chats and rounds
        self.polls[len(self.asked)] = f"poll-{number}"
        return f"poll-{number}", len(self.asked)

    async def stop(self, chat_id: int, message_id: int) -> None:
        self.stopped.append((chat_id, message_id))

    async def finished(self, quiz_round: QuizRound, scores: list[Score]) -> None:
        self.results.append((quiz_round, scores))


@pytest.fixture
async def setup(core_settings: CoreSettings) -> AsyncIterator[tuple[Core, Clock]]:
    clock = Clock(datetime(2026, 12, 6, 18, 0, tzinfo=UTC))
    core = await Core.open(core_settings, clock, rng=random.Random(27))
    yield core, clock
    await core.close()


async def ask_next(quiz: Quiz, quiz_round: QuizRound, telegram: FakeTelegram) -> Asking:
    asking = await quiz.claim_next(quiz_round)
    assert asking is not None
    sent = await telegram.ask(asking)
    assert sent is not None
    await quiz.asked(asking, *sent)
    return asking


def poll_of(telegram: FakeTelegram, asking: Asking) -> str:
    return telegram.polls[telegram.asked.index(asking) + 1]


async def test_a_private_round_of_five_is_scored_once(setup: tuple[Core, Clock]) -> None:
    core, _ = setup
    quiz, telegram = core.quiz, FakeTelegram()
    quiz_round = await quiz.start(ANNA, ANNA, "en", is_group=False, size=5)
    assert quiz_round is not None and quiz_round.size == 5
    for number in range(1, 6):
        asking = await ask_next(quiz, quiz_round, telegram)
        assert asking.number == number
        wrong = (asking.question.correct + 1) % 4
        choice = asking.question.correct if number != 3 else wrong
        answered = await quiz.answer(poll_of(telegram, asking), ANNA, "Anna", [choice])
        assert answered is not None and answered.everyone and answered.right is (number != 3)
        assert await quiz.answer(poll_of(telegram, asking), ANNA, "Anna", [choice]) is None  # once
        assert await quiz.close(quiz_round.id, number)
    assert await quiz.is_last(quiz_round, 5)
    scores = await quiz.finish(quiz_round)
    assert scores is not None and [(s.name, s.right, s.answered) for s in scores] == [("Anna", 4, 5)]
    assert await quiz.finish(quiz_round) is None  # never scored twice
    progress = await quiz.progress(ANNA)
    assert (progress.right, progress.answered, progress.best_streak) == (4, 5, 2)


async def test_someone_else_cannot_answer_a_private_round(setup: tuple[Core, Clock]) -> None:
    core, _ = setup
    telegram = FakeTelegram()
    quiz_round = await core.quiz.start(ANNA, ANNA, "ru", is_group=False, size=5)
    assert quiz_round is not None
    asking = await ask_next(core.quiz, quiz_round, telegram)
    assert await core.quiz.answer(poll_of(telegram, asking), BORIS, "Boris", [0]) is None


async def test_a_group_question_closes_when_every_player_has_answered_or_its_time_is_up(
    setup: tuple[Core, Clock],
) -> None:
    core, clock = setup
    quiz, telegram = core.quiz, FakeTelegram()
    quiz_round = await quiz.start(GROUP, ANNA, "en", is_group=True, size=3)
    assert quiz_round is not None
    assert await quiz.start(GROUP, BORIS, "en", is_group=True, size=3) is None  # one round per group
    first = await ask_next(quiz, quiz_round, telegram)
    right = first.question.correct
    for player, name in ((ANNA, "Anna"), (BORIS, "Boris")):  # the first question waits its time
        answered = await quiz.answer(poll_of(telegram, first), player, name, [right])
        assert answered is not None and not answered.everyone
    clock.now += QUESTION_TIME + timedelta(seconds=1)
    await quiz.advance(telegram)  # time is up: closed, stopped, and the second question asked
    assert telegram.stopped == [(GROUP, 1)] and [a.number for a in telegram.asked] == [1, 2]
    assert await quiz.answer(poll_of(telegram, first), VERA, "Vera", [right]) is None  # too late
    second = telegram.asked[-1]
    answered = await quiz.answer(poll_of(telegram, second), ANNA, "Anna", [second.question.correct])
    assert answered is not None and not answered.everyone
    answered = await quiz.answer(
        poll_of(telegram, second), BORIS, "Boris", [(second.question.correct + 1) % 4]
    )
    assert answered is not None and answered.everyone  # both players have answered: done early
    assert await quiz.close(quiz_round.id, 2)
    await quiz.go_on(quiz_round, 2, telegram)
    third = telegram.asked[-1]
    assert third.number == 3
    await quiz.answer(poll_of(telegram, third), ANNA, "Anna", [third.question.correct])
    clock.now += QUESTION_TIME + timedelta(seconds=1)
    await quiz.advance(telegram)
    [(finished, scores)] = telegram.results
    assert finished.id == quiz_round.id
    assert [(s.name, s.right, s.answered) for s in scores] == [("Anna", 3, 3), ("Boris", 1, 2)]
    await quiz.advance(telegram)
    assert len(telegram.results) == 1  # announced once
    assert [(s.name, s.right) for s in await quiz.top(GROUP)] == [("Anna", 3), ("Boris", 1)]


async def test_a_round_goes_on_after_a_restart(core_settings: CoreSettings) -> None:
    """The bot stops with a group question open and its time runs out while it is down: the next
    start closes it and asks the next one; a question not sent before the stop is sent then."""
    clock = Clock(datetime(2026, 12, 6, 18, 0, tzinfo=UTC))
    core = await Core.open(core_settings, clock, rng=random.Random(3))
    telegram = FakeTelegram()
    quiz_round = await core.quiz.start(GROUP, ANNA, "ru", is_group=True, size=2)
    assert quiz_round is not None
    await ask_next(core.quiz, quiz_round, telegram)
    await core.close()
    clock.now += timedelta(minutes=5)
    core = await Core.open(core_settings, clock, rng=random.Random(3))
    telegram.refuse = True  # Telegram down at first: the question waits for the next pass
    await core.quiz.advance(telegram)
    assert telegram.stopped == [(GROUP, 1)] and len(telegram.asked) == 1
    telegram.refuse = False
    await core.quiz.advance(telegram)
    assert [a.number for a in telegram.asked] == [1, 2]
    await core.close()


async def test_no_question_comes_back_within_a_week(setup: tuple[Core, Clock]) -> None:
    core, clock = setup
    quiz, seen = core.quiz, set()
    for _ in range(6):
        quiz_round = await quiz.start(ANNA, ANNA, "en", is_group=False, size=5)
        assert quiz_round is not None
        telegram = FakeTelegram()
        for _ in range(5):
            asking = await ask_next(quiz, quiz_round, telegram)
            assert asking.question.key not in seen
            seen.add(asking.question.key)
        clock.now += timedelta(days=1)
    assert len(seen) == 30
