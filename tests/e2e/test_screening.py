"""Starting together (issue #29), end to end: after the vote, one start message in the group; three
members press ✋ Ready, the starter presses ▶ Start (a countdown, then "Play now"), and one who
arrives late asks ⏱ Where are we? — across a restart of the bot between every two steps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.config import Settings
from bot.telegram.app import running
from tests.support.botapi import BotAPIServer, Call, User, parse_html
from tests.support.flows import GROUP, Clock, in_group, press, to_chat, until
from tests.support.provider import CRANES, FakeProvider

VERA = User(1003, "Vera", "en")
EVENING = datetime(2026, 12, 6, 16, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock(EVENING)


def group_messages(botapi: BotAPIServer) -> list[Call]:
    return [c for c in botapi.sent("sendMessage", chat_id=GROUP["id"]) if "_sent" in c.params]


async def test_three_members_start_the_film_together_across_restarts(
    botapi: BotAPIServer, settings: Settings, clock: Clock, anna: User, boris: User
) -> None:
    async with running(settings, clock=clock, delivery_interval=0.05):
        for user in (anna, boris, VERA):
            await botapi.reply_to(user, "/start")
        invitation = await in_group(botapi, anna, "/movienight 30m")
        new = botapi.since()
        await press(botapi, anna, invitation, "▶ Start the vote")
        poll = await new.wait_for("sendPoll", to_chat(GROUP["id"]))
        poll_id = poll.params["_sent"]["poll"]["id"]
        for user in (anna, boris, VERA):
            await botapi.answer_poll(user, poll_id, [0])
    await botapi.release_polling()

    clock.now = EVENING + timedelta(minutes=31)  # the deadline passed while the bot was down
    async with running(settings, clock=clock, delivery_interval=0.05):
        new = botapi.since()
        start = await new.wait_for(
            "sendMessage",
            lambda c: c.chat_id == GROUP["id"] and "it’s time" in c.text and "_sent" in c.params,
        )
        title = poll.params["options"][0]["text"].rsplit(" (", 1)[0]
        assert parse_html(start.text).startswith(f"🎬 {title} — it’s time!")
        assert parse_html(start.text).endswith("Ready: nobody yet")
        for user in (boris, VERA):
            new = botapi.since()
            await press(botapi, user, start, "✋ Ready")
            await new.wait_for("editMessageText", to_chat(GROUP["id"]))
    await botapi.release_polling()

    async with running(settings, clock=clock, delivery_interval=0.05):
        new = botapi.since()
        await press(botapi, anna, start, "✋ Ready")
        edited = await new.wait_for("editMessageText", to_chat(GROUP["id"]))
        assert parse_html(edited.text).endswith("Ready: Борис, Vera, Anna")
        toast = await press(botapi, boris, start, "▶ Start")
        assert toast.params["text"] == "Запустить фильм может только тот, кто начал киновечер."
        toast = await press(botapi, VERA, start, "⏱ Where are we?")
        assert toast.params["text"] == "The film hasn’t started yet: it starts when ▶ Start is pressed."
        new = botapi.since()
        await press(botapi, anna, start, "▶ Start")
        playing = await new.wait_for(
            "editMessageText", lambda c: c.chat_id == GROUP["id"] and "Play now" in c.text, timeout=8
        )
        countdown = [parse_html(c.text) for c in botapi.sent("editMessageText", chat_id=GROUP["id"])]
        assert [line for line in countdown if "get ready" in line][-3:] == [
            f"🎬 {title} — get ready: {n}…" for n in (3, 2, 1)
        ]
        assert parse_html(playing.text).startswith("▶ Play now — the film starts at 0:00.")
        assert [b["text"] for b in playing.buttons] == ["⏱ Where are we?"]
    await botapi.release_polling()

    clock.now += timedelta(minutes=42, seconds=13)  # the film started 3 s after the press
    async with running(settings, clock=clock, delivery_interval=0.05):
        late = User(1004, "Lev", "ru")
        toast = await press(botapi, late, start, "⏱ Where are we?")
        assert toast.params["text"] == "Включайте с 0:42:10"
    await botapi.release_polling()
    # the announcement and the start message: nothing sent twice across four starts of the bot
    assert len([c for c in group_messages(botapi) if "it’s time" in c.text]) == 1
    assert len([c for c in group_messages(botapi) if c.text.startswith(("🏆", "🎲"))]) == 1


async def test_the_reminder_carries_the_verified_places_to_watch(
    botapi: BotAPIServer, settings: Settings, clock: Clock, provider: FakeProvider, anna: User, boris: User
) -> None:
    """ "⏰ Starting at 20:00: The Cranes Are Flying" with ▶ Watch on Mosfilm's channel, a link the
    bot checked itself."""
    botapi.clock = lambda: clock.now.timestamp()
    checked = settings.model_copy(update={"link_check_hours": 24})
    async with (
        provider.session() as session,
        running(checked, clock=clock, delivery_interval=0.05, links=session) as app,
    ):
        core = app.bot_data.core
        assert core is not None
        await until(lambda: core.watch.verified(f"https://www.youtube.com/watch?v={CRANES}"))
        for user in (anna, boris):
            await botapi.reply_to(user, "/add cranes are flying")
        new = botapi.since()
        await botapi.send_message(anna, "/movienight 23:00, tomorrow 21:00", chat=GROUP)
        await new.wait_for("sendPoll", to_chat(GROUP["id"]))  # nobody votes: the earliest moment
        clock.now += timedelta(hours=1, seconds=1)
        film_poll = await new.wait_for(
            "sendPoll", lambda c: c.chat_id == GROUP["id"] and c.params["question"].startswith("What")
        )
        assert film_poll.params["options"][0]["text"] == "The Cranes Are Flying (1957)"
        clock.now += timedelta(hours=1, seconds=1)  # the film vote closes: nobody voted, the lists choose
        await new.wait_for("sendMessage", lambda c: c.chat_id == GROUP["id"] and c.text.startswith("🍿"))
        clock.now = datetime(2026, 12, 6, 19, 1, tzinfo=UTC)  # halfway from the vote to 23:00 in Moscow
        reminder = await new.wait_for("sendMessage", lambda c: c.chat_id == GROUP["id"] and "⏰" in c.text)
        assert parse_html(reminder.text) == "⏰ Starting at 23:00 (Moscow, UTC+3): The Cranes Are Flying"
        labels = [b["text"] for b in reminder.buttons]
        assert labels[0].startswith("▶ Watch on Mosfilm")
    await botapi.release_polling()
