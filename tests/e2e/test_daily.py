"""The film of the day for subscribers, end to end, with a clock the test moves forward."""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings
from bot.core.delivery import IN_FLIGHT
from bot.telegram.app import running
from tests.support.botapi import BotAPIServer, Failure, User
from tests.support.flows import (
    Clock,
    daily_deliveries,
    daily_messages,
    seed_due_subscribers,
    settle,
    to_chat,
    until,
)
from tests.support.process import bot_process


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 27, 12, 0, tzinfo=UTC))


@pytest.fixture
async def daily_bot(
    settings: Settings, botapi: BotAPIServer, clock: Clock, anna: User
) -> AsyncIterator[object]:
    admin = settings.model_copy(update={"admin_ids": frozenset({anna.id})})
    async with running(admin, clock=clock, delivery_interval=0.05) as app:
        yield app
        await botapi.release_polling()


async def test_subscribe_confirms_time_zone_and_next_delivery(
    botapi: BotAPIServer, daily_bot: object, anna: User
) -> None:
    reply = await botapi.reply_to(anna, "/subscribe")
    assert "every day at 10:00 (Europe/Moscow)" in reply.text
    assert "Next: tomorrow at 10:00." in reply.text  # it is 15:00 in Moscow
    reply = await botapi.reply_to(anna, "/subscribe 8:30 Europe/Berlin")
    assert "every day at 08:30 (Europe/Berlin)" in reply.text
    reply = await botapi.reply_to(anna, "/subscribe 21:00 UTC+5")
    assert "every day at 21:00 (UTC+05:00)" in reply.text and "Next: today at 21:00." in reply.text
    assert [b["text"] for b in reply.buttons] == ["◀ 1 hour earlier", "1 hour later ▶", "⏸ Unsubscribe"]


@pytest.mark.parametrize(
    "argument", ["25:00", "8:30 Mars/Olympus", "noon", "8:30 UTC+20", "8:30 Europe/Berlin x"]
)
async def test_a_malformed_subscription_gets_examples(
    botapi: BotAPIServer, daily_bot: object, anna: User, argument: str
) -> None:
    reply = await botapi.reply_to(anna, f"/subscribe {argument}")
    assert "/subscribe 8:30 Europe/Berlin" in reply.text and "/subscribe 21:00 UTC+5" in reply.text


async def test_unsubscribe_and_resubscribe_with_settings_buttons(
    botapi: BotAPIServer, daily_bot: object, boris: User
) -> None:
    await botapi.reply_to(boris, "/subscribe 09:00 UTC")
    settings = await botapi.reply_to(boris, "/settings")
    assert "каждый день в 09:00 (UTC)" in settings.text
    mark = len(botapi.calls)
    await botapi.press(boris, settings, settings.button("позже")["callback_data"])
    edited = await botapi.wait_for("editMessageText", after=mark)
    assert "в 10:00 (UTC)" in edited.text
    assert "Подписка отключена" in (await botapi.reply_to(boris, "/unsubscribe")).text
    assert "не подписаны" in (await botapi.reply_to(boris, "/settings")).text
    assert "в 09:00" not in (await botapi.reply_to(boris, "/subscribe")).text


@pytest.mark.slow
async def test_delivery_at_each_local_hour_across_a_dst_change(
    botapi: BotAPIServer, daily_bot: object, clock: Clock
) -> None:
    berlin, new_york, tokyo = User(11, "B", "en"), User(12, "N", "en"), User(13, "T", "en")
    await botapi.reply_to(berlin, "/subscribe 08:30 Europe/Berlin")
    await botapi.reply_to(new_york, "/subscribe 07:00 America/New_York")
    await botapi.reply_to(tokyo, "/subscribe 21:05 UTC+9")
    await settle()
    assert daily_messages(botapi, tokyo) == []
    # Friday 27 March 2026, 12:05 UTC: 21:05 in Tokyo.
    clock.now = datetime(2026, 3, 27, 12, 5, tzinfo=UTC)
    await until(lambda: daily_messages(botapi, tokyo))
    assert [c.text.split("\n")[0] for c in daily_messages(botapi, tokyo)] == ["🎬 Film of the day, 27 March"]
    assert daily_messages(botapi, berlin) == [] and daily_messages(botapi, new_york) == []
    # Saturday 28 March, 07:29 UTC: Berlin (CET, UTC+1) not yet; 07:30 UTC it is 08:30 there.
    clock.now = datetime(2026, 3, 28, 7, 29, tzinfo=UTC)
    await settle()
    assert daily_messages(botapi, berlin) == []
    clock.now = datetime(2026, 3, 28, 7, 30, tzinfo=UTC)
    await until(lambda: daily_messages(botapi, berlin))
    assert [c.text.split("\n")[0] for c in daily_messages(botapi, berlin)] == ["🎬 Film of the day, 28 March"]
    # Sunday 29 March: clocks go forward, 08:30 in Berlin is now 06:30 UTC.
    clock.now = datetime(2026, 3, 29, 6, 30, tzinfo=UTC)
    await until(lambda: len(daily_messages(botapi, berlin)) >= 2)
    assert len(daily_messages(botapi, berlin)) == 2
    assert daily_messages(botapi, berlin)[1].text.startswith("🎬 Film of the day, 29 March")
    # New York (already on EDT since 8 March): 07:00 is 11:00 UTC.
    assert daily_messages(botapi, new_york) == []
    clock.now = datetime(2026, 3, 29, 11, 0, tzinfo=UTC)
    await until(lambda: daily_messages(botapi, new_york))
    assert [c.text.split("\n")[0] for c in daily_messages(botapi, new_york)] == [
        "🎬 Film of the day, 29 March"
    ]
    # Nobody got anything twice, and the cards carry the normal buttons.
    # Tokyo's 28 March fell between two jumps of the clock, like a day the bot was down: never sent late.
    assert len(daily_messages(botapi, tokyo)) == 1
    card = daily_messages(botapi, berlin)[0]
    assert {"🎲 Another", "➕ Watchlist"} <= {b["text"] for b in card.buttons}


