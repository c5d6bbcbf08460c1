"""Movie night, end to end: a group of three goes from /movienight to an announced winner through
the loopback test server, which plays Telegram's polls, in both languages; and what goes wrong on
the way (a restart, a deleted poll, the bot removed, the group migrated)."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.config import Settings
from bot.telegram.app import running
from bot.telegram.context import BotApplication
from tests.support.botapi import BotAPIServer, Call, Since, User, parse_html
from tests.support.flows import GROUP, Clock, ask, in_group, press, settle, to_chat, until

VERA = User(1003, "Vera", "en")


def plain(call: Call) -> str:
    return parse_html(call.text)


async def invitation_edit(new: Since) -> Call:
    return await new.wait_for("editMessageText", to_chat(GROUP["id"]))


def announcements(botapi: BotAPIServer) -> list[Call]:
    marks = ("🏆", "🎲", "🍿 Nobody", "🍿 Никто")
    return [c for c in botapi.sent("sendMessage") if c.text.startswith(marks)]


async def lists(botapi: BotAPIServer, anna: User, boris: User) -> None:
    """Anna and Boris have started the bot and want to see The Cranes Are Flying; each one more."""
    for user, films in (
        (anna, ["cranes are flying", "irony of fate"]),
        (boris, ["летят журавли", "белые ночи"]),
    ):
        for name in films:
            await botapi.reply_to(user, f"/add {name}")


async def test_three_friends_choose_a_film_together(
    botapi: BotAPIServer, clocked_bot: BotApplication, clock: Clock, anna: User, boris: User
) -> None:
    await lists(botapi, anna, boris)
    invitation = await in_group(botapi, anna, "/movienight")
    assert plain(invitation).startswith("🍿 Movie night! Anna is choosing tonight’s film with you.")
    assert re.search(r"The vote closes at \d\d:\d\d \(Moscow, UTC\+3\)\.", plain(invitation))
    assert plain(invitation).endswith("In: Anna")
    assert [b["text"] for b in invitation.buttons] == ["🙋 I'm in", "▶ Start the vote"]

    new = botapi.since()
    toast = await press(botapi, boris, invitation, "🙋 I'm in")
    assert toast.params["text"] == "Вы участвуете! Ваш список учтён."
    assert plain(await invitation_edit(new)).endswith("In: Anna, Борис")

    # Vera never started the bot: the press opens its private chat, and a /start there keeps her in
    new = botapi.since()
    toast = await press(botapi, VERA, invitation, "🙋 I'm in")
    assert toast.params["url"] == "https://t.me/soviet_film_test_bot?start=mn_1"
    assert plain(await invitation_edit(new)).endswith("In: Anna, Борис, Vera")
    welcome = await botapi.reply_to(VERA, "/start mn_1")
    assert welcome.text.startswith("You’re in the movie night!")
    await botapi.reply_to(VERA, "/add white nights")

    toast = await press(botapi, boris, invitation, "▶ Start the vote")
    assert toast.params["text"] == "Это может сделать только тот, кто начал киновечер: Anna."
    new = botapi.since()
    await press(botapi, anna, invitation, "▶ Start the vote")
    poll = await new.wait_for("sendPoll")
    options = [o["text"] for o in poll.params["options"]]
    # on three lists? none; on two: Cranes (Anna, Boris) and White Nights (Boris, Vera), by title
    assert options[:2] == ["The Cranes Are Flying (1957)", "White Nights (1959)"]
    assert len(options) == 10 and len(set(options)) == 10
    assert poll.params["is_anonymous"] is False and poll.params["allows_multiple_answers"] is True
    closes = poll.params["close_date"]  # Telegram closes it at the deadline; the bot stops it then too
    assert abs(closes - (clock.now + timedelta(hours=1)).timestamp()) < 5
    voting = plain(await invitation_edit(new))
    assert "1. The Cranes Are Flying (1957) — on 2 lists" in voting
    assert "2. White Nights (1959) — on 2 lists" in voting

    poll_id = poll.params["_sent"]["poll"]["id"]
    await botapi.answer_poll(anna, poll_id, [0])
    await botapi.answer_poll(boris, poll_id, [0, 1])
    await botapi.answer_poll(VERA, poll_id, [1])
    await botapi.answer_poll(VERA, poll_id, [0])  # Vera changes her mind
    await settle(0.3)
    clock.now += timedelta(hours=1, seconds=1)  # the deadline
    await until(lambda: announcements(botapi))
    [winner] = announcements(botapi)
    assert plain(winner).startswith("🏆 Tonight’s film — 3 votes of 3:\n\nThe Cranes Are Flying (1957)")
    assert botapi.sent("stopPoll")[0].params["message_id"] == poll.params["_sent"]["message_id"]
    assert winner.params["reply_parameters"]["message_id"] == invitation.params["_sent"]["message_id"]

    new = botapi.since()
    toast = await press(botapi, anna, winner, "👁 We watched it")
    assert toast.params["text"] == "Marked as watched on your list."
    ask = await new.wait_for("sendMessage", to_chat(anna.id))  # the stars, privately
    assert ask.text == "You watched “The Cranes Are Flying” tonight. How many stars?" and ask.button("4½★")
    # and the group gets something to talk about (issue #27), under the winner, once
    talk = await new.wait_for("sendMessage", lambda c: c.chat_id == GROUP["id"] and "💬" in c.text)
    lines = plain(talk).splitlines()
    assert lines[0] == "💬 Talking points: “The Cranes Are Flying”" and len(lines) == 5
    assert all(line.endswith("?") for line in lines[2:])
    assert talk.params["reply_parameters"]["message_id"] == winner.params["_sent"]["message_id"]
    toast = await press(botapi, boris, winner, "👁 We watched it")
    assert toast.params["text"] == "Отмечено как просмотренное в вашем списке."
    await settle(0.2)
    assert len([c for c in botapi.sent("sendMessage") if c.chat_id == GROUP["id"] and "💬" in c.text]) == 1
    core = clocked_bot.bot_data.core
    assert core is not None
    for user in (anna, boris):
        entry = await core.watchlists.entry(user.id, "cranes-are-flying")
        assert entry is not None and entry.watched
    assert await core.watchlists.entry(VERA.id, "cranes-are-flying") is None  # she did not press it
    await settle(0.3)
    assert len(announcements(botapi)) == 1  # never twice

    # next week: the winner rests for 30 days
    clock.now += timedelta(days=7)
    invitation = await in_group(botapi, anna, "/movienight")
    reply = await in_group(botapi, boris, "/nominate летят журавли")
    assert reply.text == "«Летят журавли» здесь уже выбирали недавно — предложите другой фильм."
    new = botapi.since()
    await press(botapi, anna, invitation, "▶ Start the vote")
    poll = await new.wait_for("sendPoll")
    assert "The Cranes Are Flying (1957)" not in [o["text"] for o in poll.params["options"]]


async def test_a_tie_in_russian_is_drawn_and_said_so(
    botapi: BotAPIServer, clocked_bot: BotApplication, clock: Clock, anna: User, boris: User
) -> None:
    invitation = await in_group(botapi, boris, "/movienight 30м")
    assert plain(invitation).startswith("🍿 Киновечер! Борис выбирает с вами фильм на сегодня.")
    assert [b["text"] for b in invitation.buttons] == ["🙋 Я в деле", "▶ Начать голосование"]
    await press(botapi, anna, invitation, "🙋 Я в деле")  # the group's buttons speak the starter's language
    new = botapi.since()
    await press(botapi, boris, invitation, "▶ Начать голосование")
    poll = await new.wait_for("sendPoll")
    assert poll.params["question"] == "Что смотрим сегодня?"
    poll_id = poll.params["_sent"]["poll"]["id"]
    await botapi.answer_poll(anna, poll_id, [1])
    await botapi.answer_poll(boris, poll_id, [2])
    await settle(0.3)
    new = botapi.since()
    await botapi.press(boris, poll, poll.button("⏹ Закончить сейчас")["callback_data"])
    await until(lambda: announcements(botapi))
    [tie] = announcements(botapi)
    first, second = (o["text"].rsplit(" (", 1)[0] for o in poll.params["options"][1:3])
    heading = plain(tie).split("\n")[0]
    assert heading == f"🎲 Ничья между «{first}» и «{second}» — выбрал жребий:"
    assert plain(tie).split("\n")[2].split(" (")[0] in (first, second)
    assert next(b["text"] for b in tie.buttons if "callback_data" in b) == "👁 Мы посмотрели"


async def test_members_nominate_films_by_name_or_by_sending_a_card(
    botapi: BotAPIServer, clocked_bot: BotApplication, anna: User, boris: User
) -> None:
    await in_group(botapi, anna, "/nominate the forty-first")
    assert "There’s no movie night here right now" in botapi.sent("sendMessage")[-1].text
    invitation = await in_group(botapi, anna, "/movienight 2h")
    reply = await in_group(botapi, anna, "/nominate office romance")
    assert reply.text == "No film in the collection matches “office romance”."
    reply = await in_group(botapi, anna, "/nominate the forty-first")
    assert reply.text == "Anna nominates “The Forty-First”."
    # Boris shares a card into the group through inline mode (the query used to be «шинель», which
    # found a film only through a false fuzzy match of a name: issue #25 ended those)
    answer = await ask(botapi, boris, "летят журавли")
    [result] = [r for r in answer.params["results"] if r["id"] == "cranes-are-flying"]
    new = botapi.since()
    await botapi.send_via_bot(boris, GROUP, result)
    reply = await new.wait_for("sendMessage", to_chat(GROUP["id"]))
    assert reply.text.startswith("Борис предлагает «")
    reply = await in_group(botapi, anna, "/nominate the forty-first")
    assert reply.text == "“The Forty-First” is nominated already."
    new = botapi.since()
    await press(botapi, anna, invitation, "▶ Start the vote")
    poll = await new.wait_for("sendPoll")
    options = [o["text"] for o in poll.params["options"]]
    assert options[0] == "The Forty-First (1956)" or "The Forty-First (1956)" in options[:2]
    reply = await in_group(botapi, anna, "/nominate white nights")
    assert reply.text == (  # a client that cannot add options is told where it can
        "The vote has started: add the film as an option in the poll above, or propose it at the next "
        "movie night."
    )


async def test_a_second_movienight_points_to_the_open_one(
    botapi: BotAPIServer, clocked_bot: BotApplication, boris: User, anna: User
) -> None:
    invitation = await in_group(botapi, anna, "/movienight 20:00")
    again = await in_group(botapi, boris, "/movienight")
    assert again.text.startswith("Здесь уже идёт киновечер (голосование закончится в ")
    assert again.params["reply_parameters"]["message_id"] == invitation.params["_sent"]["message_id"]
    for typed, expected in (
        ("soon", "I can’t read “soon” as a time."),
        ("2m", "That’s too soon"),
        ("48h", "24 hours at most"),
    ):
        new = botapi.since()
        await botapi.send_message(
            anna, f"/movienight {typed}", chat={"id": -990, "type": "group", "title": "Other"}
        )
        reply = await new.wait_for("sendMessage", to_chat(-990))
        assert expected in reply.text


async def test_in_a_private_chat_movienight_explains_and_offers_to_join_a_group(
    botapi: BotAPIServer, clocked_bot: BotApplication, anna: User, boris: User
) -> None:
    reply = await botapi.reply_to(anna, "/movienight")
    assert "helps a group of friends pick a film together" in reply.text
    assert (
        reply.button("Add me to a group")["url"] == "https://t.me/soviet_film_test_bot?startgroup=movienight"
    )
    reply = await botapi.reply_to(boris, "/movienight")
    assert "помогает компании друзей выбрать фильм вместе" in reply.text
    hello = await in_group(botapi, anna, "/start@soviet_film_test_bot movienight")
    assert "Send /movienight to choose tonight’s film together" in hello.text


async def test_a_deleted_poll_still_gets_its_winner_from_the_votes_received(
    botapi: BotAPIServer, clocked_bot: BotApplication, anna: User, boris: User
) -> None:
    await lists(botapi, anna, boris)
    invitation = await in_group(botapi, anna, "/movienight")
    await press(botapi, boris, invitation, "🙋 I'm in")
    new = botapi.since()
    await press(botapi, anna, invitation, "▶ Start the vote")
    poll = await new.wait_for("sendPoll")
    await botapi.answer_poll(boris, poll.params["_sent"]["poll"]["id"], [0])
    await settle(0.2)
    botapi.delete_message(GROUP["id"], poll.params["_sent"]["message_id"])  # an admin tidies up
    await press(botapi, anna, poll, "⏹ Close now")
    await until(lambda: announcements(botapi))
    assert "The Cranes Are Flying" in announcements(botapi)[0].text
    assert botapi.sent("stopPoll")[0].params["_error"] == "Bad Request: message to stop not found"


async def test_the_bot_removed_mid_round_ends_it_quietly(
    botapi: BotAPIServer, clocked_bot: BotApplication, clock: Clock, anna: User
) -> None:
    await in_group(botapi, anna, "/movienight")
    await botapi.remove_bot(GROUP, anna)
    await settle(0.3)
    clock.now += timedelta(hours=2)
    await settle(0.3)
    assert announcements(botapi) == []
    core = clocked_bot.bot_data.core
    assert core is not None and await core.movienights.open_round(GROUP["id"]) is None


async def test_a_group_that_becomes_a_supergroup_keeps_its_round(
    botapi: BotAPIServer, clocked_bot: BotApplication, clock: Clock, anna: User
) -> None:
    old = {"id": -4100, "type": "group", "title": "Kino"}
    await botapi.send_message(anna, "/movienight", chat=old)
    await botapi.wait_for("sendMessage", to_chat(-4100))
    new = await botapi.migrate_group(old, -1004100)
    await settle(0.3)
    await botapi.send_message(anna, "/movienight", chat=new)
    again = await botapi.wait_for("sendMessage", to_chat(-1004100))
    assert again.text.startswith("A movie night is already on here")
    clock.now += timedelta(hours=1, seconds=1)
    await until(lambda: announcements(botapi))
    assert announcements(botapi)[0].chat_id == -1004100


async def test_a_round_whose_deadline_passed_while_the_bot_was_down_is_closed_at_start_up(
    botapi: BotAPIServer, settings: Settings, clock: Clock, anna: User, boris: User
) -> None:
    async with running(settings, clock=clock, delivery_interval=0.05):
        await lists(botapi, anna, boris)
        invitation = await in_group(botapi, anna, "/movienight 30m")
        await press(botapi, boris, invitation, "🙋 I'm in")
        new = botapi.since()
        await press(botapi, anna, invitation, "▶ Start the vote")
        poll = await new.wait_for("sendPoll")
        await botapi.answer_poll(boris, poll.params["_sent"]["poll"]["id"], [1])
        await settle(0.3)
        await botapi.release_polling()
    assert announcements(botapi) == []
    clock.now += timedelta(hours=3)  # the bot was down past the deadline
    botapi.resume_long_polling()
    async with running(settings, clock=clock, delivery_interval=0.05):
        await until(lambda: announcements(botapi))
        await settle(0.3)
        await botapi.release_polling()
    [winner] = announcements(botapi)
    assert plain(winner).startswith("🏆 Tonight’s film — 1 vote of 1 (a little late: I was away):")
    second = poll.params["options"][1]["text"].rsplit(" (", 1)[0]
    assert second in plain(winner)


async def test_a_participant_who_blocked_the_bot_still_takes_part_in_the_group(
    botapi: BotAPIServer, clocked_bot: BotApplication, anna: User, boris: User
) -> None:
    await lists(botapi, anna, boris)
    botapi.blocked.add(boris.id)  # Boris blocked the bot in his private chat
    await botapi.chat_member(boris, "member", "kicked")
    invitation = await in_group(botapi, anna, "/movienight")
    toast = await press(botapi, boris, invitation, "🙋 I'm in")
    assert toast.params["text"] == "Вы участвуете! Ваш список учтён."  # nothing is sent to him privately
    new = botapi.since()
    await press(botapi, anna, invitation, "▶ Start the vote")
    poll = await new.wait_for("sendPoll")
    assert poll.params["options"][0]["text"] == "The Cranes Are Flying (1957)"  # his list counts
    await botapi.answer_poll(boris, poll.params["_sent"]["poll"]["id"], [0])
    await press(botapi, anna, poll, "⏹ Close now")
    await until(lambda: announcements(botapi))
    winner = announcements(botapi)[0]
    toast = await press(botapi, boris, winner, "👁 We watched it")
    assert toast.params["text"] == "Отмечено как просмотренное в вашем списке."
