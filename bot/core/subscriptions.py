"""The subscriptions service: subscribe from what the user typed, shift the hour, stop with a reason,
and what /settings shows."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot.core.models import Clock, DeliveryStats, Language, StopReason, Subscription, Zone, hhmm
from bot.core.schedule import local_today, next_due, parse_subscription
from bot.core.storage import Storage
from bot.core.texts import format_day, text


class Subscriptions:
    def __init__(self, storage: Storage, clock: Clock, default_time: time, default_zone: Zone):
        self._table = storage.subscriptions
        self._clock = clock
        self.default_time = default_time
        self.default_zone = default_zone

    async def get(self, user_id: int) -> Subscription | None:
        return await self._table.get(user_id)

    async def _subscribe(
        self, user_id: int, chat_id: int, at: time, zone: Zone, language: Language
    ) -> Subscription:
        due = next_due(self._clock(), at, zone.tz)
        return await self._table.subscribe(user_id, chat_id, at, zone, language, due)

    async def subscribe(self, user_id: int, chat_id: int, argument: str, language: Language) -> Subscription:
        """`/subscribe [HH:MM] [zone]`; ValueError if the words are not a time and a zone. Without a
        zone, the user's own zone stays (a new hour is not a move to the bot's zone)."""
        current = await self._table.get(user_id)
        at, zone = parse_subscription(
            argument, self.default_time, current.zone if current else self.default_zone
        )
        return await self._subscribe(user_id, chat_id, at, zone, language)

    async def resume(self, user_id: int, chat_id: int, language: Language) -> Subscription:
        """Subscribe again at the hour and zone the user had, or at the defaults."""
        current = await self._table.get(user_id)
        if current is None:
            return await self._subscribe(user_id, chat_id, self.default_time, self.default_zone, language)
        return await self._subscribe(user_id, current.chat_id, current.at, current.zone, language)

    async def shift(self, user_id: int, hours: int, language: Language) -> Subscription | None:
        """Move an active subscription's hour by `hours` (wrapping round midnight)."""
        current = await self._table.get(user_id)
        if current is None or not current.active:
            return current
        shifted = (datetime.combine(date(2000, 1, 1), current.at) + timedelta(hours=hours)).time()
        return await self._subscribe(user_id, current.chat_id, shifted, current.zone, language)

    async def stop(self, user_id: int, reason: StopReason) -> bool:
        """True if an active subscription was stopped."""
        return await self._table.stop(user_id, reason)

    def describe(self, subscription: Subscription | None, language: Language, done: bool = False) -> str:
        """What /settings (or a fresh /subscribe, with `done`) says about the subscription."""
        if subscription is None or not subscription.active:
            return text(language, "sub_off")
        first = "sub_done" if done else "sub_state"
        return "\n".join(
            [
                text(language, first, time=subscription.local_time, zone=subscription.zone.name),
                text(language, "sub_next", when=self._when(subscription, language)),
            ]
        )

    def _when(self, subscription: Subscription, language: Language) -> str:
        where = subscription.zone.tz
        local_due = subscription.next_due.astimezone(where)
        today = local_today(self._clock(), where)
        clock = hhmm(local_due.time())
        if local_due.date() == today:
            return text(language, "sub_today_at", time=clock)
        if local_due.date() == today + timedelta(days=1):
            return text(language, "sub_tomorrow_at", time=clock)
        return text(language, "sub_date_at", date=format_day(language, local_due.date()), time=clock)

    def usage(self, language: Language) -> str:
        return text(
            language,
            "sub_usage",
            default_time=hhmm(self.default_time),
            default_zone=self.default_zone.name,
        )

    async def stats(self, today: date) -> DeliveryStats:
        return await self._table.stats(self._clock(), today)
