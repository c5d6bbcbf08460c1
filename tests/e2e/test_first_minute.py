"""What a new user meets in the first minute besides commands: /search, things that are not text,
and an inline query that finds nothing."""

from __future__ import annotations

import time
from typing import Any

import pytest

from bot.telegram.context import BotApplication
from tests.support.botapi import BotAPIServer, User
from tests.support.flows import ask, in_group, press, to_chat

MEDIA: dict[str, Any] = {
    "sticker": {"file_id": "s", "file_unique_id": "s", "width": 512, "height": 512, "is_animated": False,
                "is_video": False, "type": "regular"},
    "photo": [{"file_id": "p", "file_unique_id": "p", "width": 90, "height": 90}],
    "voice": {"file_id": "v", "file_unique_id": "v", "duration": 3},
}  # fmt: skip


async def test_search_works_as_film(botapi: BotAPIServer, bot: object, anna: User, boris: User) -> None:
    assert "The Cranes Are Flying" in (await botapi.reply_to(anna, "/search cranes")).text
    assert "Летят журавли" in (await botapi.reply_to(boris, "/search журавли")).text


@pytest.mark.parametrize("kind", sorted(MEDIA))
async def test_a_sticker_photo_or_voice_message_gets_a_one_line_hint(
    botapi: BotAPIServer, bot: object, anna: User, boris: User, kind: str
) -> None:
    for user, expected in ((anna, "I understand text"), (boris, "Я понимаю текст")):
        new = botapi.since()
        message = {
            "message_id": 1,
            "date": int(time.time()),
            "chat": user.private_chat(),
            "from": user.as_dict(),
        }
        await botapi.push("message", {**message, kind: MEDIA[kind]})
        reply = await new.wait_for("sendMessage", to_chat(user.id))
        assert reply.text.startswith(expected) and "\n" not in reply.text
        assert "went wrong" not in reply.text and "сломалось" not in reply.text


async def test_an_inline_query_that_finds_nothing_says_so_and_offers_the_bot(
    botapi: BotAPIServer, bot: object, anna: User, boris: User
) -> None:
    for user, title, body in (
        (anna, "Nothing found for “qqqxzzy”", "is not in this collection of 51 Soviet films"),
        (boris, "По запросу «qqqxzzy» ничего не нашлось", "в ней 51 советский фильм"),
    ):
        answer = await ask(botapi, user, "qqqxzzy")
        [result] = answer.params["results"]
        assert result["title"] == title
        assert body in result["input_message_content"]["message_text"]
        assert result["reply_markup"]["inline_keyboard"][0][0]["url"] == "https://t.me/soviet_film_test_bot"


@pytest.mark.parametrize(
    ("user_is_russian", "said", "expected"),
    [
        (False, "hello", "Hello! I know 51 Soviet films about unrequited love."),
        (True, "Привет!", "Здравствуйте! Я знаю 51 советский фильм о неразделённой любви."),
        (False, "thanks!", "You’re welcome! Enjoy the film."),
        (True, "спасибо", "Пожалуйста! Приятного просмотра."),
        (False, "help", "/random"),
        (True, "помощь", "/random"),
        (False, "what should I watch tonight?", "Directed by"),
        (True, "посоветуй фильм", "Режиссёр"),
        (False, "film of the day", "Film of the day,"),
        (True, "фильм дня", "Фильм дня,"),
    ],
)
async def test_everyday_words_get_a_sensible_answer(
    botapi: BotAPIServer,
    bot: object,
    anna: User,
    boris: User,
    user_is_russian: bool,
    said: str,
    expected: str,
) -> None:
    reply = await botapi.reply_to(boris if user_is_russian else anna, said)
    assert expected in reply.text
    assert "Did you mean" not in reply.text and "Может быть, вы искали" not in reply.text


async def test_a_title_is_still_a_title(botapi: BotAPIServer, bot: object, anna: User) -> None:
    assert "The Irony of Fate" in (await botapi.reply_to(anna, "irony of fate")).text


@pytest.mark.parametrize(
    ("language", "hello", "again"),
    [("en", "Hi!", "Welcome back!"), ("ru", "Здравствуйте", "С возвращением!")],
)
async def test_a_first_contact_through_a_group_button_is_no_introduction(
    botapi: BotAPIServer, bot: BotApplication, anna: User, language: str, hello: str, again: str
) -> None:
    """Issue #24: Vera's first contact is a ➕ on a card in her group; her first /start must
    introduce the bot, not welcome her back, even once the bookkeeping has recorded her."""
    vera = User(4242, "Vera", language)
    card = await in_group(botapi, anna, "/film the cranes are flying")
    await press(botapi, vera, card, "➕")
    assert bot.bot_data.core is not None
    await bot.bot_data.core.flush()  # what the bot writes every few seconds: Vera is now known
    first = (await botapi.reply_to(vera, "/start")).text
    assert hello in first and again not in first
    assert again in (await botapi.reply_to(vera, "/start")).text
