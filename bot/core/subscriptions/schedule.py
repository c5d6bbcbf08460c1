"""Daily delivery times: time zones (IANA names or UTC offsets), the next due instant, what is due now.

Pure functions over datetimes; nothing here knows about Telegram or the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.models import Zone, local_today

UTC_OFFSET = re.compile(
    r"^(?:UTC|GMT)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE
)  # UTC+3, gmt-03:30


def parse_zone(name: str) -> Zone:
    """`Europe/Berlin`, `UTC`, `UTC+5`, `GMT-03:30`, `+3` -> the zone with its canonical name.
    ValueError for anything else."""
    name = name.strip()
    if name.upper() in {"UTC", "GMT", "Z"}:
        return Zone("UTC", UTC)
    match = UTC_OFFSET.match(name)
    if match:
        sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
        if hours > 14 or minutes >= 60:
            raise ValueError(f"{name!r} is not a UTC offset between -14 and +14")
        offset = timedelta(hours=hours, minutes=minutes) * (-1 if sign == "-" else 1)
        if not offset:
            return Zone("UTC", UTC)
        return Zone(f"UTC{sign}{hours:02d}:{minutes:02d}", timezone(offset))
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*", name):
        raise ValueError(f"{name!r} is not a time zone")
    try:
        return Zone(name, ZoneInfo(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not a time zone") from None


def occurrence(day: date, at: time, where: tzinfo) -> datetime:
    """The UTC instant of local time `at` on local `day`. A time that a DST jump skips lands an hour
    later on the wall clock (zoneinfo reads it with the offset in force before the jump); a time
    that occurs twice counts once, at its first occurrence."""
    return datetime.combine(day, at, tzinfo=where).astimezone(UTC)


def next_due(now: datetime, at: time, where: tzinfo) -> datetime:
    """The first occurrence of local time `at` strictly after `now`."""
    today = local_today(now, where)
    candidate = occurrence(today, at, where)
    if candidate <= now:
        candidate = occurrence(today + timedelta(days=1), at, where)
    return candidate


@dataclass(frozen=True)
class Plan:
    """What to do with a subscription that came due: deliver for `deliver_for` (a local date) or
    nothing, and when it is due next."""

    deliver_for: date | None
    next_due: datetime


def plan(now: datetime, at: time, where: tzinfo) -> Plan:
    """Today's film if today's local time has come (even late, after downtime); never a past day's."""
    today = local_today(now, where)
    todays = occurrence(today, at, where)
    if todays <= now:
        return Plan(today, occurrence(today + timedelta(days=1), at, where))
    return Plan(None, todays)
