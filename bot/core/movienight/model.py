"""A group's movie night as it is stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from bot.core.models import Language


class RoundState(Enum):
    WHEN = "when"  # the time poll is out: which moment (candidates: the moments, ISO instants)
    OPEN = "open"  # members join and nominate
    VOTING = "voting"  # the poll is out
    CLOSED = "closed"  # announced, or ended without a vote


@dataclass(frozen=True)
class Round:
    """A group's movie night."""

    id: int
    chat_id: int
    starter_id: int
    language: Language  # the starter's: the group messages are in it
    deadline: datetime
    state: RoundState
    invitation_id: int | None = None  # the invitation message
    poll_id: str | None = None
    poll_message_id: int | None = None
    candidates: tuple[str, ...] = ()  # film ids, as the poll lists them
    winner: str | None = None
    zone: str | None = None  # the zone its times were read in (None: rounds from before zones)
    zone_from: str | None = None  # why that zone (ZoneFrom), when a time of day was typed
    starts_at: datetime | None = None  # the moment the time poll chose (None: the deadline)
