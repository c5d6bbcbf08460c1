"""After the vote: the screening. A reminder an hour before the moment (halfway there, for a moment
less than two hours away), and at the moment one message where members press ✋ Ready, the starter
presses ▶ Start, and a late arrival asks ⏱ Where are we? — no video is hosted, only the moment.

Every step lives in SQLite and is claimed by one conditional statement, so it is sent once, also
across a restart; a step whose time passed while the bot was down is sent late with a word saying
so, or skipped when more than TOO_LATE late — and the skip is recorded, never silently lost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from bot.core.models import Clock, Language
from bot.core.storage import Table
from bot.core.storage.rows import instant, write

REMIND_BEFORE = timedelta(hours=1)
NEAR = timedelta(hours=2)  # a moment nearer than this gets its reminder halfway there
NOW = timedelta(minutes=5)  # a moment nearer than this gets no reminder at all
LATE = timedelta(minutes=2)  # sent later than this: the message says it comes late
TOO_LATE = timedelta(minutes=30)  # later than this: skipped
COUNTDOWN = 3  # seconds of "3… 2… 1…" before the film starts


def remind_at(chosen: datetime, starts: datetime) -> datetime | None:
    """When the reminder goes: an hour before; halfway between the choice and a moment less than
    two hours away; none for a moment that is (nearly) now."""
    ahead = starts - chosen
    if ahead <= NOW:
        return None
    if ahead < NEAR:
        return chosen + ahead / 2
    return starts - REMIND_BEFORE


class Step(Enum):
    REMIND = "reminded"
    OPEN = "opened"


@dataclass(frozen=True)
class Screening:
    round_id: int
    chat_id: int
    starter_id: int
    film_id: str
    language: Language
    zone: str
    starts_at: datetime
    remind_at: datetime | None
    message_id: int | None  # the start message, once sent
    started_at: datetime | None  # when the film started (after the countdown)


@dataclass(frozen=True)
class DueStep:
    screening: Screening
    step: Step
    late: bool  # sent more than LATE after its time


_COLUMNS = (
    "s.round_id, s.chat_id, r.starter_id, s.film_id, r.language, COALESCE(r.zone, ''), s.starts_at, "
    "s.remind_at, s.message_id, s.started_at"
)


def _screening(row: tuple[object, ...]) -> Screening:
    round_id, chat_id, starter, film, language, zone, starts, remind, message, started = row
    return Screening(
        int(str(round_id)),
        int(str(chat_id)),
        int(str(starter)),
        str(film),
        "ru" if language == "ru" else "en",
        str(zone),
        datetime.fromisoformat(str(starts)),
        datetime.fromisoformat(str(remind)) if remind else None,
        int(str(message)) if message is not None else None,
        datetime.fromisoformat(str(started)) if started else None,
    )


class ScreeningsTable(Table):
    @write
    async def schedule(
        self, round_id: int, chat_id: int, film_id: str, starts: datetime, remind: datetime | None
    ) -> bool:
        cursor = await self._db.execute(
            "INSERT INTO screenings (round_id, chat_id, film_id, starts_at, remind_at, reminded) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (round_id) DO NOTHING",
            (round_id, chat_id, film_id, instant(starts), instant(remind) if remind else None,
             None if remind else "none"),
        )  # fmt: skip
        return cursor.rowcount > 0

    async def get(self, round_id: int) -> Screening | None:
        async with self._db.execute(
            f"SELECT {_COLUMNS} FROM screenings s JOIN rounds r ON r.id = s.round_id WHERE s.round_id = ?",
            (round_id,),
        ) as cursor:
            row = await cursor.fetchone()
        return _screening(tuple(row)) if row else None

    async def due(self, now: datetime) -> list[tuple[Screening, Step]]:
        """Steps whose time has come and that nobody has claimed."""
        async with self._db.execute(
            f"SELECT {_COLUMNS}, 'reminded' FROM screenings s JOIN rounds r ON r.id = s.round_id "
            "WHERE s.reminded IS NULL AND s.remind_at <= ? "
            f"UNION ALL SELECT {_COLUMNS}, 'opened' FROM screenings s JOIN rounds r ON r.id = s.round_id "
            "WHERE s.opened IS NULL AND s.starts_at <= ? AND s.reminded IS NOT NULL",
            (instant(now), instant(now)),
        ) as cursor:
            return [(_screening(tuple(row)[:-1]), Step(str(row[-1]))) for row in await cursor.fetchall()]

    @write
    async def claim(self, round_id: int, step: Step, outcome: str) -> bool:
        """The step is this caller's (`outcome`: "sent" or "skipped"), once."""
        cursor = await self._db.execute(
            f"UPDATE screenings SET {step.value} = ? WHERE round_id = ? AND {step.value} IS NULL",
            (outcome, round_id),
        )
        return cursor.rowcount > 0

    @write
    async def set_message(self, round_id: int, message_id: int) -> None:
        await self._db.execute(
            "UPDATE screenings SET message_id = ? WHERE round_id = ?", (message_id, round_id)
        )

    @write
    async def ready(self, round_id: int, user_id: int, name: str) -> bool:
        cursor = await self._db.execute(
            "INSERT INTO screening_ready (round_id, user_id, name) VALUES (?, ?, ?) "
            "ON CONFLICT (round_id, user_id) DO NOTHING",
            (round_id, user_id, name),
        )
        return cursor.rowcount > 0

    async def ready_names(self, round_id: int) -> list[str]:
        async with self._db.execute(
            "SELECT name FROM screening_ready WHERE round_id = ? ORDER BY rowid", (round_id,)
        ) as cursor:
            return [str(r[0]) for r in await cursor.fetchall()]

    @write
    async def start(self, round_id: int, at: datetime) -> bool:
        cursor = await self._db.execute(
            "UPDATE screenings SET started_at = ? WHERE round_id = ? AND started_at IS NULL",
            (instant(at), round_id),
        )
        return cursor.rowcount > 0


