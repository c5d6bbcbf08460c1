"""The movie night tables: rounds, their participants, nominations and ballots."""

from __future__ import annotations

import json
from datetime import datetime

import aiosqlite

from bot.core.movienight.model import Round, RoundState
from bot.core.storage import Table
from bot.core.storage.rows import IntegrityError, instant, write

_COLUMNS = (
    "id, chat_id, starter_id, language, deadline, state, invitation_id, poll_id, poll_message_id, "
    "candidates, winner, zone, zone_from, starts_at"
)


def _round(row: aiosqlite.Row | tuple[object, ...]) -> Round:
    (
        round_id,
        chat_id,
        starter,
        language,
        deadline,
        state,
        invitation,
        poll,
        poll_message,
        candidates,
        winner,
        zone,
        zone_from,
        starts_at,
    ) = row
    return Round(
        int(str(round_id)),
        int(str(chat_id)),
        int(str(starter)),
        "ru" if language == "ru" else "en",
        datetime.fromisoformat(str(deadline)),
        RoundState(str(state)),
        int(str(invitation)) if invitation is not None else None,
        str(poll) if poll is not None else None,
        int(str(poll_message)) if poll_message is not None else None,
        tuple(json.loads(str(candidates))) if candidates else (),
        str(winner) if winner is not None else None,
        str(zone) if zone is not None else None,
        str(zone_from) if zone_from is not None else None,
        datetime.fromisoformat(str(starts_at)) if starts_at else None,
    )


