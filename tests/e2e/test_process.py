"""`python -m bot` as an operator runs it: start-up errors, a rejected token, Telegram down, the logs."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest

from tests.support.botapi import TOKEN, BotAPIServer, User
from tests.support.flows import until
from tests.support.process import ROOT, bot_process, run_to_exit


async def test_missing_token_stops_with_one_clear_line(tmp_path: Path) -> None:
    code, _, err = await run_to_exit(tmp_path)
    assert code == 2
    assert err.count("\n") == 1
    assert "BOT_TOKEN" in err and "@BotFather" in err and ".env.example" in err
    assert "Traceback" not in err


async def test_malformed_daily_time_names_the_variable(tmp_path: Path) -> None:
    code, _, err = await run_to_exit(tmp_path, BOT_TOKEN=TOKEN, DAILY_TIME="25:00")
    assert code == 2
    assert "DAILY_TIME" in err and "HH:MM" in err
    assert TOKEN not in err and "Traceback" not in err


async def test_a_tool_with_a_malformed_setting_names_it_in_one_line(tmp_path: Path) -> None:
    code, _, err = await run_to_exit(tmp_path, "check-links", OEMBED_URL="ftp://example.org/oembed")
    assert (code, err.count("\n")) == (2, 1)
    assert "OEMBED_URL must be an http(s) address" in err and "Traceback" not in err


async def test_unknown_timezone_names_the_variable(tmp_path: Path) -> None:
    code, _, err = await run_to_exit(tmp_path, BOT_TOKEN=TOKEN, TIMEZONE="Mars/Olympus")
    assert code == 2
    assert "TIMEZONE" in err and "Europe/Moscow" in err


async def test_invalid_catalogue_refuses_to_start(tmp_path: Path) -> None:
    broken = tmp_path / "films.yaml"
    broken.write_text("films:\n  - id: Bad Id\n    title: x\n    year: 1800\n", encoding="utf-8")
    code, _, err = await run_to_exit(tmp_path, BOT_TOKEN=TOKEN, CATALOGUE_PATH=str(broken))
    assert code == 2
    assert f"{broken}:4: film 'Bad Id': year: must be between 1895 and 2100" in err
    assert TOKEN not in err


async def test_rejected_token_gets_one_line_without_the_token(tmp_path: Path, botapi: BotAPIServer) -> None:
    wrong = "123456789:wrong-token-the-server-rejects"
    code, out, err = await run_to_exit(tmp_path, BOT_TOKEN=wrong, BOT_API_BASE_URL=botapi.base_url)
    assert code == 2
    assert "rejected BOT_TOKEN" in err
    assert wrong not in err + out and wrong.split(":")[1] not in err + out
    assert "Traceback" not in err


async def test_bot_waits_for_telegram_and_never_logs_the_token(tmp_path: Path, botapi: BotAPIServer) -> None:
    botapi.down = True
    async with bot_process(
        tmp_path, BOT_TOKEN=TOKEN, BOT_API_BASE_URL=botapi.base_url, LOG_LEVEL="DEBUG"
    ) as p:
        log = tmp_path / "bot.log"
        await until(lambda: "unreachable" in log.read_text())
        assert "retrying" in log.read_text()
        assert p.returncode is None
        botapi.down = False
        reply = await botapi.reply_to(User(7, "Vera"), "/film cranes", timeout=30)
        assert "The Cranes Are Flying" in reply.text
        p.send_signal(signal.SIGTERM)
        await botapi.release_polling()
        assert await asyncio.wait_for(p.wait(), 20) == 0
    text = (tmp_path / "bot.log").read_text()
    assert "getUpdates" in text or "DEBUG" in text  # debug logging was on
    assert TOKEN not in text and TOKEN.split(":")[1] not in text


async def test_check_lists_every_film_and_passes_on_the_real_catalogue(tmp_path: Path) -> None:
    code, out, _ = await run_to_exit(tmp_path, "check", str(ROOT / "data" / "films.yaml"))
    assert code == 0
    assert "cranes-are-flying" in out and "valid" in out


async def test_check_lists_every_error_with_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "films.yaml"
    broken.write_text(
        "films:\n"
        "  - id: a-film\n    title: A\n    year: 1957\n    colour: red\n"
        "  - id: a-film\n    title: A\n    year: 3000\n",
        encoding="utf-8",
    )
    code, _, err = await run_to_exit(tmp_path, "check", str(broken))
    assert code == 1
    assert f"{broken}:5: film 'a-film': colour: unknown field" in err
    assert f"{broken}:8: film 'a-film': year: must be between 1895 and 2100" in err
    assert f"{broken}:6: film 'a-film': id: duplicate id" in err
    assert f"{broken}:2: film 'a-film': a visible film needs original_title, directors, description" in err


async def test_a_failing_command_menu_only_warns(botapi: BotAPIServer, tmp_path: Path) -> None:
    from tests.support.botapi import Failure

    botapi.fail("setMyCommands", Failure(400, "Bad Request: BOT_COMMAND_INVALID"), times=2)
    async with bot_process(tmp_path, BOT_TOKEN=TOKEN, BOT_API_BASE_URL=botapi.base_url):
        reply = await botapi.reply_to(User(9, "Lev"), "/film cranes", timeout=30)
        assert "The Cranes Are Flying" in reply.text
        await botapi.release_polling()
    log = (tmp_path / "bot.log").read_text()
    assert "WARNING" in log and "could not set the en command menu" in log


@pytest.mark.slow
async def test_sigterm_while_telegram_is_unreachable_ends_the_retries_and_exits_0(
    tmp_path: Path, botapi: BotAPIServer
) -> None:
    botapi.down = True
    async with bot_process(tmp_path, BOT_TOKEN=TOKEN, BOT_API_BASE_URL=botapi.base_url) as process:
        log = tmp_path / "bot.log"
        await until(lambda: "retrying in 4 s" in log.read_text(), timeout=30)  # the next try is 4 s away
        attempts = log.read_text().count("unreachable")
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 3.5) == 0  # before that next try would come
    text = (tmp_path / "bot.log").read_text()
    assert text.count("unreachable") == attempts, "it tried Telegram again after the stop"
    assert "stopped before reaching Telegram" in text


@pytest.mark.slow
async def test_a_bot_stopped_before_reaching_telegram_closes_its_http_clients(tmp_path: Path) -> None:
    """Issue #30: no "Unclosed client session" errors when the bot is stopped before it reaches
    Telegram (here nothing listens where it looks for it)."""
    async with bot_process(tmp_path, BOT_TOKEN=TOKEN, BOT_API_BASE_URL="http://127.0.0.1:9/bot") as process:
        log = tmp_path / "bot.log"
        await until(lambda: "retrying in 2 s" in log.read_text(), timeout=30)
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 5) == 0
    text = (tmp_path / "bot.log").read_text()
    assert "stopped before reaching Telegram" in text
    assert "Unclosed client session" not in text


async def test_health_fails_until_telegram_is_first_reached_and_says_why(
    tmp_path: Path, botapi: BotAPIServer
) -> None:
    botapi.down = True
    env = {"BOT_TOKEN": TOKEN, "BOT_API_BASE_URL": botapi.base_url}
    async with bot_process(tmp_path, **env):
        await until(lambda: "unreachable" in (tmp_path / "bot.log").read_text(), timeout=30)
        code, out, _ = await run_to_exit(tmp_path, "health", **env)
        assert code == 1 and "has not reached Telegram yet" in out and "Bad Gateway" in out
        botapi.down = False
        await botapi.reply_to(User(8, "Olga"), "/help", timeout=30)
        code, out, _ = await run_to_exit(tmp_path, "health", **env)
        assert code == 0 and out.startswith("healthy")
        await botapi.release_polling()


@pytest.mark.slow
async def test_reload_command_reloads_the_running_bot_and_reports_the_outcome(
    tmp_path: Path, botapi: BotAPIServer
) -> None:
    catalogue = tmp_path / "films.yaml"
    catalogue.write_text((ROOT / "data" / "films.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    env = {"BOT_TOKEN": TOKEN, "BOT_API_BASE_URL": botapi.base_url, "CATALOGUE_PATH": str(catalogue)}
    code, _, err = await run_to_exit(tmp_path, "reload", **env)
    assert code == 2 and "no heartbeat" in err  # no bot running
    async with bot_process(tmp_path, **env):
        await botapi.reply_to(User(9, "Lev"), "/help", timeout=30)
        code, out, _ = await run_to_exit(tmp_path, "reload", **env)
        assert code == 0 and "catalogue reloaded: 51 visible films (was 51)" in out
        catalogue.write_text("films: [", encoding="utf-8")
        code, out, _ = await run_to_exit(tmp_path, "reload", **env)
        assert code == 1 and "NOT reloaded" in out and "films.yaml" in out
        assert "The Cranes Are Flying" in (await botapi.reply_to(User(9, "Lev"), "/film cranes")).text
        await botapi.release_polling()


@pytest.mark.slow
async def test_a_second_poller_on_the_same_database_refuses_to_start(
    tmp_path: Path, botapi: BotAPIServer
) -> None:
    """Issue #30: Telegram gives a token's updates to one getUpdates caller at a time; a second bot
    polling with the same database says so in one line and exits, and the first keeps answering."""
    async with bot_process(tmp_path, BOT_TOKEN=TOKEN, BOT_API_BASE_URL=botapi.base_url):
        reply = await botapi.reply_to(User(9, "Lev"), "/film cranes", timeout=30)
        assert "The Cranes Are Flying" in reply.text
        code, _, err = await run_to_exit(tmp_path, BOT_TOKEN=TOKEN, BOT_API_BASE_URL=botapi.base_url)
        assert code == 2
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(
            "error: another bot is already taking updates by long polling with this database (pid "
        )
        again = await botapi.reply_to(User(9, "Lev"), "/film irony of fate", timeout=30)
        assert "The Irony of Fate" in again.text
        await botapi.release_polling()
