"""SQLite storage: one aiosqlite connection, versioned migrations, typed queries. No SQL elsewhere."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import aiosqlite

from bot.catalogue import choose_film_of_the_day

# Ordered migrations; the position in this list (1-based) is the schema version it produces.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE users (
        id          INTEGER PRIMARY KEY,
        language    TEXT CHECK (language IN ('en', 'ru')),
        last_random TEXT,
        first_seen  TEXT NOT NULL,
        last_seen   TEXT NOT NULL
    );
    CREATE TABLE daily_films (
        day     TEXT PRIMARY KEY,
        film_id TEXT NOT NULL,
        cycle   INTEGER NOT NULL
    );
    CREATE INDEX daily_films_cycle ON daily_films (cycle);
    """,
    # 2: watchlists. Title and year are copied in so a film that leaves the catalogue stays readable.
    """
    CREATE TABLE watchlist (
        user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        film_id    TEXT NOT NULL,
        title      TEXT NOT NULL,
        year       INTEGER NOT NULL,
        added_at   TEXT NOT NULL,
        watched_at TEXT,
        UNIQUE (user_id, film_id)
    );
    CREATE INDEX watchlist_by_user ON watchlist (user_id, added_at);
    """,
    # 3: daily delivery. next_due is a UTC instant; a delivery row is claimed before its message
    # is sent, so a crash can lose a message in flight but never send one twice.
    """
    CREATE TABLE subscriptions (
        user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        chat_id     INTEGER NOT NULL,
        local_time  TEXT NOT NULL,
        zone        TEXT NOT NULL,
        language    TEXT NOT NULL CHECK (language IN ('en', 'ru')),
        active      INTEGER NOT NULL DEFAULT 1,
        next_due    TEXT NOT NULL,
        stop_reason TEXT,
        updated_at  TEXT NOT NULL
    );
    CREATE INDEX subscriptions_due ON subscriptions (active, next_due);
    CREATE TABLE deliveries (
        user_id    INTEGER NOT NULL,
        local_date TEXT NOT NULL,
        film_id    TEXT NOT NULL,
        state      TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed')),
        claimed_at TEXT NOT NULL,
        UNIQUE (user_id, local_date)
    );
    CREATE INDEX deliveries_by_date ON deliveries (local_date, state);
    CREATE TABLE broadcasts (
        id          INTEGER PRIMARY KEY,
        started_at  TEXT NOT NULL,
        seconds     REAL NOT NULL,
        sent        INTEGER NOT NULL,
        failed      INTEGER NOT NULL
    );
    """,
]


def _now() -> str:
    return _instant(datetime.now(UTC))


def _instant(moment: datetime) -> str:
    """UTC instants are stored as ISO text, which sorts in time order."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Entry:
    """One film in a user's watchlist."""

    film_id: str
    title: str
    year: int
    added_at: datetime
    watched_at: datetime | None

    @property
    def watched(self) -> bool:
        return self.watched_at is not None


def _entry(row: aiosqlite.Row | tuple[object, ...]) -> Entry:
    film_id, title, year, added_at, watched_at = row
    return Entry(
        str(film_id),
        str(title),
        int(str(year)),
        datetime.fromisoformat(str(added_at)),
        datetime.fromisoformat(str(watched_at)) if watched_at else None,
    )


_USER_FIELDS = frozenset({"language", "last_random"})


async def _touch_user(db: aiosqlite.Connection, user_id: int, **fields: str) -> str | None:
    """In one statement: record that the user was seen (creating the row), set `fields`, and return
    the language they chose, if any."""
    assert set(fields) <= _USER_FIELDS, fields
    now = _now()
    columns = ["id", "first_seen", "last_seen", *fields]
    updates = ", ".join(f"{name} = excluded.{name}" for name in ["last_seen", *fields])
    async with db.execute(
        f"INSERT INTO users ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT (id) DO UPDATE SET {updates} RETURNING language",
        (user_id, now, now, *fields.values()),
    ) as cursor:
        row = await cursor.fetchone()
    return str(row[0]) if row and row[0] else None


class StorageError(Exception):
    """The database file cannot be opened or migrated; the message says how to fix it."""


