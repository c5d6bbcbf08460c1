"""What the table modules share: instants as text, and the users row every table hangs from."""

from __future__ import annotations

from datetime import UTC, datetime

import aiosqlite


def now_text() -> str:
    return instant(datetime.now(UTC))


def instant(moment: datetime) -> str:
    """UTC instants are stored as ISO text, which sorts in time order."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


_USER_FIELDS = frozenset({"language", "last_random"})


async def touch_user(db: aiosqlite.Connection, user_id: int, **fields: str) -> str | None:
    """In one statement: record that the user was seen (creating the row), set `fields`, and return
    the language they chose, if any."""
    assert set(fields) <= _USER_FIELDS, fields
    now = now_text()
    columns = ["id", "first_seen", "last_seen", *fields]
    updates = ", ".join(f"{name} = excluded.{name}" for name in ["last_seen", *fields])
    async with db.execute(
        f"INSERT INTO users ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT (id) DO UPDATE SET {updates} RETURNING language",
        (user_id, now, now, *fields.values()),
    ) as cursor:
        row = await cursor.fetchone()
    return str(row[0]) if row and row[0] else None
