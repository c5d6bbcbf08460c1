"""The PTB sender sorts Telegram's answers into the delivery engine's outcomes, over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Bot

from bot.core.films.card import Card, CardButtons
from bot.core.films.service import Library, open_library
from bot.core.subscriptions.delivery import Outcome, SlowDown
from bot.telegram.http import AiohttpRequest
from bot.telegram.sender import TelegramSender
from tests.support.botapi import TOKEN, BotAPIServer, Failure

ROOT = Path(__file__).resolve().parents[2]
CHAT = 4711


@pytest.fixture(scope="module")
def library() -> Library:
    return open_library(ROOT / "data" / "films.yaml")


@pytest.fixture
async def sender(botapi: BotAPIServer) -> AsyncIterator[TelegramSender]:
    bot = Bot(TOKEN, base_url=botapi.base_url, request=AiohttpRequest(read_timeout=2.0))
    async with bot:
        yield TelegramSender(bot)


async def send(sender: TelegramSender, library: Library) -> Outcome | SlowDown:
    film = library.catalogue.visible[0]
    return await sender.send_card(CHAT, Card(f"<b>{film.title}</b>", CardButtons(film, "en")))


async def test_a_delivered_card_is_sent_with_its_buttons(
    sender: TelegramSender, library: Library, botapi: BotAPIServer
) -> None:
    assert await send(sender, library) is Outcome.SENT
    call = botapi.sent("sendMessage", chat_id=CHAT)[-1]
    assert call.params["parse_mode"] == "HTML"
    assert {"🎲 Another", "➕ Watchlist"} <= {b["text"] for b in call.buttons}


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (Failure(403, "Forbidden: bot was blocked by the user"), Outcome.BLOCKED),
        (Failure(400, "Bad Request: chat not found"), Outcome.CHAT_GONE),
        (Failure(400, "Bad Request: can't parse entities"), Outcome.REFUSED),
        (Failure(502, "Bad Gateway"), Outcome.UNREACHABLE),
        (Failure(429, "Too Many Requests: retry after 3", retry_after=3), SlowDown(3.0)),
    ],
)
async def test_telegrams_errors_become_outcomes(
    sender: TelegramSender,
    library: Library,
    botapi: BotAPIServer,
    failure: Failure,
    expected: Outcome | SlowDown,
) -> None:
    botapi.fail("sendMessage", failure)
    assert await send(sender, library) == expected


async def test_an_unreachable_server_is_unreachable(
    sender: TelegramSender, library: Library, botapi: BotAPIServer
) -> None:
    botapi.down = True
    assert await send(sender, library) is Outcome.UNREACHABLE