class MovieNightsTable(Table):
    """One open round per group at most (a unique index); every state change is one conditional
    statement, so two presses or two closers never both win."""

    async def _one(self, where: str, *args: object) -> Round | None:
        async with self._db.execute(f"SELECT {_COLUMNS} FROM rounds WHERE {where}", args) as cursor:
            row = await cursor.fetchone()
        return _round(row) if row else None

    async def get(self, round_id: int) -> Round | None:
        return await self._one("id = ?", round_id)

    @write
    async def claim_talk(self, chat_id: int, message_id: int, now: datetime) -> bool:
        """The talking points under this winner are posted now (once)."""
        cursor = await self._db.execute(
            "INSERT INTO talked (chat_id, message_id, talked_at) VALUES (?, ?, ?) "
            "ON CONFLICT (chat_id, message_id) DO NOTHING",
            (chat_id, message_id, instant(now)),
        )
        return cursor.rowcount > 0

    async def open_round(self, chat_id: int) -> Round | None:
        return await self._one("chat_id = ? AND state != 'closed'", chat_id)

    async def by_poll(self, poll_id: str) -> Round | None:
        return await self._one("poll_id = ?", poll_id)

    @write
    async def create(
        self,
        chat_id: int,
        starter_id: int,
        language: str,
        deadline: datetime,
        zone: tuple[str, str | None],
        now: datetime,
        moments: list[datetime] | None = None,
    ) -> Round | None:
        """The new round; None if the group has an open one (the unique index refused it)."""
        try:
            round_id = await self._insert(
                "INSERT INTO rounds (chat_id, starter_id, language, deadline, state, created_at, zone, "
                "zone_from, candidates) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    chat_id,
                    starter_id,
                    language,
                    instant(deadline),
                    "when" if moments else "open",
                    instant(now),
                    *zone,
                    json.dumps([instant(m) for m in moments]) if moments else None,
                ),
            )
        except IntegrityError:
            return None
        return await self.get(round_id)

    async def group_zone(self, chat_id: int) -> str | None:
        row = await self._read_one("SELECT zone FROM group_zones WHERE chat_id = ?", (chat_id,))
        return None if row is None else str(row[0])

    @write
    async def set_group_zone(self, chat_id: int, zone: str, user_id: int, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO group_zones (chat_id, zone, set_by, set_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (chat_id) DO UPDATE SET zone = excluded.zone, set_by = excluded.set_by, "
            "set_at = excluded.set_at",
            (chat_id, zone, user_id, instant(now)),
        )

    @write
    async def set_invitation(self, round_id: int, message_id: int) -> None:
        await self._db.execute("UPDATE rounds SET invitation_id = ? WHERE id = ?", (message_id, round_id))

    @write
    async def join(self, round_id: int, user_id: int, name: str, now: datetime) -> bool:
        cursor = await self._db.execute(
            "INSERT INTO round_members (round_id, user_id, name, joined_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (round_id, user_id) DO NOTHING",
            (round_id, user_id, name, instant(now)),
        )
        return cursor.rowcount > 0

    async def members(self, round_id: int) -> list[tuple[int, str]]:
        async with self._db.execute(
            "SELECT user_id, name FROM round_members WHERE round_id = ? ORDER BY joined_at, rowid",
            (round_id,),
        ) as cursor:
            return [(int(r[0]), str(r[1])) for r in await cursor.fetchall()]

    @write
    async def nominate(self, round_id: int, film_id: str, user_id: int) -> bool:
        cursor = await self._db.execute(
            "INSERT INTO round_nominations (round_id, film_id, user_id) VALUES (?, ?, ?) "
            "ON CONFLICT (round_id, film_id) DO NOTHING",
            (round_id, film_id, user_id),
        )
        return cursor.rowcount > 0

    async def nominations(self, round_id: int) -> dict[str, set[int]]:
        async with self._db.execute(
            "SELECT film_id, user_id FROM round_nominations WHERE round_id = ?", (round_id,)
        ) as cursor:
            found: dict[str, set[int]] = {}
            for film_id, user_id in await cursor.fetchall():
                found.setdefault(str(film_id), set()).add(int(user_id))
            return found

    @write
    async def claim_vote(self, round_id: int, candidates: list[str]) -> bool:
        cursor = await self._db.execute(
            "UPDATE rounds SET state = 'voting', candidates = ? WHERE id = ? AND state = 'open'",
            (json.dumps(candidates), round_id),
        )
        return cursor.rowcount > 0

    @write
    async def add_option(self, round_id: int, index: int, film_id: str) -> bool:
        """The poll's option `index`, added by a member, is `film_id` ("" for none of the catalogue):
        appended once, while it is the next one (a poll update seen twice adds nothing)."""
        async with self._db.execute("SELECT candidates FROM rounds WHERE id = ?", (round_id,)) as cursor:
            row = await cursor.fetchone()
        if row is None or row[0] is None or len(json.loads(row[0])) != index:
            return False
        # compare and set: the list as read, else another copy of the update got there first
        cursor = await self._db.execute(
            "UPDATE rounds SET candidates = ? WHERE id = ? AND state = 'voting' AND candidates = ?",
            (json.dumps([*json.loads(row[0]), film_id]), round_id, row[0]),
        )
        return cursor.rowcount > 0

    @write
    async def set_poll(self, round_id: int, poll_id: str, message_id: int) -> None:
        await self._db.execute(
            "UPDATE rounds SET poll_id = ?, poll_message_id = ? WHERE id = ?", (poll_id, message_id, round_id)
        )

    @write
    async def settle_when(self, round_id: int, moment: datetime, deadline: datetime) -> bool:
        """The time poll is over: the round chooses its film now, by `deadline`, for `moment` (once);
        the time poll's ballots make way for the film poll's."""
        cursor = await self._db.execute(
            "UPDATE rounds SET state = 'open', starts_at = ?, deadline = ?, candidates = NULL, "
            "poll_id = NULL, poll_message_id = NULL WHERE id = ? AND state = 'when'",
            (instant(moment), instant(deadline), round_id),
        )
        if cursor.rowcount == 0:
            return False
        await self._db.execute("DELETE FROM round_ballots WHERE round_id = ?", (round_id,))
        return True

    @write
    async def reopen(self, round_id: int) -> None:
        await self._db.execute(
            "UPDATE rounds SET state = 'open', candidates = NULL WHERE id = ? AND state = 'voting'",
            (round_id,),
        )

    @write
    async def record_ballot(self, round_id: int, user_id: int, options: list[int]) -> None:
        """A voter's latest choice (an empty one: they took their vote back)."""
        await self._db.execute(
            "INSERT INTO round_ballots (round_id, user_id, options) VALUES (?, ?, ?) "
            "ON CONFLICT (round_id, user_id) DO UPDATE SET options = excluded.options",
            (round_id, user_id, json.dumps(options)),
        )

    async def ballots(self, round_id: int) -> list[list[int]]:
        async with self._db.execute(
            "SELECT options FROM round_ballots WHERE round_id = ?", (round_id,)
        ) as cursor:
            return [list(json.loads(str(r[0]))) for r in await cursor.fetchall()]

    async def due(self, now: datetime) -> list[Round]:
        async with self._db.execute(
            f"SELECT {_COLUMNS} FROM rounds WHERE state != 'closed' AND deadline <= ? ORDER BY deadline",
            (instant(now),),
        ) as cursor:
            return [_round(row) for row in await cursor.fetchall()]

    @write
    async def claim_close(self, round_id: int, now: datetime) -> Round | None:
        """The round as it was before this caller closed it; None if it was closed already."""
        before = await self.get(round_id)
        cursor = await self._db.execute(
            "UPDATE rounds SET state = 'closed', closed_at = ? WHERE id = ? AND state != 'closed'",
            (instant(now), round_id),
        )
        return before if cursor.rowcount > 0 else None

    @write
    async def set_outcome(self, round_id: int, winner: str | None, tie: bool) -> None:
        await self._db.execute(
            "UPDATE rounds SET winner = ?, tie = ? WHERE id = ?", (winner, int(tie), round_id)
        )

    async def recent_winners(self, chat_id: int, since: datetime) -> set[str]:
        async with self._db.execute(
            "SELECT winner FROM rounds WHERE chat_id = ? AND winner IS NOT NULL AND closed_at >= ?",
            (chat_id, instant(since)),
        ) as cursor:
            return {str(r[0]) for r in await cursor.fetchall()}

    @write
    async def move_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        await self._db.execute("UPDATE rounds SET chat_id = ? WHERE chat_id = ?", (new_chat_id, old_chat_id))
        await self._db.execute(
            "UPDATE screenings SET chat_id = ? WHERE chat_id = ?", (new_chat_id, old_chat_id)
        )
