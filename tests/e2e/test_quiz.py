"""The quiz end to end (issue #27), through the loopback test server, which plays Telegram's quiz
polls: a private round in both languages to its score, a group round with three members to its
leaderboard and the group's table, a late answer not counted, a restart in the middle of a round."""

# ruff: noqa: E501 (the table of replies reads best one language a line)
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.config import Settings
from bot.core.quiz.service import QUESTION_TIME
from bot.telegram.app import running
from bot.telegram.context import BotApplication
from tests.support.botapi import BotAPIServer, Call, User, parse_html
from tests.support.flows import GROUP, Clock, in_group, press, to_chat, until

VERA = User(1003, "Vera", "en")


def poll_of(call: Call) -> tuple[str, int]:
    """A quiz poll the bot sent: its id and its right option."""
    poll = call.params["_sent"]["poll"]
    assert poll["type"] == "quiz" and not poll["is_anonymous"]
    [right] = poll["correct_option_ids"]
    return poll["id"], right


@pytest.mark.parametrize(
    ("language", "started", "right", "wrong", "next_label", "over"),
    [
        ("en", "5 questions", "✅ Right! Question 1 of 5.", "❌ Not this time: the answer is ", "Next question",
         "🏁 Round over: 4 of 5 right."),
        ("ru", "5 вопросов", "✅ Верно! Вопрос 1 из 5.", "❌ На этот раз нет: правильный ответ — ", "Следующий вопрос",
         "🏁 Раунд окончен: 4 из 5 верно."),
    ],
)  # fmt: skip
async def test_a_private_round_to_its_score(
    botapi: BotAPIServer,
    clocked_bot: BotApplication,
    language: str,
    started: str,
    right: str,
    wrong: str,
    next_label: str,
    over: str,
) -> None:
    user = User(2701 if language == "en" else 2702, "Lena", language)
    new = botapi.since()
    intro = await botapi.reply_to(user, "/quiz")
    assert started in intro.text
    poll = await new.wait_for("sendPoll")
    for number in range(1, 6):
        assert len(poll.params["question"]) <= 300 and len(poll.params["explanation"]) <= 200
        poll_id, correct = poll_of(poll)
        new = botapi.since()
        choice = correct if number != 2 else (correct + 1) % 4  # the second answer is wrong
        await botapi.answer_poll(user, poll_id, [choice])
        said = await new.wait_for("sendMessage", to_chat(user.id))
        if number == 5:
            assert said.text.startswith(over), said.text
            assert "/quiz" in said.text
            break
        if number in (1, 2):  # what the first (right) and the second (wrong) answer got
            assert said.text == right if number == 1 else said.text.startswith(wrong)
        if number == 2:  # the right answer, named, and where the round stands
            options = poll.params["options"]
            answer = options[correct]["text"] if isinstance(options[correct], dict) else options[correct]
            assert answer in said.text and ("2 of 5" in said.text or "2 из 5" in said.text)
        assert any(b["text"].startswith("🎬") for b in said.buttons)  # the film's card, one tap away
        new = botapi.since()
        await press(botapi, user, said, next_label)
        poll = await new.wait_for("sendPoll")
        # the same button pressed again asks nothing more
        again = await press(botapi, user, said, next_label)
        assert again.params.get("text")
    again = await botapi.reply_to(user, "/quiz")  # where you stand, in the next round's first words
    assert ("4 of 5 right" if language == "en" else "4 из 5 верно") in again.text


