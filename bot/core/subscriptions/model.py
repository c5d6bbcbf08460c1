"""Subscriptions to the film of the day, why one stopped, and what /stats counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from enum import Enum

from bot.core.models import Language, Zone, hhmm
from bot.core.texts import text


class StopReason(Enum):
    """Why a subscription stopped."""

    UNSUBSCRIBED = "unsubscribed"
    BLOCKED = "blocked"
    CHAT_GONE = "chat_not_found"


class Extra(Enum):
    """What a subscriber may switch on beside the film of the day (each a column of subscriptions)."""

    QUIZ = "daily_quiz"  # a question of the day after the film
    PICTURE = "daily_picture"  # the film as its picture


@dataclass(frozen=True)
class Subscription:
    user_id: int
    chat_id: int
    at: time  # the local time of day
    zone: Zone
    language: Language  # the user's chosen language, else the one they subscribed in
    active: bool
    next_due: datetime
    stop_reason: str | None
    daily_quiz: bool = False  # a question of the day comes after the film
    daily_picture: bool = False  # the film of the day comes as its picture, with a caption

    @property
    def local_time(self) -> str:
        return hhmm(self.at)


@dataclass(frozen=True)
class DeliveryStats:
    users: int
    active: int
    delivered: int
    waiting: int
    stopped: dict[str, int]
    last_seconds: float | None
    last_sent: int | None
    late_seconds: float = 0.0  # how long the oldest film of the day still waiting has been due

    def describe(self, language: Language) -> str:
        """What /stats says."""
        none = text(language, "stats_none")
        stopped = ", ".join(f"{reason}: {count}" for reason, count in self.stopped.items()) or none
        last = none
        if self.last_seconds is not None and self.last_sent:
            rate = self.last_sent / self.last_seconds if self.last_seconds else 0.0
            last = text(language, "stats_last", sent=self.last_sent, seconds=self.last_seconds, rate=rate)
        counts = {"users": self.users, "active": self.active, "delivered": self.delivered}
        return text(language, "stats", **counts, waiting=self.waiting, stopped=stopped, last=last)
