"""The subscriptions service: subscribe from what the user typed (asking for the zone the first
time, when none was given), move the hour, the minute or the zone, stop with a reason, and what
/settings shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html import escape

from bot.core.models import Clock, Language, Refused, Zone, hhmm, local_today
from bot.core.storage import Storage
from bot.core.subscriptions.model import DeliveryStats, Extra, StopReason, Subscription
from bot.core.subscriptions.schedule import next_due, parse_zone
from bot.core.subscriptions.table import SubscriptionsTable
from bot.core.subscriptions.zones import BY_KEY, SUGGESTED, read_subscription, spoken_time, zone_label
from bot.core.texts import format_day, text


@dataclass(frozen=True)
class AskZone:
    """Nothing is stored yet: the user is asked which zone `at` is in (a first subscription that
    named no zone)."""

    at: time


class Subscriptions:
    def __init__(self, storage: Storage, clock: Clock, default_time: time, default_zone: Zone):
        self._table = storage.table(SubscriptionsTable)
        self._clock = clock
        self.default_time = default_time
        self.default_zone = default_zone

    async def get(self, user_id: int) -> Subscription | None:
        return await self._table.get(user_id)

    async def toggle(self, user_id: int, extra: Extra) -> tuple[Subscription, bool] | None:
        """An extra (the question of the day, the picture) switched over, on an active subscription
        only: the subscription as it is now and whether the extra is on; None for no subscription."""
        current = await self._table.get(user_id)
        if current is None or not current.active:
            return None
        on = not (current.daily_quiz if extra is Extra.QUIZ else current.daily_picture)
        await self._table.set_extra(user_id, extra, on)
        updated = await self._table.get(user_id)
        assert updated is not None
        return updated, on

    async def delivered_with_quiz(self, since: datetime) -> list[tuple[int, int, str, str, Language]]:
        return await self._table.delivered_with_quiz(since)

    async def _subscribe(
        self, user_id: int, chat_id: int, at: time, zone: Zone, language: Language, tomorrow: bool = False
    ) -> Subscription:
        """With `tomorrow` («завтра в 9»), the first film comes tomorrow even if the hour is still
        ahead today (the reply's "next: tomorrow at 09:00" says so)."""
        now = self._clock()
        due = next_due(now, at, zone.tz)
        if tomorrow and due.astimezone(zone.tz).date() == local_today(now, zone.tz):
            due = next_due(due + timedelta(minutes=1), at, zone.tz)
        return await self._table.subscribe(user_id, chat_id, at, zone, language, due)

    async def subscribe(
        self, user_id: int, chat_id: int, argument: str, language: Language
    ) -> Subscription | AskZone:
        """`/subscribe [time] [zone]` in what people type (bot.core.zones); Refused says what is
        wrong. Without a zone the user's own zone stays (a new hour is not a move to the bot's
        zone); a first subscription without one asks for it."""
        at, zone = read_subscription(argument)
        tomorrow = spoken_time(argument)[1]
        current = await self._table.get(user_id)
        if at is None:
            at = current.at if current else self.default_time
        if zone is None:
            if current is None:
                return AskZone(at)
            zone = current.zone
        return await self._subscribe(user_id, chat_id, at, zone, language, tomorrow)

    async def subscribe_in(
        self, user_id: int, chat_id: int, city: str, at: time, language: Language
    ) -> Subscription | None:
        """A city chosen from the zone buttons; None for a city this release does not know."""
        known = BY_KEY.get(city)
        if known is None:
            return None
        return await self._subscribe(user_id, chat_id, at, parse_zone(known.zone), language)

    async def resume(self, user_id: int, chat_id: int, language: Language) -> Subscription | AskZone:
        """Subscribe again at the hour and zone the user had; the first time, ask for the zone."""
        current = await self._table.get(user_id)
        if current is None:
            return AskZone(self.default_time)
        return await self._subscribe(user_id, current.chat_id, current.at, current.zone, language)

    async def shift(self, user_id: int, minutes: int, language: Language) -> Subscription | None:
        """Move an active subscription's time of day by `minutes` (wrapping round midnight)."""
        current = await self._table.get(user_id)
        if current is None or not current.active:
            return current
        shifted = (datetime.combine(date(2000, 1, 1), current.at) + timedelta(minutes=minutes)).time()
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
                text(
                    language,
                    first,
                    time=subscription.local_time,
                    zone=zone_label(subscription.zone, language, self._clock(), in_brackets=True),
                ),
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

    def zone_label(self, zone: Zone, language: Language) -> str:
        """ "Moscow (UTC+3)", with the offset the zone has now."""
        return zone_label(zone, language, self._clock())

    def zone_question(self, at: time, language: Language) -> str:
        return text(language, "sub_ask_zone", time=hhmm(at))

    def zone_choices(self, language: Language) -> list[tuple[str, str]]:
        """The cities the zone question offers, as (key, label), likeliest first for the language."""
        now = self._clock()
        return [(key, zone_label(parse_zone(BY_KEY[key].zone), language, now)) for key in SUGGESTED[language]]

    def refusal(self, error: Refused, language: Language) -> str:
        """What was wrong with the /subscribe words, with an example (HTML)."""
        values = {k: escape(str(v)) for k, v in error.values.items()}
        if "suggestion" in error.values:
            zone = parse_zone(str(error.values["suggestion"]))
            values |= {"suggestion": escape(self.zone_label(zone, language)), "zone": escape(zone.name)}
        return text(language, error.key, **({"time": hhmm(self.default_time)} | values))

    async def stats(self, today: date) -> DeliveryStats:
        return await self._table.stats(self._clock(), today)
