"""What an operator sees (issue #30): /metrics in Prometheus's text format on a port of its own, off
by default — updates by kind, handler latency and errors, Bot API calls by method and result, 429s
and their retry-after, films of the day by outcome, waiting and late, subscribers, database writes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import aiohttp
import pytest

from bot.config import Settings
from bot.telegram.app import running
from tests.support.botapi import BotAPIServer, Failure, User
from tests.support.flows import Clock, ask, daily_messages, press, until
from tests.support.net import free_port


def value(text: str, name: str, **labels: str) -> float:
    """One sample of a scrape; 0 when it is not there yet."""
    shown = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = re.escape(name + (f"{{{shown}}}" if shown else "")) + r" ([0-9.e+-]+)$"
    found = re.search(pattern, text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 27, 12, 0, tzinfo=UTC))


async def scrape(port: int) -> str:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}/metrics") as response,
    ):
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        return await response.text()


async def test_metrics_count_what_the_bot_does(
    botapi: BotAPIServer, settings: Settings, clock: Clock, anna: User
) -> None:
    port = free_port()
    watched = settings.model_copy(update={"metrics_port": port})
    async with running(watched, clock=clock, delivery_interval=0.05):
        card = await botapi.reply_to(anna, "/film cranes are flying")
        await press(botapi, anna, card, "➕ Watchlist")
        await ask(botapi, anna, "irony")
        botapi.fail("sendMessage", Failure(429, "Too Many Requests: retry after 3", retry_after=3))
        await botapi.reply_to(anna, "/subscribe 13:20 UTC")  # its reply meets the 429 (counted)
        clock.now = datetime(2026, 3, 27, 13, 20, tzinfo=UTC)
        await until(lambda: daily_messages(botapi, anna))
        text = await scrape(port)
    await botapi.release_polling()

    assert value(text, "filmbot_updates_total", kind="message") >= 2
    assert value(text, "filmbot_updates_total", kind="callback_query") == 1
    assert value(text, "filmbot_updates_total", kind="inline_query") == 1
    assert value(text, "filmbot_handler_seconds_count", handler="find_film") == 1
    assert value(text, "filmbot_handler_errors_total", handler="find_film") == 0
    assert value(text, "filmbot_bot_api_calls_total", method="sendMessage", result="ok") >= 3
    assert value(text, "filmbot_bot_api_calls_total", method="sendMessage", result="429") == 1
    assert value(text, "filmbot_bot_api_retry_after_seconds_count") == 1
    assert value(text, "filmbot_bot_api_retry_after_seconds_sum") == 3
    assert value(text, "filmbot_daily_films_total", outcome="sent") == 1
    assert value(text, "filmbot_subscribers") == 1
    assert value(text, "filmbot_daily_films_waiting") == 0
    assert "filmbot_daily_films_late_seconds 0.0" in text
    assert value(text, "filmbot_database_write_seconds_count") > 0
    assert anna.first_name not in text and botapi.token not in text  # figures only


async def test_metrics_are_off_by_default(settings: Settings) -> None:
    assert settings.metrics_port == 0