async def test_a_group_plays_a_round_to_its_leaderboard(
    botapi: BotAPIServer, clocked_bot: BotApplication, clock: Clock, anna: User, boris: User
) -> None:
    intro = await in_group(botapi, anna, "/quiz 3")
    assert "3 questions" in intro.text
    first = (
        await botapi.since().wait_for("sendPoll", to_chat(GROUP["id"]))
        if not botapi.sent("sendPoll")
        else (botapi.sent("sendPoll")[-1])
    )
    poll_id, right = poll_of(first)
    await botapi.answer_poll(anna, poll_id, [right])
    await botapi.answer_poll(boris, poll_id, [(right + 1) % 4])
    await botapi.answer_poll(VERA, poll_id, [right])
    new = botapi.since()
    clock.now += QUESTION_TIME + timedelta(seconds=1)  # the first question waits its time
    second = await new.wait_for("sendPoll", to_chat(GROUP["id"]))
    assert botapi.sent("stopPoll")[-1].params["message_id"] == first.params["_sent"]["message_id"]
    poll_id, right = poll_of(second)
    new = botapi.since()
    for member, choice in ((anna, right), (boris, right), (VERA, (right + 2) % 4)):
        await botapi.answer_poll(member, poll_id, [choice])
    third = await new.wait_for("sendPoll", to_chat(GROUP["id"]))  # everyone answered: no waiting
    poll_id, right = poll_of(third)
    new = botapi.since()
    await botapi.answer_poll(anna, poll_id, [right])
    await botapi.answer_poll(boris, poll_id, [right])
    await botapi.answer_poll(VERA, poll_id, [right])
    board = await new.wait_for("sendMessage", to_chat(GROUP["id"]))
    lines = parse_html(board.text).splitlines()
    assert lines[0] == "🏁 Quiz over!"
    assert lines[1:] == ["🥇 Anna 3/3", "🥈 Борис 2/3", "🥈 Vera 2/3"]  # a tie shares its medal
    table = await in_group(botapi, boris, "/quiz top")
    assert "🥇 Anna 3/3" in parse_html(table.text)


async def test_a_late_answer_does_not_count_and_a_second_round_waits(
    botapi: BotAPIServer, clocked_bot: BotApplication, clock: Clock, anna: User, boris: User
) -> None:
    new = botapi.since()
    await in_group(botapi, anna, "/quiz 1")
    first = await new.wait_for("sendPoll", to_chat(GROUP["id"]))
    busy = await in_group(botapi, boris, "/quiz")
    assert busy.text == "Викторина здесь уже идёт — ответьте на её вопрос выше!"
    poll_id, right = poll_of(first)
    await botapi.answer_poll(anna, poll_id, [right])
    new = botapi.since()
    clock.now += QUESTION_TIME + timedelta(seconds=1)
    board = await new.wait_for("sendMessage", to_chat(GROUP["id"]))
    assert parse_html(board.text).splitlines()[1:] == ["🥇 Anna 1/1"]
    botapi.polls[poll_id]["is_closed"] = False  # a client that had not seen the poll close
    await botapi.answer_poll(boris, poll_id, [right])
    table = await in_group(botapi, boris, "/quiz top")
    assert "Борис" not in parse_html(table.text)


async def test_a_round_survives_a_restart(
    settings: Settings, botapi: BotAPIServer, clock: Clock, anna: User
) -> None:
    async with running(settings, clock=clock, delivery_interval=0.05):
        new = botapi.since()
        await in_group(botapi, anna, "/quiz 2")
        first = await new.wait_for("sendPoll", to_chat(GROUP["id"]))
        poll_id, right = poll_of(first)
        await botapi.answer_poll(anna, poll_id, [right])
        await until(lambda: botapi.pending_updates() == 0)  # the bot has taken the answer
    await botapi.release_polling()
    clock.now += timedelta(minutes=10)  # its time ran out while the bot was down
    new = botapi.since()
    async with running(settings, clock=clock, delivery_interval=0.05):
        second = await new.wait_for("sendPoll", to_chat(GROUP["id"]))
        poll_id, right = poll_of(second)
        await botapi.answer_poll(anna, poll_id, [right])
        clock.now += QUESTION_TIME + timedelta(seconds=1)
        board = await new.wait_for("sendMessage", lambda c: c.chat_id == GROUP["id"] and "🏁" in c.text)
        assert parse_html(board.text).splitlines()[1:] == ["🥇 Anna 2/2"]
    await botapi.release_polling()


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        ({"correct_option_ids": [4]}, "wrong correct option ID"),
        ({"correct_option_ids": [2, 1]}, "wrong correct option ID"),
        ({"correct_option_ids": []}, "wrong correct option ID"),
        ({"explanation": "x" * 201}, "explanation is too long"),
        ({"explanation": "a\nb\nc\nd"}, "explanation is too long"),
        ({"type": "regular"}, "for quiz polls only"),
    ],
)
async def test_the_test_server_refuses_a_quiz_as_telegram_does(
    changes: dict[str, object], refusal: str
) -> None:
    """The loopback server's quiz polls follow the Bot API: right answers among the options, in
    increasing order; an explanation of at most 200 characters and two line feeds; no right answer
    or explanation on a regular poll. (Its own server: these refusals are the test's, not the bot's.)"""
    import aiohttp

    from tests.support.botapi import TOKEN

    params: dict[str, object] = {
        "chat_id": 1001, "question": "Who directed it?", "options": [{"text": o} for o in "ABCD"],
        "type": "quiz", "is_anonymous": False, "correct_option_ids": [1], "explanation": "B did.",
    }  # fmt: skip
    server = BotAPIServer()
    await server.start()
    try:
        async with aiohttp.ClientSession() as session:
            async with session.post(f"{server.base_url}{TOKEN}/sendPoll", json=params) as response:
                sent = await response.json()
            async with session.post(f"{server.base_url}{TOKEN}/sendPoll", json=params | changes) as response:
                answer = await response.json()
    finally:
        await server.stop()
    assert sent["ok"] is True and sent["result"]["poll"]["correct_option_ids"] == [1]
    assert answer["ok"] is False and answer["error_code"] == 400 and refusal in answer["description"]


