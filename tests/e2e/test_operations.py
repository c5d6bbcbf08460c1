"""What operators rely on: webhook mode, catalogue reload, graceful shutdown, JSON logs."""

from __future__ import annotations

import asyncio
import io
import json
import shutil
import signal
import sys
import time
from collections import Counter
from pathlib import Path

import aiohttp
import pytest
import yaml
from pydantic import SecretStr

from bot.config import Settings
from bot.telegram.app import running
from bot.telegram.waiting import Stopped
from bot.telegram.webhook import WebhookRefused
from tests.support.botapi import TOKEN, BotAPIServer, Failure, User
from tests.support.database import database_for
from tests.support.flows import (
    ask,
    daily_deliveries,
    fast_broadcast,
    message_update,
    seed_due_subscribers,
    until,
)
from tests.support.net import free_port
from tests.support.process import ROOT, bot_process

SECRET = "s3cret-Token_for-tests"


def webhook_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "webhook_url": "https://films.example.org/telegram",
            "webhook_secret": SecretStr(SECRET),
            "webhook_listen": "127.0.0.1",
            "webhook_port": free_port(),
        }
    )


async def test_webhook_mode_handles_signed_updates_and_rejects_the_rest(
    botapi: BotAPIServer, settings: Settings, anna: User
) -> None:
    hook = webhook_settings(settings)
    url = f"http://127.0.0.1:{hook.webhook_port}/telegram"
    async with running(hook), aiohttp.ClientSession() as http:
        registered = botapi.sent("setWebhook")[-1].params
        assert registered["url"] == "https://films.example.org/telegram"
        assert registered["secret_token"] == SECRET
        assert TOKEN not in registered["url"]

        right = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with http.post(url, json=message_update(1, anna, "/film cranes"), headers=right) as response:
            assert response.status == 200
        reply = await botapi.wait_for("sendMessage", lambda c: c.chat_id == anna.id)
        assert "The Cranes Are Flying" in reply.text

        forged = [
            {"X-Telegram-Bot-Api-Secret-Token": "wrong"},
            {},
            {"X-Telegram-Bot-Api-Secret-Token": SECRET + "x"},
        ]
        for number, headers in enumerate(forged, start=2):
            async with http.post(
                url, json=message_update(number, anna, "/random"), headers=headers
            ) as response:
                assert response.status == 403
        as_json = {**right, "Content-Type": "application/json"}
        for not_an_update in (b"{not json", b"[1, 2]", b'"text"', b'{"message": "no update_id"}'):
            async with http.post(url, data=not_an_update, headers=as_json) as r:
                assert r.status == 400, not_an_update
        oversized = b'{"update_id": 9, "message": "' + b"x" * (8 * 2**20) + b'"}'
        async with http.post(url, data=io.BytesIO(oversized), headers=as_json) as r:
            assert r.status == 413
        async with http.post(url, data=b"{not json", headers={"Content-Type": "application/json"}) as r:
            assert r.status == 403  # unsigned: not even read
        new = botapi.since()
        async with http.post(url, json=message_update(20, anna, "/help"), headers=right) as response:
            assert response.status == 200
        helped = await new.wait_for("sendMessage", lambda c: c.chat_id == anna.id)
        assert "/random" in helped.text
        assert len(botapi.sent("sendMessage", chat_id=anna.id)) == 2  # nothing forged reached a handler


async def test_an_update_telegram_posts_twice_is_handled_once(
    botapi: BotAPIServer, settings: Settings, anna: User
) -> None:
    """Issue #30: Telegram resends a webhook update it got no 200 for; the second copy is answered 200
    and changes nothing — also after a restart (the ids are in the database for a day)."""
    hook = webhook_settings(settings)
    url = f"http://127.0.0.1:{hook.webhook_port}/telegram"
    right = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with running(hook), aiohttp.ClientSession() as http:
        for _ in range(2):
            async with http.post(
                url, json=message_update(31, anna, "/add cranes"), headers=right
            ) as response:
                assert response.status == 200
        await botapi.wait_for("sendMessage", lambda c: c.chat_id == anna.id)
    async with running(hook), aiohttp.ClientSession() as http:
        async with http.post(url, json=message_update(31, anna, "/add cranes"), headers=right) as response:
            assert response.status == 200
        async with http.post(url, json=message_update(32, anna, "/help"), headers=right) as response:
            assert response.status == 200
        await botapi.wait_for("sendMessage", lambda c: c.chat_id == anna.id and "/random" in c.text)
    assert len(botapi.sent("sendMessage", chat_id=anna.id)) == 2  # /add once, /help once


