"""The quiz: a round of questions in a chat, one native quiz poll at a time.

Alone (a private chat): five questions; after each answer, "Next question ▶"; after the last, the
score. In a group: N questions, each open for QUESTION_TIME or until everyone who has played this
round has answered; then a leaderboard. Rounds, questions and answers live in SQLite: a round
survives a restart (a question whose time ran out meanwhile is closed at the next pass), an answer
counts once, an answer to a closed question does not count, and a round is scored once.

Nothing here knows Telegram: the handlers send the polls (`Asker`) and say what happened."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.core.catalogue.model import Catalogue
from bot.core.models import Clock, Language
from bot.core.quiz.questions import Question, pick, questions
from bot.core.quiz.table import QuizRound, QuizTable, Score, Slot
from bot.core.storage import Storage
from bot.core.turns import ChatTurns

PRIVATE_SIZE = 5
GROUP_SIZE, GROUP_MAX = 5, 20
QUESTION_TIME = timedelta(seconds=30)  # how long a group question stays open at most
NO_REPEAT = timedelta(days=7)  # a question is not asked again in a chat within this


class HasCatalogue(Protocol):
    @property
    def catalogue(self) -> Catalogue: ...


@dataclass(frozen=True)
class Asking:
    """A question to put now: its place in the round, and its text in the round's language."""

    round: QuizRound
    number: int
    question: Question


@dataclass(frozen=True)
class Answered:
    """An answer that counted: whether it was right, and whether the question is now done (a
    private round's only player, or everyone who has played in the group)."""

    round: QuizRound
    number: int
    question: Question
    right: bool
    everyone: bool


@dataclass(frozen=True)
class Progress:
    """Where a player stands: this week's right answers of those answered, and the best streak."""

    right: int
    answered: int
    best_streak: int


class Asker(Protocol):
    """The port the passes send through (bot/telegram/handlers/quiz.py)."""

    async def ask(self, asking: Asking) -> tuple[str, int] | None:
        """Send the question's poll; its poll id and message id, or None if Telegram refused."""
        ...

    async def stop(self, chat_id: int, message_id: int) -> None: ...

    async def finished(self, quiz_round: QuizRound, scores: list[Score]) -> None: ...