@pytest.mark.parametrize(
    ("language", "film", "watched", "stars", "talk", "heading"),
    [
        ("en", "/film white nights", "👁", "4★", "💬 Talking points", "💬 Talking points: “White Nights”"),
        ("ru", "/film белые ночи", "👁", "4★", "💬 Поговорить о фильме", "💬 Поговорим о фильме «Белые ночи»"),
    ],
)
async def test_a_film_watched_and_rated_offers_its_talking_points(
    botapi: BotAPIServer,
    clocked_bot: BotApplication,
    language: str,
    film: str,
    watched: str,
    stars: str,
    talk: str,
    heading: str,
) -> None:
    """Issue #27: after marking a film watched and rating it, 💬 opens three open questions about
    it, in the reader's language."""
    user = User(2777 if language == "en" else 2778, "Lena", language)
    card = await botapi.reply_to(user, film)
    assert not any(b["text"] == talk for b in card.buttons)  # not before it is watched
    new = botapi.since()
    await press(botapi, user, card, watched)
    stars_asked = await new.wait_for("editMessageReplyMarkup")
    new = botapi.since()
    await press(botapi, user, stars_asked, stars)
    back = await new.wait_for("editMessageReplyMarkup")
    new = botapi.since()
    await press(botapi, user, back, talk)
    points = await new.wait_for("sendMessage", to_chat(user.id))
    lines = parse_html(points.text).splitlines()
    assert lines[0] == heading and len(lines) == 5 and all(line.endswith("?") for line in lines[2:])


async def test_a_group_round_in_russian(
    botapi: BotAPIServer, clocked_bot: BotApplication, clock: Clock, anna: User, boris: User
) -> None:
    """Started by a Russian speaker, the round speaks Russian to the end; /quiz top too."""
    new = botapi.since()
    intro = await in_group(botapi, boris, "/quiz 2")
    assert intro.text.startswith("🎯 Викторина: 2 вопроса, по 30 секунд на каждый")
    first = await new.wait_for("sendPoll", to_chat(GROUP["id"]))
    assert any("а" <= c <= "я" for c in first.params["question"].casefold())
    poll_id, right = poll_of(first)
    await botapi.answer_poll(boris, poll_id, [right])
    await botapi.answer_poll(anna, poll_id, [right])
    new = botapi.since()
    clock.now += QUESTION_TIME + timedelta(seconds=1)
    second = await new.wait_for("sendPoll", to_chat(GROUP["id"]))
    poll_id, right = poll_of(second)
    new = botapi.since()
    await botapi.answer_poll(boris, poll_id, [right])
    await botapi.answer_poll(anna, poll_id, [(right + 1) % 4])
    board = await new.wait_for("sendMessage", to_chat(GROUP["id"]))
    assert parse_html(board.text).splitlines() == ["🏁 Викторина окончена!", "🥇 Борис 2/2", "🥈 Anna 1/2"]
    table = await in_group(botapi, boris, "/quiz top")
    assert parse_html(table.text).splitlines() == [
        "🏆 Таблица викторин этой группы за все раунды:",
        "🥇 Борис 2/2",
        "🥈 Anna 1/2",
    ]
