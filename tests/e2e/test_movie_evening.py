"""A whole movie evening (issue #29), end to end, in a group whose zone is Berlin while the bot's is
Moscow: a time poll, then the film poll for the winning time with a film a member adds and a
changed vote, the reminder and the start message (times as date_time entities), three members
starting together and one arriving late — with the bot restarted between every two steps."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.telegram.app import running
from tests.support.botapi import BotAPIServer, User, date_times, parse_html
from tests.support.flows import GROUP, Clock, in_group, press, to_chat

VERA = User(1003, "Vera", "en")
BERLIN = ZoneInfo("Europe/Berlin")
NOON = datetime(2026, 12, 5, 11, 0, tzinfo=UTC)  # a Saturday, 12:00 in Berlin


@pytest.fixture
def clock() -> Clock:
    return Clock(NOON)


# What the group reads, in the starter's language (the round's), and what each presser reads
OPTIONS = {
    "en": ["Today 20:00 (Berlin, UTC+1)", "Tomorrow 21:00 (Berlin, UTC+1)"],
    "ru": ["Сегодня, 20:00 (Берлин, UTC+1)", "Завтра, 21:00 (Берлин, UTC+1)"],
}
SAYS: dict[str, dict[str, str]] = {
    "en": {
        "command": "/movienight today 20:00, tomorrow 21:00",
        "settled": "🕗 We watch 20:00 (Berlin, UTC+1) — 3 votes.",
        "first": "The Cranes Are Flying (1957)",
        "winner": "🏆",
        "reminder": "⏰ Starting at 20:00 (Berlin, UTC+1): The Cranes Are Flying",
        "start": "it’s time",
        "ready": "✋ Ready",
        "go": "▶ Start",
        "playing": "Play now",
        "where": "⏱ Where are we?",
        "join": "Join at 0:17:00",
    },
    "ru": {
        "command": "/movienight сегодня в 20:00, завтра в 21:00",
        "settled": "🕗 Смотрим 20:00 (Берлин, UTC+1) — 3 голоса.",
        "first": "Летят журавли (1957)",
        "winner": "🏆",
        "reminder": "⏰ Начинаем в 20:00 (Берлин, UTC+1): Летят журавли",
        "start": "пора!",
        "ready": "✋ Готов",
        "go": "▶ Старт",
        "playing": "Включайте",
        "where": "⏱ Где мы?",
        "join": "Join at 0:17:00",  # Vera asks, and Vera reads English
    },
}


def transcript(botapi: BotAPIServer) -> list[str]:
    """What the group saw from the bot, as a person reads it."""
    lines = []
    for call in botapi.calls:
        if call.chat_id != GROUP["id"] or "_error" in call.params:
            continue
        if call.method == "sendMessage":
            lines.append("bot: " + parse_html(call.text).replace("\n", "\n     "))
        elif call.method == "editMessageText":
            lines.append("bot (edits): " + parse_html(call.text).replace("\n", "\n     "))
        elif call.method == "sendPoll":
            options = " · ".join(o["text"] for o in call.params["options"])
            lines.append(f"bot polls: {call.params['question']} [{options}]")
    return lines


@pytest.mark.parametrize("language", ["en", "ru"])
async def test_a_whole_evening_across_restarts(
    botapi: BotAPIServer, settings: Settings, clock: Clock, anna: User, boris: User, language: str
) -> None:
    says = SAYS[language]
    starter = anna if language == "en" else boris

    @asynccontextmanager
    async def bot() -> AsyncIterator[None]:
        async with running(settings, clock=clock, delivery_interval=0.05):
            yield
        await botapi.release_polling()

    botapi.admins[GROUP["id"]] = {starter.id: "creator"}
    botapi.clock = lambda: clock.now.timestamp()  # Telegram's clock moves with the bot's
    async with bot():
        for user in (anna, boris, VERA):
            await botapi.reply_to(user, "/start")
        await botapi.reply_to(anna, "/add cranes are flying")
        await botapi.reply_to(boris, "/add летят журавли")
        await in_group(botapi, starter, "/movienight zone Berlin")
        new = botapi.since()
        await botapi.send_message(starter, says["command"], chat=GROUP)
        when_poll = await new.wait_for("sendPoll", to_chat(GROUP["id"]))
        options = [o["text"] for o in when_poll.params["options"]]
        assert options == OPTIONS[language]
        assert when_poll.params["allows_multiple_answers"] is True
        time_poll = when_poll.params["_sent"]["poll"]["id"]
        await botapi.answer_poll(anna, time_poll, [0, 1])
        await botapi.answer_poll(boris, time_poll, [0])
        await botapi.answer_poll(VERA, time_poll, [0])

    eight = datetime(2026, 12, 5, 20, 0, tzinfo=BERLIN)
    clock.now = NOON + timedelta(hours=1, seconds=1)  # the time poll's hour is up, the bot was down
    async with bot():
        new = botapi.since()
        settled = await new.wait_for("sendMessage", lambda c: c.chat_id == GROUP["id"] and "🕗" in c.text)
        assert [entity[1:] for entity in date_times(settled.text)] == [(int(eight.timestamp()), "t")]
        assert parse_html(settled.text).startswith(says["settled"])
        film_poll = await new.wait_for("sendPoll", to_chat(GROUP["id"]))
        assert film_poll.params["allow_adding_options"] is True
        poll_id = film_poll.params["_sent"]["poll"]["id"]
        titles = [o["text"] for o in film_poll.params["options"]]
        assert titles[0] == says["first"]  # on two lists
        await botapi.add_poll_option(VERA, poll_id, "Ирония судьбы")
        added = len(titles)

    async with bot():
        await botapi.answer_poll(anna, poll_id, [0])
        await botapi.answer_poll(boris, poll_id, [added])
        await botapi.answer_poll(boris, poll_id, [0])  # Boris changes his mind
        await botapi.answer_poll(VERA, poll_id, [added])

    clock.now = eight.astimezone(UTC) - timedelta(hours=2)  # past the film poll's deadline
    async with bot():
        new = botapi.since()
        await new.wait_for(
            "sendMessage", lambda c: c.chat_id == GROUP["id"] and c.text.startswith(says["winner"])
        )

    clock.now = eight.astimezone(UTC) - timedelta(hours=1)
    async with bot():
        new = botapi.since()
        reminder = await new.wait_for("sendMessage", lambda c: c.chat_id == GROUP["id"] and "⏰" in c.text)
        assert parse_html(reminder.text) == says["reminder"]
        assert date_times(reminder.text)[0][1] == int(eight.timestamp())
        assert reminder.buttons == []  # no watch link was verified here: none is shown (test_watch.py)

    clock.now = eight.astimezone(UTC) + timedelta(minutes=1)
    async with bot():
        new = botapi.since()
        start = await new.wait_for(
            "sendMessage", lambda c: c.chat_id == GROUP["id"] and says["start"] in c.text
        )
        for user in (anna, boris):
            await press(botapi, user, start, says["ready"])

    async with bot():
        new = botapi.since()
        await press(botapi, starter, start, says["go"])
        await new.wait_for(
            "editMessageText", lambda c: c.chat_id == GROUP["id"] and says["playing"] in c.text, 8
        )

    clock.now += timedelta(minutes=17, seconds=3)
    async with bot():
        toast = await press(botapi, VERA, start, says["where"])
        assert toast.params["text"] == says["join"]

    said = transcript(botapi)
    sent_by_bot = [line for line in said if line.startswith(("bot:", "bot polls:"))]
    assert len([line for line in sent_by_bot if "⏰" in line or says["start"] in line]) == 2  # one each
    assert len([line for line in sent_by_bot if line.startswith("bot: 🏆")]) == 1
    print("\n".join(said))