class Screenings:
    def __init__(self, table: ScreeningsTable, clock: Clock):
        self._table = table
        self._clock = clock

    def now(self) -> datetime:
        return self._clock()

    async def schedule(self, round_id: int, chat_id: int, film_id: str, starts: datetime) -> None:
        """After the vote: the reminder (if there is time for one) and the start message, once."""
        now = self.now()
        await self._table.schedule(round_id, chat_id, film_id, max(starts, now), remind_at(now, starts))

    async def get(self, round_id: int) -> Screening | None:
        return await self._table.get(round_id)

    async def due(self) -> list[DueStep]:
        """The steps to send now, each claimed by this caller; a step more than TOO_LATE late is
        claimed as skipped (and not returned)."""
        now = self.now()
        steps = []
        for screening, step in await self._table.due(now):
            at = screening.remind_at if step is Step.REMIND else screening.starts_at
            late = now - (at or now)
            skipped = late > TOO_LATE
            if (
                await self._table.claim(screening.round_id, step, "skipped" if skipped else "sent")
                and not skipped
            ):
                steps.append(DueStep(screening, step, late > LATE))
        return steps

    async def opened(self, round_id: int, message_id: int) -> None:
        await self._table.set_message(round_id, message_id)

    async def ready(self, round_id: int, user_id: int, name: str) -> list[str]:
        """The member is ready (once); everyone ready so far."""
        await self._table.ready(round_id, user_id, name)
        return await self._table.ready_names(round_id)

    async def ready_names(self, round_id: int) -> list[str]:
        return await self._table.ready_names(round_id)

    async def start(self, round_id: int) -> datetime | None:
        """The starter's ▶ Start: the film starts after the countdown, at the instant returned; None
        if it had started already."""
        at = self.now() + timedelta(seconds=COUNTDOWN)
        return at if await self._table.start(round_id, at) else None

    def elapsed(self, screening: Screening) -> timedelta | None:
        """How far into the film the group is now; None before ▶ Start."""
        if screening.started_at is None:
            return None
        return max(timedelta(0), self.now() - screening.started_at)


def clock_text(elapsed: timedelta) -> str:
    """ "0:42:10" """
    seconds = int(elapsed.total_seconds())
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