async def test_the_daily_film_is_todays_film(botapi: BotAPIServer, daily_bot: object, clock: Clock) -> None:
    moscow = User(21, "M", "en")
    await botapi.reply_to(moscow, "/subscribe 14:59 Europe/Moscow")  # 11:59 UTC: already past, so tomorrow
    clock.now = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    await until(lambda: daily_messages(botapi, moscow))
    await settle()  # and nothing more comes
    daily = daily_messages(botapi, moscow)
    today = await botapi.reply_to(moscow, "/today")
    assert len(daily) == 1 and daily[0].text.split("\n")[2] == today.text.split("\n")[2]


async def test_after_downtime_today_is_sent_once_and_yesterday_never(
    botapi: BotAPIServer, daily_bot: object, clock: Clock
) -> None:
    late = User(31, "L", "en")
    await botapi.reply_to(late, "/subscribe 13:00 UTC")  # due 27 March 13:00 UTC
    clock.now = datetime(2026, 3, 29, 15, 0, tzinfo=UTC)  # the bot "slept" through the 27th and 28th
    await until(lambda: daily_messages(botapi, late))
    await settle()  # and nothing more comes
    assert [c.text.split("\n")[0] for c in daily_messages(botapi, late)] == ["🎬 Film of the day, 29 March"]


async def test_a_blocked_user_is_deactivated_after_one_403(
    botapi: BotAPIServer, daily_bot: object, clock: Clock, anna: User
) -> None:
    blocker = User(41, "X", "en")
    await botapi.reply_to(blocker, "/subscribe 12:30 UTC")
    botapi.blocked.add(blocker.id)
    clock.now = datetime(2026, 3, 27, 12, 30, tzinfo=UTC)
    await until(lambda: len(botapi.sent("sendMessage", chat_id=blocker.id)) == 2)
    clock.now = datetime(2026, 3, 28, 12, 30, tzinfo=UTC)
    await settle()
    assert len(botapi.sent("sendMessage", chat_id=blocker.id)) - 1 == 1  # the /subscribe reply + one try
    stats = await botapi.reply_to(anna, "/stats")
    assert "Deactivated: blocked: 1" in stats.text


async def test_429_is_honoured_and_the_message_still_arrives(
    botapi: BotAPIServer, daily_bot: object, clock: Clock
) -> None:
    patient = User(51, "P", "en")
    await botapi.reply_to(patient, "/subscribe 12:45 UTC")
    botapi.fail(
        "sendMessage", Failure(429, "Too Many Requests: retry after 1", retry_after=1, chat_id=patient.id)
    )
    clock.now = datetime(2026, 3, 27, 12, 45, tzinfo=UTC)
    refused = await botapi.wait_for(
        "sendMessage", lambda c: c.chat_id == patient.id and "_sent" not in c.params
    )
    delivered = await botapi.wait_for(
        "sendMessage",
        lambda c: "Film of the day" in c.text and c.chat_id == patient.id and "_sent" in c.params,
    )
    assert delivered.at - refused.at >= 0.95
    await settle()
    assert len(daily_messages(botapi, patient)) == 1


