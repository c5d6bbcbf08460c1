"""Times as people say them (issue #25): noon, midnight, «в полдень», "at 8 in the morning",
«завтра в 9»; a part that is no time is named as such, never blamed on the zone."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.core.models import Refused, Zone
from bot.core.movienight.rules import read_deadline
from bot.core.subscriptions.zones import read_subscription, spoken_time


@pytest.mark.parametrize(
    ("typed", "at", "zone", "tomorrow"),
    [
        ("noon", time(12), None, False),
        ("midnight", time(0), None, False),
        ("полдень", time(12), None, False),
        ("в полдень", time(12), None, False),
        ("полночь", time(0), None, False),
        ("at 8 in the morning", time(8), None, False),
        ("at 9 tonight", time(21), None, False),
        ("в 8 утром", time(8), None, False),
        ("завтра в 9", time(9), None, True),
        ("tomorrow at 9 Moscow", time(9), "Europe/Moscow", True),
        ("noon Berlin", time(12), "Europe/Berlin", False),
        ("в полдень Москва", time(12), "Europe/Moscow", False),
    ],
)
def test_spoken_times_are_read(typed: str, at: time, zone: str | None, tomorrow: bool) -> None:
    read_at, read_zone = read_subscription(typed)
    assert read_at == at
    assert (read_zone.name if read_zone else None) == zone
    assert spoken_time(typed)[1] is tomorrow


@pytest.mark.parametrize("typed", ["half past eight", "полвосьмого", "in the evening"])
def test_a_time_it_cannot_read_is_named_as_a_time(typed: str) -> None:
    with pytest.raises(Refused) as refused:
        read_subscription(typed)
    assert refused.value.key == "when_not_a_time" and refused.value.values["typed"] == typed


def test_a_zone_it_does_not_know_is_still_a_zone() -> None:
    with pytest.raises(Refused) as refused:
        read_subscription("Atlantis")
    assert refused.value.key in ("when_unknown_zone", "when_zone_suggest")  # a zone, not a time


NOW = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "hours"),
    [
        ("через час", 1), ("in an hour", 1), ("через 2 часа", 2), ("in 2 hours", 2), ("через полчаса", 0.5),
        ("in half an hour", 0.5), ("in 30 minutes", 0.5), ("через полтора часа", 1.5), ("at 9 tonight", 6),
        ("завтра в 9", 18), ("noon", 21),
    ],
)  # fmt: skip
def test_movie_night_deadlines_as_people_say_them(typed: str, hours: float) -> None:
    deadline = read_deadline(typed, NOW, Zone("UTC", UTC))
    assert (deadline - NOW).total_seconds() == hours * 3600
