"""Movie night times, end to end (issue #29): a time typed in a group is read in the zone it names,
else the group's own (set by an administrator), else the starter's /subscribe zone, else the bot's,
and the invitation says which; every time the bot writes there is a date_time entity, so each
member's client shows it in their own zone, with a readable fallback text."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.telegram.context import BotApplication
from tests.support.botapi import BotAPIServer, User, date_times, parse_html
from tests.support.flows import GROUP, Clock, in_group

NOON_UTC = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)  # 19:00 in Novosibirsk, 13:00 in Berlin, 15:00 in Moscow


@pytest.fixture
def clock() -> Clock:
    return Clock(NOON_UTC)


def at(hour: int, zone: str, day: int = 6) -> int:
    return int(datetime(2026, 12, day, hour, 0, tzinfo=ZoneInfo(zone)).timestamp())


async def test_a_time_is_read_in_the_starters_zone_and_shown_in_each_members_own(
    botapi: BotAPIServer, clocked_bot: BotApplication, anna: User
) -> None:
    await botapi.reply_to(anna, "/subscribe 9:00 Novosibirsk")
    invitation = await in_group(botapi, anna, "/movienight 20:00")
    assert date_times(invitation.text) == [("20:00 (Novosibirsk, UTC+7)", at(20, "Asia/Novosibirsk"), "t")]
    shown = parse_html(invitation.text)
    assert "The vote closes at 20:00 (Novosibirsk, UTC+7)." in shown
    assert shown.endswith(
        "⏰ 20:00 is read in your time zone from /subscribe, Novosibirsk (UTC+7); an administrator can give "
        "the group its own with /movienight zone and a city. Each of you sees the deadline in your own time."
    )
    already = await in_group(botapi, anna, "/movienight")
    assert date_times(already.text) == [("20:00 (Novosibirsk, UTC+7)", at(20, "Asia/Novosibirsk"), "t")]


async def test_an_administrator_sets_the_groups_zone_and_times_are_read_in_it(
    botapi: BotAPIServer, clocked_bot: BotApplication, anna: User, boris: User
) -> None:
    botapi.admins[GROUP["id"]] = {anna.id: "administrator"}
    none = await in_group(botapi, boris, "/movienight zone")
    assert parse_html(none.text).startswith("У этой группы нет своего часового пояса")
    refused = await in_group(botapi, boris, "/movienight zone Berlin")
    assert refused.text == "Часовой пояс группы могут задать только её администраторы."
    unknown = await in_group(botapi, anna, "/movienight zone Atlantis")
    assert parse_html(unknown.text).startswith("I don’t know the time zone “Atlantis”.")
    done = await in_group(botapi, anna, "/movienight zone Berlin")
    assert (
        done.text
        == "This group’s time zone is now Berlin (UTC+1): times typed after /movienight are read in it."
    )

    await botapi.reply_to(boris, "/subscribe 9:00 Novosibirsk")  # the group's zone comes first
    invitation = await in_group(botapi, boris, "/movienight 20:00")
    assert date_times(invitation.text) == [("20:00 (Берлин, UTC+1)", at(20, "Europe/Berlin"), "t")]
    assert parse_html(invitation.text).endswith(
        "⏰ 20:00 — по часовому поясу этой группы: Берлин (UTC+1). Каждый видит срок по своему времени."
    )


async def test_a_zone_typed_with_the_time_wins_and_tomorrow_says_so(
    botapi: BotAPIServer, clocked_bot: BotApplication, anna: User
) -> None:
    invitation = await in_group(botapi, anna, "/movienight 10:00 Berlin")  # 10:00 Berlin has passed today
    assert date_times(invitation.text) == [
        ("10:00 (tomorrow, Berlin, UTC+1)", at(10, "Europe/Berlin", day=7), "wt")
    ]
    assert "⏰ 10:00 is read in the zone you named: Berlin (UTC+1)." in parse_html(invitation.text)


async def test_a_duration_needs_no_zone_and_the_bots_zone_is_named_only_for_a_time(
    botapi: BotAPIServer, clocked_bot: BotApplication, anna: User
) -> None:
    invitation = await in_group(botapi, anna, "/movienight 2h")
    assert date_times(invitation.text) == [("17:00 (Moscow, UTC+3)", at(17, "Europe/Moscow"), "t")]
    assert "⏰" not in parse_html(invitation.text)
