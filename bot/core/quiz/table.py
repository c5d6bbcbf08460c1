"""The quiz tables: rounds, their questions as asked, the answers, and what each chat was asked.
Every change that must happen once (a question opened, closed, a round finished, an answer) is one
conditional statement, so two workers or two presses never both win."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.models import Language
from bot.core.storage import Table
from bot.core.storage.rows import IntegrityError, instant, write


@dataclass(frozen=True)
class QuizRound:
    id: int
    chat_id: int
    starter_id: int
    language: Language
    is_group: bool
    size: int
    finished: bool
    daily: bool = False  # a question of the day, under the film of the day


@dataclass(frozen=True)
class Slot:
    """A question's place in a round: which question, and how far it got."""

    round_id: int
    number: int  # 1-based
    key: str
    film_id: str
    correct: int
    state: str  # waiting | open | closed
    poll_id: str | None
    message_id: int | None
    closes_at: datetime | None


@dataclass(frozen=True)
class Score:
    user_id: int
    name: str
    right: int
    answered: int


_ROUND = "id, chat_id, starter_id, language, is_group, size, state, daily"
_SLOT = "round_id, number, key, film_id, correct, state, poll_id, message_id, closes_at"


def _round(row: Sequence[object]) -> QuizRound:
    round_id, chat_id, starter, language, is_group, size, state, daily = row
    return QuizRound(
        int(str(round_id)),
        int(str(chat_id)),
        int(str(starter)),
        "ru" if language == "ru" else "en",
        bool(is_group),
        int(str(size)),
        state == "finished",
        bool(daily),
    )


def _slot(row: Sequence[object]) -> Slot:
    round_id, number, key, film_id, correct, state, poll_id, message_id, closes_at = row
    return Slot(
        int(str(round_id)),
        int(str(number)),
        str(key),
        str(film_id),
        int(str(correct)),
        str(state),
        str(poll_id) if poll_id is not None else None,
        int(str(message_id)) if message_id is not None else None,
        datetime.fromisoformat(str(closes_at)) if closes_at is not None else None,
    )