async def test_a_webhook_telegram_refuses_ends_the_start_saying_what_to_fix(
    botapi: BotAPIServer, settings: Settings
) -> None:
    refusal = "Bad Request: bad webhook: Failed to resolve host: Name or service not known"
    botapi.fail("setWebhook", Failure(400, refusal))
    said = r"WEBHOOK_URL https://films\.example\.org/telegram: .*resolve host"
    with pytest.raises(WebhookRefused, match=said):
        async with running(webhook_settings(settings)):
            pytest.fail("the bot ran with a webhook Telegram refused")
    assert len(botapi.sent("setWebhook")) == 1  # an address Telegram refuses is not tried again


async def test_a_stop_while_the_webhook_cannot_be_set_ends_the_retries_at_once(
    botapi: BotAPIServer, settings: Settings
) -> None:
    botapi.fail("setWebhook", Failure(502, "Bad Gateway"), times=5)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.call_later(0.3, stop.set)  # during the first wait (a second) before the next try
    with pytest.raises(Stopped):
        async with running(webhook_settings(settings), stop_asked=stop):
            pytest.fail("the bot ran without its webhook")
    assert len(botapi.sent("setWebhook")) == 1


async def test_reload_swaps_a_valid_catalogue_and_keeps_serving_under_traffic(
    botapi: BotAPIServer, settings: Settings, anna: User, boris: User, catalogue_path: Path
) -> None:
    admin = settings.model_copy(update={"admin_ids": frozenset({anna.id})})
    async with running(admin):
        assert "don't know that command" in (await botapi.reply_to(User(77, "Z", "en"), "/reload")).text
        data = yaml.safe_load(catalogue_path.read_text(encoding="utf-8"))
        data["films"] = [f for f in data["films"] if f["id"] != "commissar"]
        catalogue_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

        traffic = [ask(botapi, boris, query) for query in ("журавли", "lady", "", "ryazanov", "zhuravli")] * 4
        new = botapi.since()
        await botapi.send_message(anna, "/reload")
        answers = await asyncio.gather(*traffic)
        reloaded = await new.wait_for("sendMessage", lambda c: c.chat_id == anna.id)
        assert "Catalogue reloaded: 50 films (was 51)" in reloaded.text
        assert all(a.params["results"] for a in answers if a.params.get("inline_query_id"))
        assert not any("went wrong" in c.text for c in botapi.sent("sendMessage"))
        assert "Commissar" not in (await botapi.reply_to(anna, "/film commissar")).text.split("\n")[0]
        await botapi.release_polling()


async def test_an_invalid_catalogue_is_refused_with_its_errors(
    botapi: BotAPIServer, settings: Settings, anna: User, catalogue_path: Path
) -> None:
    admin = settings.model_copy(update={"admin_ids": frozenset({anna.id})})
    async with running(admin):
        good = catalogue_path.read_text(encoding="utf-8")
        catalogue_path.write_text(good.replace("year: 1957", "year: 1800", 1), encoding="utf-8")
        reply = await botapi.reply_to(anna, "/reload")
        assert "NOT reloaded" in reply.text
        assert "year: must be between 1895 and 2100" in reply.text
        assert "The Cranes Are Flying" in (await botapi.reply_to(anna, "/film cranes")).text
        await botapi.release_polling()


async def log_says(log: Path, words: str, timeout: float = 20.0) -> None:
    await until(lambda: words in log.read_text(), timeout)