async def test_network_errors_are_retried_with_backoff(
    botapi: BotAPIServer, daily_bot: object, clock: Clock
) -> None:
    unlucky = User(52, "U", "en")
    await botapi.reply_to(unlucky, "/subscribe 12:50 UTC")
    botapi.fail("sendMessage", Failure(502, "Bad Gateway", chat_id=unlucky.id), times=1)
    clock.now = datetime(2026, 3, 27, 12, 50, tzinfo=UTC)
    await botapi.wait_for(
        "sendMessage",
        lambda c: "Film of the day" in c.text and c.chat_id == unlucky.id and "_sent" in c.params,
    )
    assert len(daily_messages(botapi, unlucky)) == 1


async def test_blocking_the_bot_stops_daily_films_and_start_again_allows_them(
    botapi: BotAPIServer, daily_bot: object, clock: Clock, anna: User
) -> None:
    leaver = User(61, "Q", "en")
    await botapi.reply_to(leaver, "/subscribe 13:10 UTC")
    await botapi.chat_member(leaver, "member", "kicked")
    await botapi.reply_to(anna, "/help")  # processed after the membership change
    clock.now = datetime(2026, 3, 27, 13, 10, tzinfo=UTC)
    await settle()
    assert daily_messages(botapi, leaver) == []
    await botapi.chat_member(leaver, "kicked", "member")
    assert "every day at 13:10 (UTC)" in (await botapi.reply_to(leaver, "/subscribe 13:10 UTC")).text


async def test_stats_are_for_admins_only(
    botapi: BotAPIServer, daily_bot: object, anna: User, boris: User
) -> None:
    await botapi.reply_to(boris, "/subscribe")
    assert "Такой команды я не знаю" in (await botapi.reply_to(boris, "/stats")).text
    stats = await botapi.reply_to(anna, "/stats")
    assert "Users: 2" in stats.text and "Active subscribers: 1" in stats.text


@pytest.mark.slow
async def test_a_restart_mid_broadcast_sends_no_duplicates_and_finishes(
    botapi: BotAPIServer, tmp_path: Path
) -> None:
    subscribers = 240
    await seed_due_subscribers(tmp_path / "bot.sqlite3", subscribers)
    env = {"BOT_TOKEN": botapi.token, "BOT_API_BASE_URL": botapi.base_url, "BROADCAST_RATE": "200"}

    async with bot_process(tmp_path, **env) as process:
        deadline = time.monotonic() + 60
        while len(daily_deliveries(botapi)) < subscribers // 3 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        await process.wait()
    before = len(daily_deliveries(botapi))
    assert 0 < before < subscribers
    async with bot_process(tmp_path, **env):
        deadline = time.monotonic() + 60
        while len(set(daily_deliveries(botapi))) + IN_FLIGHT < subscribers and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)
        await botapi.release_polling()
    counts = Counter(daily_deliveries(botapi))
    assert max(counts.values()) == 1, "someone got the same day's film twice"
    assert len(counts) >= subscribers - IN_FLIGHT  # at most the messages in flight at the kill are lost


async def test_a_new_hour_keeps_the_users_own_zone(
    botapi: BotAPIServer, daily_bot: object, anna: User, boris: User
) -> None:
    await botapi.reply_to(anna, "/subscribe 8:30 Europe/Berlin")
    assert "every day at 07:00 (Europe/Berlin)" in (await botapi.reply_to(anna, "/subscribe 7:00")).text
    await botapi.reply_to(boris, "/subscribe 8:30 Asia/Novosibirsk")
    assert "07:00 (Asia/Novosibirsk)" in (await botapi.reply_to(boris, "/subscribe 7:00")).text
    assert "Europe/Berlin" in (await botapi.reply_to(anna, "/settings")).text


async def test_the_daily_film_carries_a_way_to_its_settings(
    botapi: BotAPIServer, daily_bot: object, clock: Clock, anna: User, boris: User
) -> None:
    await botapi.reply_to(anna, "/subscribe 13:20 UTC")
    await botapi.reply_to(boris, "/subscribe 13:20 UTC")
    clock.now = datetime(2026, 3, 27, 13, 20, tzinfo=UTC)
    await until(lambda: daily_messages(botapi, anna) and botapi.sent("sendMessage", chat_id=boris.id)[1:])
    for user, label, expected in (
        (anna, "⚙ Change the hour or unsubscribe", "every day at 13:20 (UTC)"),
        (boris, "⚙ Изменить время или отписаться", "13:20 (UTC)"),
    ):
        daily = [c for c in botapi.sent("sendMessage", chat_id=user.id) if "_sent" in c.params][-1]
        mark = len(botapi.calls)
        await botapi.press(user, daily, daily.button(label)["callback_data"])
        settings = await botapi.wait_for("sendMessage", to_chat(user.id), after=mark)
        assert expected in settings.text
        assert len(settings.buttons) == 3  # earlier, later, unsubscribe