class Storage:
    """Owns the one connection; a lock keeps multi-statement transactions whole."""

    def __init__(self, connection: aiosqlite.Connection):
        self._db = connection
        self._lock = asyncio.Lock()
        self.watchlist = Watchlist(connection)
        self.subscriptions = Subscriptions(connection)

    @classmethod
    async def open(cls, path: Path | str) -> Storage:
        try:
            if str(path) != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            connection = await aiosqlite.connect(path, isolation_level=None)
        except Exception as exc:
            raise StorageError(f"cannot open the database {path}: {exc}; check DATABASE_PATH") from None
        storage = cls(connection)
        try:
            await storage._prepare()
        except Exception as exc:
            await connection.close()
            raise StorageError(f"cannot use the database {path}: {exc}; check DATABASE_PATH") from None
        return storage

    async def _prepare(self) -> None:
        await self._db.execute("PRAGMA journal_mode=WAL")
        await self._db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL survives a process crash
        await self._db.execute("PRAGMA foreign_keys=ON")
        await self._db.execute("PRAGMA busy_timeout=5000")
        async with self._db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        version = int(row[0]) if row else 0
        if version > len(MIGRATIONS):
            raise StorageError(f"schema version {version} is newer than this bot ({len(MIGRATIONS)})")
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            await self._db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")

    async def close(self) -> None:
        await self._db.close()

    async def schema_version(self) -> int:
        async with self._db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    # users

    async def touch_user(self, user_id: int) -> str | None:
        """Record that the user was seen; returns the language they chose, if any."""
        return await _touch_user(self._db, user_id)

    async def language(self, user_id: int) -> str | None:
        async with self._db.execute("SELECT language FROM users WHERE id = ?", (user_id,)) as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row and row[0] else None

    async def set_language(self, user_id: int, language: str) -> None:
        await _touch_user(self._db, user_id, language=language)

    async def last_random(self, user_id: int) -> str | None:
        async with self._db.execute("SELECT last_random FROM users WHERE id = ?", (user_id,)) as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row and row[0] else None

    async def set_last_random(self, user_id: int, film_id: str) -> None:
        await _touch_user(self._db, user_id, last_random=film_id)

    # film of the day

    async def film_of_the_day(self, day: date, visible_ids: Sequence[str]) -> str:
        """The film for `day`, chosen once and then kept: a cycle covers every visible film
        before any repeats, and films added later join the cycle from the next new day on."""
        if not visible_ids:
            raise ValueError("no visible films")
        visible = set(visible_ids)
        async with self._lock:
            async with self._db.execute(
                "SELECT film_id FROM daily_films WHERE day = ?", (day.isoformat(),)
            ) as cursor:
                row = await cursor.fetchone()
            if row and row[0] in visible:
                return str(row[0])
            async with self._db.execute("SELECT COALESCE(MAX(cycle), 0) FROM daily_films") as cursor:
                cycle_row = await cursor.fetchone()
            cycle = int(cycle_row[0]) if cycle_row else 0
            async with self._db.execute(
                "SELECT film_id FROM daily_films WHERE cycle = ?", (cycle,)
            ) as cursor:
                shown = {str(r[0]) for r in await cursor.fetchall()}
            remaining = visible - shown
            if not remaining:
                cycle, remaining = cycle + 1, visible
            film_id = choose_film_of_the_day(day, sorted(remaining))
            await self._db.execute(
                "INSERT INTO daily_films (day, film_id, cycle) VALUES (?, ?, ?) "
                "ON CONFLICT (day) DO UPDATE SET film_id = excluded.film_id, cycle = excluded.cycle",
                (day.isoformat(), film_id, cycle),
            )
            return film_id


