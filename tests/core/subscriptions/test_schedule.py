from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo

import pytest

from bot.core.models import hhmm
from bot.core.subscriptions.schedule import next_due, occurrence, parse_zone, plan
from bot.core.subscriptions.zones import read_subscription


def zone(name: str) -> tzinfo:
    return parse_zone(name).tz


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("UTC", "UTC"),
        ("utc+5", "UTC+05:00"),
        ("UTC+05:30", "UTC+05:30"),
        ("GMT-3", "UTC-03:00"),
        ("+3", "UTC+03:00"),
        ("UTC+0", "UTC"),
    ],
)
def test_zones_by_name_or_offset(name: str, canonical: str) -> None:
    assert parse_zone(name).name == canonical


@pytest.mark.parametrize("name", ["Mars/Olympus", "UTC+15", "UTC+5:60", "../etc/passwd", "", "Europe/"])
def test_bad_zones_are_refused(name: str) -> None:
    with pytest.raises(ValueError):
        parse_zone(name)


def test_the_local_hour_stays_the_local_hour_across_dst() -> None:
    berlin = zone("Europe/Berlin")
    assert occurrence(date(2026, 3, 28), time(8, 30), berlin) == datetime(2026, 3, 28, 7, 30, tzinfo=UTC)
    assert occurrence(date(2026, 3, 29), time(8, 30), berlin) == datetime(2026, 3, 29, 6, 30, tzinfo=UTC)
    assert occurrence(date(2026, 10, 25), time(8, 30), berlin) == datetime(2026, 10, 25, 7, 30, tzinfo=UTC)


def test_a_time_skipped_by_dst_lands_an_hour_later() -> None:
    skipped = occurrence(date(2026, 3, 29), time(2, 30), zone("Europe/Berlin"))
    assert skipped.astimezone(zone("Europe/Berlin")).time() == time(3, 30)


def test_next_due_is_strictly_after_now() -> None:
    now = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
    assert next_due(now, time(10, 0), UTC) == datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    assert next_due(now, time(10, 1), UTC) == datetime(2026, 11, 26, 10, 1, tzinfo=UTC)


def test_plan_sends_today_late_but_never_a_past_day() -> None:
    at = time(9, 0)
    late = plan(datetime(2026, 11, 26, 15, 0, tzinfo=UTC), at, UTC)  # the bot was down at 09:00
    assert late.deliver_for == date(2026, 11, 26) and late.next_due == datetime(2026, 11, 27, 9, tzinfo=UTC)
    early = plan(datetime(2026, 11, 26, 8, 0, tzinfo=UTC), at, UTC)  # yesterday's 09:00 was missed
    assert early.deliver_for is None and early.next_due == datetime(2026, 11, 26, 9, tzinfo=UTC)


def test_subscription_arguments() -> None:
    ten, moscow = time(10, 0), parse_zone("Europe/Moscow")

    def parsed(argument: str) -> tuple[str, str]:  # the defaults, as Subscriptions applies them
        at, where = read_subscription(argument)
        return hhmm(at or ten), (where or moscow).name

    assert parsed("") == ("10:00", "Europe/Moscow")
    assert parsed("8:30") == ("08:30", "Europe/Moscow")
    assert parsed("21:00 UTC+5") == ("21:00", "UTC+05:00")
    assert parsed("noon") == ("12:00", "Europe/Moscow")  # issue #25: was refused as a zone
    for bad in ("25:00", "8:30 Nowhere/City", "8:30 UTC x", "half past eight"):
        with pytest.raises(ValueError):
            read_subscription(bad)