class QuizTable(Table):
    async def round(self, round_id: int) -> QuizRound | None:
        async with self._db.execute(f"SELECT {_ROUND} FROM quiz_rounds WHERE id = ?", (round_id,)) as cur:
            row = await cur.fetchone()
        return _round(row) if row else None

    async def open_round(self, chat_id: int) -> QuizRound | None:
        async with self._db.execute(
            f"SELECT {_ROUND} FROM quiz_rounds WHERE chat_id = ? AND state = 'open' AND daily = 0", (chat_id,)
        ) as cur:
            row = await cur.fetchone()
        return _round(row) if row else None

    @write
    async def create(
        self,
        chat_id: int,
        starter_id: int,
        language: Language,
        is_group: bool,
        slots: Sequence[tuple[str, str, int]],
        now: datetime,
        daily: bool = False,
    ) -> QuizRound | None:
        """A new round with its questions (key, film, right option) waiting; None if the chat has an
        open round (the unique index refused it)."""
        async with self._atomic():
            try:
                round_id = await self._insert(
                    "INSERT INTO quiz_rounds (chat_id, starter_id, language, is_group, size, created_at, "
                    "daily) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (chat_id, starter_id, language, int(is_group), len(slots), instant(now), int(daily)),
                )
            except IntegrityError:
                return None
            await self._db.executemany(
                "INSERT INTO quiz_questions (round_id, number, key, film_id, correct) VALUES (?, ?, ?, ?, ?)",
                [(round_id, n, key, film, correct) for n, (key, film, correct) in enumerate(slots, 1)],
            )
            await self._db.executemany(
                "INSERT INTO quiz_asked (chat_id, key, asked_at) VALUES (?, ?, ?) "
                "ON CONFLICT (chat_id, key) DO UPDATE SET asked_at = excluded.asked_at",
                [(chat_id, key, instant(now)) for key, _, _ in slots],
            )
        return await self.round(round_id)

    @write
    async def claim_daily(self, user_id: int, local_date: str) -> bool:
        """The subscriber's question of the day for that date is this caller's to send (once)."""
        cursor = await self._db.execute(
            "INSERT INTO daily_questions (user_id, local_date) VALUES (?, ?) "
            "ON CONFLICT (user_id, local_date) DO NOTHING",
            (user_id, local_date),
        )
        return cursor.rowcount > 0

    async def daily_claimed(self, user_id: int, local_date: str) -> bool:
        async with self._db.execute(
            "SELECT 1 FROM daily_questions WHERE user_id = ? AND local_date = ?", (user_id, local_date)
        ) as cur:
            return await cur.fetchone() is not None

    async def asked_since(self, chat_id: int, since: datetime) -> set[str]:
        async with self._db.execute(
            "SELECT key FROM quiz_asked WHERE chat_id = ? AND asked_at >= ?", (chat_id, instant(since))
        ) as cur:
            return {str(r[0]) for r in await cur.fetchall()}

    async def slot(self, round_id: int, number: int) -> Slot | None:
        async with self._db.execute(
            f"SELECT {_SLOT} FROM quiz_questions WHERE round_id = ? AND number = ?", (round_id, number)
        ) as cur:
            row = await cur.fetchone()
        return _slot(row) if row else None

    async def slot_of_poll(self, poll_id: str) -> Slot | None:
        async with self._db.execute(
            f"SELECT {_SLOT} FROM quiz_questions WHERE poll_id = ?", (poll_id,)
        ) as cur:
            row = await cur.fetchone()
        return _slot(row) if row else None

    @write
    async def claim_ask(self, round_id: int, number: int) -> bool:
        """The question is being asked now (once: a second press or worker finds it taken)."""
        cursor = await self._db.execute(
            "UPDATE quiz_questions SET state = 'open' "
            "WHERE round_id = ? AND number = ? AND state = 'waiting' "
            "AND NOT EXISTS (SELECT 1 FROM quiz_rounds WHERE id = ? AND state = 'finished')",
            (round_id, number, round_id),
        )
        return cursor.rowcount > 0

    @write
    async def unclaim_ask(self, round_id: int, number: int) -> None:
        """The poll could not be sent: the question waits again."""
        await self._db.execute(
            "UPDATE quiz_questions SET state = 'waiting' "
            "WHERE round_id = ? AND number = ? AND poll_id IS NULL",
            (round_id, number),
        )

    @write
    async def asked(
        self, round_id: int, number: int, poll_id: str, message_id: int, closes_at: datetime | None
    ) -> None:
        await self._db.execute(
            "UPDATE quiz_questions SET poll_id = ?, message_id = ?, closes_at = ? "
            "WHERE round_id = ? AND number = ?",
            (poll_id, message_id, instant(closes_at) if closes_at else None, round_id, number),
        )

    @write
    async def answer(
        self, round_id: int, number: int, user_id: int, name: str, right: bool, now: datetime
    ) -> bool:
        """The player's answer, if the question is open and they had not answered it (a quiz poll
        takes one answer)."""
        cursor = await self._db.execute(
            'INSERT INTO quiz_answers (round_id, number, user_id, name, "right", answered_at) '
            "SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM quiz_questions "
            "WHERE round_id = ? AND number = ? AND state = 'open') "
            "ON CONFLICT (round_id, number, user_id) DO NOTHING",
            (round_id, number, user_id, name, int(right), instant(now), round_id, number),
        )
        return cursor.rowcount > 0

    @write
    async def claim_close(self, round_id: int, number: int) -> bool:
        cursor = await self._db.execute(
            "UPDATE quiz_questions SET state = 'closed' WHERE round_id = ? AND number = ? AND state = 'open'",
            (round_id, number),
        )
        return cursor.rowcount > 0

    @write
    async def claim_finish(self, round_id: int, now: datetime) -> bool:
        cursor = await self._db.execute(
            "UPDATE quiz_rounds SET state = 'finished', finished_at = ? WHERE id = ? AND state = 'open'",
            (instant(now), round_id),
        )
        if cursor.rowcount:
            await self._db.execute(
                "UPDATE quiz_questions SET state = 'closed' WHERE round_id = ? AND state != 'closed'",
                (round_id,),
            )
        return cursor.rowcount > 0

    async def answered(self, round_id: int, number: int) -> set[int]:
        async with self._db.execute(
            "SELECT user_id FROM quiz_answers WHERE round_id = ? AND number = ?", (round_id, number)
        ) as cur:
            return {int(r[0]) for r in await cur.fetchall()}

    async def chat_of_poll(self, poll_id: str) -> int | None:
        row = await self._read_one(
            "SELECT r.chat_id FROM quiz_questions q JOIN quiz_rounds r ON r.id = q.round_id "
            "WHERE q.poll_id = ?",
            (poll_id,),
        )
        return None if row is None else int(row[0])

    async def players_before(self, round_id: int, number: int) -> set[int]:
        """Who answered an earlier question of the round: the group's players."""
        async with self._db.execute(
            "SELECT DISTINCT user_id FROM quiz_answers WHERE round_id = ? AND number < ?", (round_id, number)
        ) as cur:
            return {int(r[0]) for r in await cur.fetchall()}

    async def due(self, now: datetime) -> list[Slot]:
        async with self._db.execute(
            f"SELECT {_SLOT} FROM quiz_questions WHERE state = 'open' AND closes_at IS NOT NULL "
            "AND closes_at <= ? ORDER BY closes_at",
            (instant(now),),
        ) as cur:
            return [_slot(r) for r in await cur.fetchall()]

    async def stalled(self, round_id: int | None = None) -> list[QuizRound]:
        """Open group rounds none of whose questions is open (the bot stopped between two); with
        `round_id`, that round if it is one."""
        only = "" if round_id is None else " AND r.id = ?"
        async with self._db.execute(
            f"SELECT {_ROUND} FROM quiz_rounds r WHERE state = 'open' AND is_group = 1 AND NOT EXISTS "
            f"(SELECT 1 FROM quiz_questions q WHERE q.round_id = r.id AND q.state = 'open'){only}",
            () if round_id is None else (round_id,),
        ) as cur:
            return [_round(r) for r in await cur.fetchall()]

    async def next_number(self, round_id: int) -> int | None:
        """The first question of the round not asked yet."""
        async with self._db.execute(
            "SELECT MIN(number) FROM quiz_questions WHERE round_id = ? AND state = 'waiting'", (round_id,)
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row and row[0] is not None else None

    async def unfinished(self, round_id: int) -> bool:
        """Whether a question of the round is still waiting or open."""
        async with self._db.execute(
            "SELECT 1 FROM quiz_questions WHERE round_id = ? AND state != 'closed' LIMIT 1", (round_id,)
        ) as cur:
            return await cur.fetchone() is not None

    async def scores(self, round_id: int) -> list[Score]:
        return await self._scores("a.round_id = ?", round_id)

    async def chat_scores(self, chat_id: int) -> list[Score]:
        return await self._scores("r.chat_id = ? AND r.is_group = 1", chat_id)

    async def _scores(self, where: str, *args: object) -> list[Score]:
        async with self._db.execute(
            "SELECT a.user_id, (SELECT name FROM quiz_answers b WHERE b.user_id = a.user_id "
            'ORDER BY b.answered_at DESC LIMIT 1), SUM(a."right"), COUNT(*) FROM quiz_answers a '
            f"JOIN quiz_rounds r ON r.id = a.round_id WHERE {where} GROUP BY a.user_id "
            'ORDER BY SUM(a."right") DESC, COUNT(*) ASC, MIN(a.answered_at)',
            args,
        ) as cur:
            return [Score(int(u), str(n), int(r), int(c)) for u, n, r, c in await cur.fetchall()]

    async def results(self, user_id: int) -> list[tuple[bool, datetime]]:
        """Every answer the user gave, oldest first: right or not, and when."""
        async with self._db.execute(
            'SELECT "right", answered_at FROM quiz_answers WHERE user_id = ? ORDER BY answered_at, rowid',
            (user_id,),
        ) as cur:
            return [(bool(r), datetime.fromisoformat(str(t))) for r, t in await cur.fetchall()]