class Watchlist:
    """Per-user lists of films to watch and watched. Every method returns once its write committed;
    each write is one statement, so a double tap or two concurrent presses leave one consistent row."""

    _COLUMNS = "film_id, title, year, added_at, watched_at"

    def __init__(self, connection: aiosqlite.Connection):
        self._db = connection

    async def add(self, user_id: int, film_id: str, title: str, year: int) -> bool:
        """True if the film was added, False if it was already there."""
        await _touch_user(self._db, user_id)
        cursor = await self._db.execute(
            "INSERT INTO watchlist (user_id, film_id, title, year, added_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (user_id, film_id) DO NOTHING",
            (user_id, film_id, title, year, _now()),
        )
        return cursor.rowcount > 0

    async def remove(self, user_id: int, film_id: str) -> bool:
        cursor = await self._db.execute(
            "DELETE FROM watchlist WHERE user_id = ? AND film_id = ?", (user_id, film_id)
        )
        return cursor.rowcount > 0

    async def set_watched(self, user_id: int, film_id: str, watched: bool) -> bool:
        """Mark (or unmark) a film in the list as watched; False if it is not in the list."""
        cursor = await self._db.execute(
            "UPDATE watchlist SET watched_at = ? WHERE user_id = ? AND film_id = ?",
            (_now() if watched else None, user_id, film_id),
        )
        return cursor.rowcount > 0

    async def entry(self, user_id: int, film_id: str) -> Entry | None:
        async with self._db.execute(
            f"SELECT {self._COLUMNS} FROM watchlist WHERE user_id = ? AND film_id = ?", (user_id, film_id)
        ) as cursor:
            row = await cursor.fetchone()
        return _entry(row) if row else None

    async def entries_for_film(self, film_id: str, user_ids: list[int]) -> dict[int, Entry]:
        """Which of `user_ids` have `film_id` in their list (for the buttons of a daily card)."""
        if not user_ids:
            return {}
        marks = ", ".join("?" * len(user_ids))
        async with self._db.execute(
            f"SELECT user_id, {self._COLUMNS} FROM watchlist WHERE film_id = ? AND user_id IN ({marks})",
            (film_id, *user_ids),
        ) as cursor:
            return {int(row[0]): _entry(tuple(row[1:])) for row in await cursor.fetchall()}

    async def entries(self, user_id: int) -> list[Entry]:
        """To-watch films first (oldest added first), then watched ones (most recent first)."""
        async with self._db.execute(
            f"SELECT {self._COLUMNS} FROM watchlist WHERE user_id = ? "
            "ORDER BY watched_at IS NOT NULL, watched_at DESC, added_at, rowid",
            (user_id,),
        ) as cursor:
            return [_entry(row) for row in await cursor.fetchall()]


@dataclass(frozen=True)
class Subscription:
    user_id: int
    chat_id: int
    local_time: str
    zone: str
    language: str  # the user's chosen language, else the one they subscribed in
    active: bool
    next_due: datetime
    stop_reason: str | None


def _subscription(row: aiosqlite.Row | tuple[object, ...]) -> Subscription:
    user_id, chat_id, local_time, zone, language, active, next_due, stop_reason = row
    return Subscription(
        int(str(user_id)),
        int(str(chat_id)),
        str(local_time),
        str(zone),
        str(language),
        bool(active),
        datetime.fromisoformat(str(next_due)),
        str(stop_reason) if stop_reason else None,
    )


@dataclass(frozen=True)
class DeliveryStats:
    users: int
    active: int
    delivered: int
    waiting: int
    stopped: dict[str, int]
    last_seconds: float | None
    last_sent: int | None