@pytest.mark.slow
async def test_sighup_reloads_the_catalogue(botapi: BotAPIServer, tmp_path: Path) -> None:
    catalogue = tmp_path / "films.yaml"
    shutil.copy(ROOT / "data" / "films.yaml", catalogue)
    env = {"BOT_TOKEN": botapi.token, "BOT_API_BASE_URL": botapi.base_url, "CATALOGUE_PATH": str(catalogue)}
    user = User(5, "Ivan", "en")
    async with bot_process(tmp_path, **env) as process:
        assert "The Cranes Are Flying" in (await botapi.reply_to(user, "/film cranes", timeout=30)).text
        catalogue.write_text("films: [", encoding="utf-8")
        process.send_signal(signal.SIGHUP)
        await log_says(tmp_path / "bot.log", "catalogue NOT reloaded")
        assert "The Cranes Are Flying" in (await botapi.reply_to(user, "/film cranes")).text
        data = yaml.safe_load((ROOT / "data" / "films.yaml").read_text(encoding="utf-8"))
        for film in data["films"]:
            if film["id"] == "cranes-are-flying":
                film["aliases"].append("Flying Cranes of Moscow")
        catalogue.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        process.send_signal(signal.SIGHUP)
        await log_says(tmp_path / "bot.log", "catalogue reloaded: 51 visible films")
        reply = await botapi.reply_to(user, "/film flying cranes of moscow")
        assert "The Cranes Are Flying" in reply.text
        await botapi.release_polling()
    log = (tmp_path / "bot.log").read_text()
    assert "catalogue NOT reloaded" in log and "catalogue reloaded: 51 visible films" in log


@pytest.mark.slow
async def test_sigterm_mid_broadcast_exits_cleanly_and_loses_nothing(
    botapi: BotAPIServer, tmp_path: Path
) -> None:
    subscribers = 120
    await seed_due_subscribers(database_for(tmp_path), subscribers)
    env = fast_broadcast(botapi, 100)

    asker = User(10_000, "Asker", "en")
    async with bot_process(tmp_path, **env) as process:
        await until(lambda: len(daily_deliveries(botapi)) >= subscribers // 4, timeout=60)
        await botapi.send_message(asker, "/random")
        await asyncio.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        await botapi.release_polling()
        assert await asyncio.wait_for(process.wait(), 20) == 0
    assert botapi.sent("sendMessage", chat_id=asker.id), "the update in hand was answered before exiting"
    assert len(daily_deliveries(botapi)) < subscribers
    botapi.resume_long_polling()
    async with bot_process(tmp_path, **env):
        deadline = time.monotonic() + 30
        while len(daily_deliveries(botapi)) < subscribers and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        await botapi.release_polling()
    counts = Counter(daily_deliveries(botapi))
    assert len(counts) == subscribers and max(counts.values()) == 1
    text = (tmp_path / "bot.log").read_text()
    assert "stopping: no new updates" in text and "stopped" in text


async def test_json_logs_are_one_object_per_line_without_the_token(
    botapi: BotAPIServer, tmp_path: Path
) -> None:
    env = {
        "BOT_TOKEN": botapi.token,
        "BOT_API_BASE_URL": botapi.base_url,
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "DEBUG",
    }
    async with bot_process(tmp_path, **env):
        await botapi.reply_to(User(3, "Olga", "ru"), "/random", timeout=30)
        await botapi.release_polling()
    lines = [line for line in (tmp_path / "bot.log").read_text().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]
    assert {"time", "level", "logger", "message"} <= set(records[0])
    assert any(r["message"].startswith("bot @") for r in records)
    assert TOKEN.split(":")[1] not in "\n".join(lines)


async def test_health_follows_the_heartbeat(botapi: BotAPIServer, tmp_path: Path) -> None:
    env = {"BOT_TOKEN": botapi.token, "BOT_API_BASE_URL": botapi.base_url}

    async def health() -> int:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "health", cwd=tmp_path, stdout=asyncio.subprocess.DEVNULL
        )
        return await process.wait()

    assert await health() == 1
    async with bot_process(tmp_path, **env):
        await botapi.reply_to(User(4, "Pyotr", "en"), "/help", timeout=30)
        assert await health() == 0
        await botapi.release_polling()
