from __future__ import annotations

from tests.support.botapi import BotAPIServer, User


async def test_random_command_sends_a_film_card(botapi: BotAPIServer, bot: object, anna: User) -> None:
    reply = await botapi.reply_to(anna, "/random")
    assert reply.params["parse_mode"] == "HTML"
    assert "🎲" in reply.button("Another")["text"]
