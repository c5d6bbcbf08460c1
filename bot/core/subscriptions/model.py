"""Subscriptions to the film of the day, why one stopped, and what /stats counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from enum import Enum

from bot.core.models import Language, Zone, hhmm


class StopReason(Enum):
    """Why a subscription stopped."""

    UNSUBSCRIBED = "unsubscribed"
    BLOCKED = "blocked"
    CHAT_GONE = "chat_not_found"


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
