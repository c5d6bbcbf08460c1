"""The subscriptions, deliveries and broadcasts tables: who gets the film of the day, when it is
next due, and what was delivered for which local date."""

from __future__ import annotations

from datetime import date, datetime, time

import aiosqlite

from bot.core.models import Language, Zone, hhmm, parse_hhmm
from bot.core.storage import Table
from bot.core.storage.rows import instant, now_text, write
from bot.core.subscriptions.model import DeliveryStats, Extra, StopReason, Subscription
from bot.core.subscriptions.schedule import parse_zone


def _subscription(row: aiosqlite.Row | tuple[object, ...]) -> Subscription:
    user_id, chat_id, local_time, zone, language, active, next_due, stop_reason, daily_quiz, picture = row
    return Subscription(
        int(str(user_id)),
        int(str(chat_id)),
        parse_hhmm(str(local_time)),
        parse_zone(str(zone)),
        "ru" if language == "ru" else "en",
        bool(active),
        datetime.fromisoformat(str(next_due)),
        str(stop_reason) if stop_reason else None,
        bool(daily_quiz),
        bool(picture),
    )


class SubscriptionsTable(Table):
    _COLUMNS = (
        "s.user_id, s.chat_id, s.local_time, s.zone, COALESCE(u.language, s.language), s.active, "
        "s.next_due, s.stop_reason, s.daily_quiz, s.daily_picture"
    )
    _FROM = "subscriptions s JOIN users u ON u.id = s.user_id"

    @write
    async def subscribe(
        self, user_id: int, chat_id: int, at: time, zone: Zone, language: Language, due: datetime
    ) -> Subscription:
        """Subscribe, resubscribe or change the time; `language` is the one to write in."""
        await self._known.ensure(self._db, user_id)
        await self._db.execute(
            "INSERT INTO subscriptions (user_id, chat_id, local_time, zone, language, active, next_due, "
            "updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
            "chat_id = excluded.chat_id, local_time = excluded.local_time, zone = excluded.zone, "
            "language = excluded.language, active = 1, next_due = excluded.next_due, stop_reason = NULL, "
            "updated_at = excluded.updated_at",
            (user_id, chat_id, hhmm(at), zone.name, language, instant(due), now_text()),
        )
        subscription = await self.get(user_id)
        assert subscription is not None
        return subscription

    @write
    async def set_extra(self, user_id: int, extra: Extra, on: bool) -> None:
        """Switch one of a subscription's extras on or off (the column is the enum's, never typed)."""
        await self._db.execute(
            f"UPDATE subscriptions SET {extra.value} = ? WHERE user_id = ?", (int(on), user_id)
        )

    async def delivered_with_quiz(self, since: datetime) -> list[tuple[int, int, str, str, Language]]:
        """Subscribers who asked for a question of the day and got a film of the day since then:
        (user, chat, local date, film, language)."""
        async with self._db.execute(
            "SELECT d.user_id, s.chat_id, d.local_date, d.film_id, COALESCE(u.language, s.language) "
            "FROM deliveries d JOIN subscriptions s ON s.user_id = d.user_id "
            "JOIN users u ON u.id = d.user_id "
            "WHERE d.state = 'sent' AND d.claimed_at >= ? AND s.daily_quiz = 1 AND s.active = 1 "
            "ORDER BY d.claimed_at",
            (instant(since),),
        ) as cur:
            return [
                (int(u), int(c), str(day), str(film), "ru" if lang == "ru" else "en")
                for u, c, day, film, lang in await cur.fetchall()
            ]

    async def get(self, user_id: int) -> Subscription | None:
        row = await self._read_one(
            f"SELECT {self._COLUMNS} FROM {self._FROM} WHERE s.user_id = ?", (user_id,)
        )
        return _subscription(row) if row else None

    @write
    async def stop(self, user_id: int, reason: StopReason) -> bool:
        """Deactivate (the user unsubscribed, blocked the bot, or the chat is gone)."""
        cursor = await self._db.execute(
            "UPDATE subscriptions SET active = 0, stop_reason = ?, updated_at = ? "
            "WHERE user_id = ? AND active = 1",
            (reason.value, now_text(), user_id),
        )
        return cursor.rowcount > 0

    async def due(self, now: datetime, limit: int) -> list[Subscription]:
        """The next batch of active subscriptions due at `now`, earliest first (uses the index)."""
        async with self._db.execute(
            f"SELECT {self._COLUMNS} FROM {self._FROM} WHERE s.active = 1 AND s.next_due <= ? "
            "ORDER BY s.next_due LIMIT ?",
            (instant(now), limit),
        ) as cursor:
            return [_subscription(row) for row in await cursor.fetchall()]

    @write
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
            now = now_text()
            params = [v for user_id, day, film_id in claims for v in (user_id, day.isoformat(), film_id, now)]
            async with self._db.execute(
                f"INSERT INTO deliveries (user_id, local_date, film_id, state, claimed_at) VALUES {values} "
                "ON CONFLICT (user_id, local_date) DO NOTHING RETURNING user_id, local_date",
                params,
            ) as cursor:
                claimed = {(int(u), date.fromisoformat(str(d))) for u, d in await cursor.fetchall()}
        await self._db.executemany(
            "UPDATE subscriptions SET next_due = ? WHERE user_id = ?",
            [(instant(due), u) for u, due in moves],
        )
        return claimed

    @write
    async def delivered(self, outcomes: list[tuple[int, date, bool]]) -> None:
        """Record what became of claimed deliveries: (user, local date, sent)."""
        await self._db.executemany(
            "UPDATE deliveries SET state = ? WHERE user_id = ? AND local_date = ?",
            [("sent" if sent else "failed", u, day.isoformat()) for u, day, sent in outcomes],
        )

    @write
    async def release(self, user_id: int, local_date: date, due: datetime) -> None:
        """Give a claim back after a temporary failure, so that the next pass tries again."""
        await self._db.execute(
            "DELETE FROM deliveries WHERE user_id = ? AND local_date = ? AND state = 'sending'",
            (user_id, local_date.isoformat()),
        )
        await self._db.execute(
            "UPDATE subscriptions SET next_due = ? WHERE user_id = ?", (instant(due), user_id)
        )

    @write
    async def record_broadcast(self, started: datetime, seconds: float, sent: int, failed: int) -> None:
        await self._db.execute(
            "INSERT INTO broadcasts (started_at, seconds, sent, failed) VALUES (?, ?, ?, ?)",
            (instant(started), seconds, sent, failed),
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
        async with self._db.execute(
            "SELECT MIN(next_due) FROM subscriptions WHERE active = 1 AND next_due <= ?", (instant(now),)
        ) as cursor:
            oldest = await cursor.fetchone()
        late = (now - datetime.fromisoformat(str(oldest[0]))).total_seconds() if oldest and oldest[0] else 0.0
        return DeliveryStats(
            users=await one("SELECT COUNT(*) FROM users"),
            active=await one("SELECT COUNT(*) FROM subscriptions WHERE active = 1"),
            delivered=await one(
                "SELECT COUNT(*) FROM deliveries WHERE local_date = ? AND state = 'sent'", today.isoformat()
            ),
            waiting=await one(
                "SELECT COUNT(*) FROM subscriptions WHERE active = 1 AND next_due <= ?", instant(now)
            ),
            stopped=stopped,
            last_seconds=float(last[0]) if last else None,
            last_sent=int(last[1]) if last else None,
            late_seconds=max(0.0, late),
        )
