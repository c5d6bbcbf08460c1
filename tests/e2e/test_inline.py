"""Inline mode end to end: a user types @bot <query> in some chat and reads the results."""

from __future__ import annotations

import pytest

from tests.support.botapi import BotAPIServer, User
from tests.support.flows import ask


async def test_inline_query_puts_the_right_film_first(botapi: BotAPIServer, bot: object, anna: User) -> None:
    answer = await ask(botapi, anna, "журавли")
    first = answer.params["results"][0]
    assert first["id"] == "cranes-are-flying"
    assert first["title"] == "The Cranes Are Flying (1957)"
    assert first["description"] == "Летят журавли · Mikhail Kalatozov"
    content = first["input_message_content"]
    assert content["parse_mode"] == "HTML" and "<b>The Cranes Are Flying</b>" in content["message_text"]
    button = first["reply_markup"]["inline_keyboard"][0][0]
    assert button["url"] == "https://t.me/soviet_film_test_bot?start=film_cranes-are-flying"
    assert answer.params["is_personal"] is True
    assert 60 <= answer.params["cache_time"] <= 3600


async def test_inline_results_follow_the_users_language(
    botapi: BotAPIServer, bot: object, boris: User
) -> None:
    first = (await ask(botapi, boris, "lady dog")).params["results"][0]
    assert first["title"] == "Дама с собачкой (1960)"
    assert first["description"] == "The Lady with the Dog · Иосиф Хейфиц"  # issue #12: Russian names
    assert "Открыть в боте" in first["reply_markup"]["inline_keyboard"][0][0]["text"]


async def test_empty_query_puts_the_film_of_the_day_first(
    botapi: BotAPIServer, bot: object, anna: User
) -> None:
    today = await botapi.reply_to(anna, "/today")
    answer = await ask(botapi, anna, "")
    results = answer.params["results"]
    assert f"<b>{results[0]['title'].rsplit(' (', 1)[0]}</b>" in today.text
    assert len({r["id"] for r in results}) == len(results) >= 30


async def test_a_deep_link_from_a_shared_card_opens_the_film(botapi: BotAPIServer, bot: object) -> None:
    stranger = User(4242, "Stranger", None)
    first = (await ask(botapi, stranger, "ironiya sudby")).params["results"][0]
    payload = first["reply_markup"]["inline_keyboard"][0][0]["url"].split("?start=")[1]
    reply = await botapi.reply_to(stranger, f"/start {payload}")
    assert "<b>The Irony of Fate</b>" in reply.text


@pytest.mark.parametrize(
    "query",
    [
        "x" * 256,
        "!!!???...",
        "🎬🍿💔",
        "\u200b\u200c\u200d",
        "\u202eилвараж\u202c",
        "%",
        "_",
        "\"'`",
        "' OR 1=1; DROP TABLE users; --",
        "<b>",
    ],
)
async def test_hostile_inline_queries_get_a_valid_answer(
    botapi: BotAPIServer, bot: object, anna: User, query: str
) -> None:
    answer = await ask(botapi, anna, query)
    results = answer.params["results"]
    assert "_error" not in answer.params
    assert len(results) <= 50
    assert len({r["id"] for r in results}) == len(results)
