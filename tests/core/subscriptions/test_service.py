"""The subscriptions service, without a bot: subscribing from what people type, the zone question,
moving the hour, stopping, and what /settings says — with a clock the test holds."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.core.models import Refused
from bot.core.storage import Storage
from bot.core.subscriptions.model import StopReason, Subscription
from bot.core.subscriptions.schedule import parse_zone
from bot.core.subscriptions.service import AskZone, Subscriptions

NOON = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # 15:00 in Moscow
MOSCOW = parse_zone("Europe/Moscow")


@pytest.fixture
def subscriptions(storage: Storage) -> Subscriptions:
    return Subscriptions(storage, lambda: NOON, time(10, 0), MOSCOW)


async def subscribed(subscriptions: Subscriptions, argument: str) -> Subscription:
    outcome = await subscriptions.subscribe(1, 1, argument, "en")
    assert isinstance(outcome, Subscription)
    return outcome


async def test_a_first_subscription_without_a_zone_asks_for_it(subscriptions: Subscriptions) -> None:
    assert await subscriptions.subscribe(1, 1, "9am", "en") == AskZone(time(9, 0))
    assert await subscriptions.subscribe(1, 1, "", "en") == AskZone(time(10, 0))  # the default hour
    assert await subscriptions.get(1) is None  # nothing stored until the zone is known


async def test_a_subscription_is_due_at_the_next_local_hour(subscriptions: Subscriptions) -> None:
    berlin = await subscribed(subscriptions, "9:30 Berlin")
    assert (berlin.at, berlin.zone.name, berlin.active) == (time(9, 30), "Europe/Berlin", True)
    assert berlin.next_due == datetime(2026, 12, 3, 8, 30, tzinfo=UTC)  # tomorrow, 09:30 CET
    later = await subscribed(subscriptions, "14:00")
    assert later.zone.name == "Europe/Berlin"  # a new hour keeps the zone
    assert later.next_due == datetime(2026, 12, 2, 13, 0, tzinfo=UTC)  # still today in Berlin


async def test_a_city_from_the_buttons_subscribes_there(subscriptions: Subscriptions) -> None:
    chosen = await subscriptions.subscribe_in(1, 1, "novosibirsk", time(8, 0), "ru")
    assert chosen is not None and chosen.zone.name == "Asia/Novosibirsk" and chosen.language == "ru"
    assert await subscriptions.subscribe_in(1, 1, "atlantis", time(8, 0), "ru") is None


async def test_shifts_wrap_round_midnight_and_need_an_active_subscription(
    subscriptions: Subscriptions,
) -> None:
    assert await subscriptions.shift(1, 60, "en") is None
    await subscribed(subscriptions, "23:30 Moscow")
    shifted = await subscriptions.shift(1, 60, "en")
    assert shifted is not None and shifted.at == time(0, 30)
    assert await subscriptions.stop(1, StopReason.UNSUBSCRIBED) is True
    assert await subscriptions.stop(1, StopReason.UNSUBSCRIBED) is False  # already stopped
    stopped = await subscriptions.shift(1, 15, "en")
    assert stopped is not None and not stopped.active and stopped.at == time(0, 30)


async def test_resuming_keeps_the_hour_and_zone(subscriptions: Subscriptions) -> None:
    assert await subscriptions.resume(1, 1, "en") == AskZone(time(10, 0))
    await subscribed(subscriptions, "7:15 London")
    await subscriptions.stop(1, StopReason.BLOCKED)
    resumed = await subscriptions.resume(1, 1, "en")
    assert isinstance(resumed, Subscription)
    assert (resumed.at, resumed.zone.name, resumed.active) == (time(7, 15), "Europe/London", True)


async def test_settings_say_the_hour_the_zone_and_the_next_film(subscriptions: Subscriptions) -> None:
    assert subscriptions.describe(None, "en").startswith("You are not subscribed.")
    current = await subscribed(subscriptions, "20:00 Moscow")
    assert subscriptions.describe(current, "en", done=True) == (
        "Subscribed: the film of the day will come every day at 20:00 (Moscow, UTC+3).\nNext: today at 20:00."
    )
    russian = subscriptions.describe(current, "ru")
    assert "20:00 (Москва, UTC+3)" in russian and "сегодня в 20:00" in russian


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("25:00", "when_bad_hour"),
        ("sometime", "when_unknown_zone"),
        ("9am Berln", "when_zone_suggest"),
        ("9am IST", "when_ambiguous_zone"),
    ],
)
async def test_words_that_are_not_a_time_or_zone_are_refused_with_what_was_wrong(
    subscriptions: Subscriptions, typed: str, key: str
) -> None:
    with pytest.raises(Refused) as refused:
        await subscriptions.subscribe(1, 1, typed, "en")
    assert refused.value.key == key
    assert subscriptions.refusal(refused.value, "en")  # a message to show, in the user's language
    assert await subscriptions.get(1) is None