class Subscriptions:
    """Who gets the film of the day, when it is next due, and what was delivered for which date."""

    _COLUMNS = (
        "s.user_id, s.chat_id, s.local_time, s.zone, COALESCE(u.language, s.language), s.active, "
        "s.next_due, s.stop_reason"
    )
    _FROM = "subscriptions s JOIN users u ON u.id = s.user_id"

    def __init__(self, connection: aiosqlite.Connection):
        self._db = connection

    async def subscribe(
        self, user_id: int, chat_id: int, local_time: str, zone: str, language: str, due: datetime
    ) -> None:
        """Subscribe, resubscribe or change the time; `language` is the one to write in."""
        await _touch_user(self._db, user_id)
        await self._db.execute(
            "INSERT INTO subscriptions (user_id, chat_id, local_time, zone, language, active, next_due, "
            "updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
            "chat_id = excluded.chat_id, local_time = excluded.local_time, zone = excluded.zone, "
            "language = excluded.language, active = 1, next_due = excluded.next_due, stop_reason = NULL, "
            "updated_at = excluded.updated_at",
            (user_id, chat_id, local_time, zone, language, _instant(due), _now()),
        )

    async def get(self, user_id: int) -> Subscription | None:
        async with self._db.execute(
            f"SELECT {self._COLUMNS} FROM {self._FROM} WHERE s.user_id = ?", (user_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return _subscription(row) if row else None

    async def stop(self, user_id: int, reason: str) -> bool:
        """Deactivate (the user unsubscribed, blocked the bot, or the chat is gone)."""
        cursor = await self._db.execute(
            "UPDATE subscriptions SET active = 0, stop_reason = ?, updated_at = ? "
            "WHERE user_id = ? AND active = 1",
            (reason, _now(), user_id),
        )
        return cursor.rowcount > 0

    async def due(self, now: datetime, limit: int) -> list[Subscription]:
        """The next batch of active subscriptions due at `now`, earliest first (uses the index)."""
        async with self._db.execute(
            f"SELECT {self._COLUMNS} FROM {self._FROM} WHERE s.active = 1 AND s.next_due <= ? "
            "ORDER BY s.next_due LIMIT ?",
            (_instant(now), limit),
        ) as cursor:
            return [_subscription(row) for row in await cursor.fetchall()]

    async def reschedule(self, user_id: int, due: datetime) -> None:
        await self._db.execute(
            "UPDATE subscriptions SET next_due = ? WHERE user_id = ?", (_instant(due), user_id)
        )

    async def claim(
        self, claims: list[tuple[int, date, str]], moves: list[tuple[int, datetime]]
    ) -> set[tuple[int, date]]:
        """Claim deliveries (user, local date, film) and move subscriptions on to their next due
        instants. Returns the claims that were new: a date already claimed must not be sent again.
        Claims commit before the moves; a crash between them leaves claims whose messages are never
        sent (lost in flight), never a second message."""
        claimed: set[tuple[int, date]] = set()
        if claims:
            values = ", ".join(["(?, ?, ?, 'sending', ?)"] * len(claims))
            now = _now()
            params = [v for user_id, day, film_id in claims for v in (user_id, day.isoformat(), film_id, now)]
            async with self._db.execute(
                f"INSERT INTO deliveries (user_id, local_date, film_id, state, claimed_at) VALUES {values} "
                "ON CONFLICT (user_id, local_date) DO NOTHING RETURNING user_id, local_date",
                params,
            ) as cursor:
                claimed = {(int(u), date.fromisoformat(str(d))) for u, d in await cursor.fetchall()}
        await self._db.executemany(
            "UPDATE subscriptions SET next_due = ? WHERE user_id = ?",
            [(_instant(due), u) for u, due in moves],
        )
        return claimed

    async def delivered(self, outcomes: list[tuple[int, date, bool]]) -> None:
        """Record what became of claimed deliveries: (user, local date, sent)."""
        await self._db.executemany(
            "UPDATE deliveries SET state = ? WHERE user_id = ? AND local_date = ?",
            [("sent" if sent else "failed", u, day.isoformat()) for u, day, sent in outcomes],
        )

    async def release(self, user_id: int, local_date: date, due: datetime) -> None:
        """Give a claim back after a temporary failure, so that the next pass tries again."""
        await self._db.execute(
            "DELETE FROM deliveries WHERE user_id = ? AND local_date = ? AND state = 'sending'",
            (user_id, local_date.isoformat()),
        )
        await self.reschedule(user_id, due)

    async def record_broadcast(self, started: datetime, seconds: float, sent: int, failed: int) -> None:
        await self._db.execute(
            "INSERT INTO broadcasts (started_at, seconds, sent, failed) VALUES (?, ?, ?, ?)",
            (_instant(started), seconds, sent, failed),
        )

    async def stats(self, now: datetime, today: date) -> DeliveryStats:
        async def one(sql: str, *args: object) -> int:
            async with self._db.execute(sql, args) as cursor:
                row = await cursor.fetchone()
            return int(row[0]) if row and row[0] is not None else 0

        async with self._db.execute(
            "SELECT stop_reason, COUNT(*) FROM subscriptions WHERE active = 0 GROUP BY stop_reason ORDER BY 1"
        ) as cursor:
            stopped = {str(reason): int(count) for reason, count in await cursor.fetchall()}
        async with self._db.execute(
            "SELECT seconds, sent FROM broadcasts WHERE sent > 0 ORDER BY id DESC LIMIT 1"
        ) as cursor:
            last = await cursor.fetchone()
        return DeliveryStats(
            users=await one("SELECT COUNT(*) FROM users"),
            active=await one("SELECT COUNT(*) FROM subscriptions WHERE active = 1"),
            delivered=await one(
                "SELECT COUNT(*) FROM deliveries WHERE local_date = ? AND state = 'sent'", today.isoformat()
            ),
            waiting=await one(
                "SELECT COUNT(*) FROM subscriptions WHERE active = 1 AND next_due <= ?", _instant(now)
            ),
            stopped=stopped,
            last_seconds=float(last[0]) if last else None,
            last_sent=int(last[1]) if last else None,
        )
