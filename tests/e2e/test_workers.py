"""Issue #30: several bot workers on one PostgreSQL database, in webhook mode behind a balancer.

Two real bot processes share one database (a PostgreSQL server the tests start themselves, on the
SQLite run as well); the test plays the balancer and Telegram's webhook: it posts each update to
one worker or the other, some to both (Telegram posts again an update it got no 200 for), and
stops one worker in the middle of a daily broadcast to a few thousand subscribers.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.core.subscriptions.delivery import IN_FLIGHT
from tests.support.botapi import BotAPIServer, User
from tests.support.database import postgres, schema_for
from tests.support.flows import daily_deliveries, fast_broadcast, message_update, seed_due_subscribers, until
from tests.support.net import free_port
from tests.support.process import bot_process

SECRET = "two-workers-secret"
SUBSCRIBERS = 2000


async def post(http: aiohttp.ClientSession, port: int, body: dict[str, Any]) -> None:
    """What Telegram does: post the update until a worker answers 200 (a worker still starting
    refuses the connection)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            async with http.post(
                f"http://127.0.0.1:{port}/telegram",
                json=body,
                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            ) as response:
                assert response.status == 200
                return
        except aiohttp.ClientConnectionError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.2)


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["stopped", "killed"])
async def test_two_workers_share_one_database_and_do_everything_once(
    botapi: BotAPIServer, tmp_path: Path, stop: signal.Signals
) -> None:
    """Stopped (SIGTERM), a worker finishes the films it claimed: every subscriber gets exactly one.
    Killed (SIGKILL), the films it had claimed but not yet sent are lost — never sent twice: a film
    may have reached Telegram in the instant before the kill, and only a second copy could tell —
    so every subscriber gets at most one, and all but those in flight get theirs."""
    url = schema_for(postgres(), tmp_path)
    await seed_due_subscribers(url, SUBSCRIBERS)
    ports = [free_port(), free_port()]
    folders = [tmp_path / "one", tmp_path / "two"]
    for folder in folders:
        folder.mkdir()

    def env(port: int) -> dict[str, str]:
        return {
            **fast_broadcast(botapi, 400),
            "DATABASE_URL": url,
            "WEBHOOK_URL": "https://films.example.org/telegram",
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
        }

    users = [User(50_000 + n, f"User {n}", "en") for n in range(40)]
    async with (
        bot_process(folders[0], **env(ports[0])) as first,
        bot_process(folders[1], **env(ports[1])),
        aiohttp.ClientSession() as http,
    ):
        # the updates, split between the workers; every fourth reaches both
        posts = []
        for n, user in enumerate(users):
            body = message_update(1000 + n, user, "/film cranes")
            posts.append(post(http, ports[n % 2], body))
            if n % 4 == 0:
                posts.append(post(http, ports[(n + 1) % 2], body))
        await asyncio.gather(*posts)
        await until(lambda: all(botapi.sent("sendMessage", chat_id=u.id) for u in users), timeout=60)

        # the broadcast both run; one worker stops in the middle of it
        await until(lambda: len(daily_deliveries(botapi)) >= SUBSCRIBERS // 4, timeout=120)
        first.send_signal(stop)
        assert await asyncio.wait_for(first.wait(), 30) == (0 if stop is signal.SIGTERM else -signal.SIGKILL)
        at_stop = len(daily_deliveries(botapi))
        assert at_stop < SUBSCRIBERS, "the broadcast was over before the worker stopped: a bigger one"
        enough = SUBSCRIBERS if stop is signal.SIGTERM else SUBSCRIBERS - IN_FLIGHT
        await until(lambda: len(set(daily_deliveries(botapi))) >= enough, timeout=120)
        await asyncio.sleep(2.0)  # a second copy, or a film lost in flight after all, would come now

    replies = Counter(c.chat_id for c in botapi.sent("sendMessage") if c.chat_id in {u.id for u in users})
    assert set(replies) == {u.id for u in users} and set(replies.values()) == {1}, "each update answered once"
    films = Counter(daily_deliveries(botapi))
    assert set(films.values()) == {1}, "no subscriber gets a film twice"
    if stop is signal.SIGTERM:
        assert len(films) == SUBSCRIBERS, "every subscriber: exactly one film"
    else:
        assert len(films) >= SUBSCRIBERS - IN_FLIGHT, "only the films in flight at the kill are lost"
    logs = [(folder / "bot.log").read_text() for folder in folders]
    assert all("Traceback" not in log for log in logs)