class Quiz:
    def __init__(
        self,
        storage: Storage,
        films: HasCatalogue,
        clock: Clock,
        rng: random.Random | None = None,
        turns: ChatTurns | None = None,
    ):
        self._table = storage.table(QuizTable)
        self._turns = turns or ChatTurns()  # a chat's updates and this service's passes, in order
        self._films = films
        self._clock = clock
        self._rng = rng or random.Random()
        self._pools: dict[tuple[int, Language], dict[str, Question]] = {}

    def pool(self, language: Language) -> dict[str, Question]:
        """Every question of the catalogue now, by key (made once per catalogue and language)."""
        catalogue = self._films.catalogue
        key = (id(catalogue), language)
        if key not in self._pools:
            self._pools = {k: v for k, v in self._pools.items() if k[0] == id(catalogue)}
            self._pools[key] = {q.key: q for q in questions(catalogue, language)}
        return self._pools[key]

    def now(self) -> datetime:
        return self._clock()

    async def start(
        self, chat_id: int, starter_id: int, language: Language, is_group: bool, size: int
    ) -> QuizRound | None:
        """A new round of `size` questions not asked in this chat this week; None if the chat has a
        round going (a private chat's unfinished round is ended first: a new /quiz starts over)."""
        current = await self._table.open_round(chat_id)
        if current is not None:
            if is_group:
                return None
            await self._table.claim_finish(current.id, self._clock())
        now = self._clock()
        asked = await self._table.asked_since(chat_id, now - NO_REPEAT)
        chosen = pick(list(self.pool(language).values()), size, self._rng, asked)
        if not chosen:
            return None
        slots = [(q.key, q.film_id, q.correct) for q in chosen]
        return await self._table.create(chat_id, starter_id, language, is_group, slots, now)

    async def open_round(self, chat_id: int) -> QuizRound | None:
        return await self._table.open_round(chat_id)

    async def round(self, round_id: int) -> QuizRound | None:
        return await self._table.round(round_id)

    def question_of(self, slot: Slot, language: Language) -> Question | None:
        """The question a slot holds, as the catalogue now makes it (None if the film left it)."""
        question = self.pool(language).get(slot.key)
        return question if question is not None and question.correct == slot.correct else None

    async def claim_next(self, quiz_round: QuizRound, number: int | None = None) -> Asking | None:
        """The next question to ask (or question `number`, when a button names it), claimed so that
        it is asked once; None when the round has none left or it is taken."""
        number = number if number is not None else await self._table.next_number(quiz_round.id)
        while number is not None:
            slot = await self._table.slot(quiz_round.id, number)
            if slot is None or not await self._table.claim_ask(quiz_round.id, number):
                return None
            question = self.question_of(slot, quiz_round.language)
            if question is not None:
                return Asking(quiz_round, number, question)
            # the film left the catalogue since the round began: this question is skipped
            await self._table.claim_close(quiz_round.id, number)
            number = await self._table.next_number(quiz_round.id)
        return None

    async def asked(self, asking: Asking, poll_id: str, message_id: int) -> None:
        closes = self._clock() + QUESTION_TIME if asking.round.is_group else None
        await self._table.asked(asking.round.id, asking.number, poll_id, message_id, closes)

    async def not_asked(self, asking: Asking) -> None:
        await self._table.unclaim_ask(asking.round.id, asking.number)

    async def answer(self, poll_id: str, user_id: int, name: str, options: list[int]) -> Answered | None:
        """A player's answer to a quiz poll: None if the poll is not an open question of a round, or
        the player had answered it (late or repeated answers do not count)."""
        slot = await self._table.slot_of_poll(poll_id)
        if slot is None or slot.state != "open" or not options:
            return None
        quiz_round = await self._table.round(slot.round_id)
        if quiz_round is None or quiz_round.finished:
            return None
        if not quiz_round.is_group and user_id != quiz_round.starter_id:
            return None
        right = options == [slot.correct]
        if not await self._table.answer(slot.round_id, slot.number, user_id, name, right, self._clock()):
            return None
        question = self.question_of(slot, quiz_round.language)
        if question is None:
            return None
        everyone = not quiz_round.is_group
        if quiz_round.is_group:
            players = await self._table.players_before(slot.round_id, slot.number)
            everyone = bool(players) and players <= await self._table.answered(slot.round_id, slot.number)
        return Answered(quiz_round, slot.number, question, right, everyone)

    async def chat_of_poll(self, poll_id: str) -> int | None:
        return await self._table.chat_of_poll(poll_id)

    async def is_quiz_poll(self, poll_id: str) -> bool:
        return await self._table.slot_of_poll(poll_id) is not None

    async def message_of(self, round_id: int, number: int) -> int | None:
        """The message of a question's poll (to stop it)."""
        slot = await self._table.slot(round_id, number)
        return slot.message_id if slot is not None else None

    async def close(self, round_id: int, number: int) -> bool:
        """The question is closed now (once)."""
        return await self._table.claim_close(round_id, number)

    async def is_last(self, quiz_round: QuizRound, number: int) -> bool:
        return number >= quiz_round.size or await self._table.next_number(quiz_round.id) is None

    async def finish(self, quiz_round: QuizRound) -> list[Score] | None:
        """The round's scores, once: None if it was finished already."""
        if not await self._table.claim_finish(quiz_round.id, self._clock()):
            return None
        return await self._table.scores(quiz_round.id)

    async def scores(self, round_id: int) -> list[Score]:
        return await self._table.scores(round_id)

    async def top(self, chat_id: int) -> list[Score]:
        """A group's all-time table: every player's right answers in its rounds."""
        return await self._table.chat_scores(chat_id)

    async def progress(self, user_id: int) -> Progress:
        results = await self._table.results(user_id)
        since = self._clock() - NO_REPEAT
        week = [right for right, at in results if at >= since]
        best = run = 0
        for right, _ in results:
            run = run + 1 if right else 0
            best = max(best, run)
        return Progress(sum(week), len(week), best)

    async def ask_daily(self, delivered: Sequence[tuple[int, int, str, str, Language]], asker: Asker) -> int:
        """A periodic pass: the question of the day for each subscriber who asked for one and got
        today's film (user, chat, local date, film, language) — once a day each, about that film
        where the catalogue has a question on it not asked this week. How many were sent."""
        sent = 0
        now = self._clock()
        for user_id, chat_id, local_date, film_id, language in delivered:
            if await self._table.daily_claimed(user_id, local_date):
                continue
            if not await self._table.claim_daily(user_id, local_date):
                continue  # another worker's
            pool = list(self.pool(language).values())
            asked = await self._table.asked_since(chat_id, now - NO_REPEAT)
            about = [q for q in pool if q.film_id == film_id]
            chosen = pick(about, 1, self._rng, asked) or pick(pool, 1, self._rng, asked)
            if not chosen:
                continue
            slots = [(chosen[0].key, chosen[0].film_id, chosen[0].correct)]
            quiz_round = await self._table.create(chat_id, user_id, language, False, slots, now, daily=True)
            asking = await self.claim_next(quiz_round) if quiz_round is not None else None
            if asking is None:
                continue
            ids = await asker.ask(asking)
            if ids is None:  # the subscriber blocked the bot meanwhile: no second try today
                await self.finish(asking.round)
                continue
            await self.asked(asking, *ids)
            sent += 1
        return sent

    async def advance(self, asker: Asker) -> None:
        """A periodic pass: close the group questions whose time ran out (those that ran out while
        the bot was down too) and go on with their rounds; resume rounds stopped between two
        questions."""
        for slot in await self._table.due(self._clock()):
            quiz_round = await self._table.round(slot.round_id)
            if quiz_round is None:
                continue
            async with self._turns.of(quiz_round.chat_id):  # after the answers in hand
                if await self.close(slot.round_id, slot.number):
                    if slot.message_id is not None:
                        await asker.stop(quiz_round.chat_id, slot.message_id)
                    await self.go_on(quiz_round, slot.number, asker)
        for quiz_round in await self._table.stalled():
            # in the chat's turn: whoever closed its last question (an answer, the pass above) has
            # gone on with it by then, and the round is resumed only if it is still stalled
            async with self._turns.of(quiz_round.chat_id):
                if await self._table.stalled(quiz_round.id):
                    await self.go_on(quiz_round, 0, asker)

    async def go_on(self, quiz_round: QuizRound, after: int, asker: Asker) -> None:
        """After question `after` closed: the next question, or the round's end and its scores."""
        asking = await self.claim_next(quiz_round) if after < quiz_round.size else None
        if asking is None:
            if after < quiz_round.size and await self._table.unfinished(quiz_round.id):
                return  # another caller took the next question: it is theirs to ask
            scores = await self.finish(quiz_round)
            if scores is not None:
                await asker.finished(quiz_round, scores)
            return
        sent = await asker.ask(asking)
        if sent is None:
            await self.not_asked(asking)
            return
        await self.asked(asking, *sent)
