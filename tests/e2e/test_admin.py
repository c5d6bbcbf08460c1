"""Admin commands and error reports: /stats and /reload only for ADMIN_IDS, and a failing handler
tells the admins with a short traceback, without the token, a few times in a storm."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.telegram.app import running
from tests.support.botapi import TOKEN, BotAPIServer, Failure, User
from tests.support.flows import settle, until

ADMIN = User(900, "Admin", "en")


@pytest.fixture
async def admin_bot(settings: Settings, botapi: BotAPIServer) -> AsyncIterator[object]:
    async with running(settings.model_copy(update={"admin_ids": frozenset({ADMIN.id})})) as app:
        yield app
        await botapi.release_polling()


def reports(botapi: BotAPIServer) -> list[str]:
    return [c.text for c in botapi.sent("sendMessage", chat_id=ADMIN.id) if "failed" in c.text]


async def test_admin_commands_fall_through_to_unknown_for_everyone_else(
    botapi: BotAPIServer, admin_bot: object, anna: User, boris: User
) -> None:
    for command in ("/stats", "/reload"):
        assert "don't know that command" in (await botapi.reply_to(anna, command)).text
        assert "Такой команды я не знаю" in (await botapi.reply_to(boris, command)).text
    assert "Users:" in (await botapi.reply_to(ADMIN, "/stats")).text
    assert "Catalogue reloaded" in (await botapi.reply_to(ADMIN, "/reload")).text


async def test_a_failing_handler_sends_the_admins_a_short_traceback_without_the_token(
    botapi: BotAPIServer, admin_bot: object, anna: User
) -> None:
    botapi.fail("sendMessage", Failure(400, "Bad Request: something odd", chat_id=anna.id))
    await botapi.send_message(anna, "/random")
    await until(lambda: reports(botapi))
    report = botapi.sent("sendMessage", chat_id=ADMIN.id)[-1]
    assert report.params["parse_mode"] == "HTML"
    assert "update" in report.text and "BadRequest" in report.text and "Something odd" in report.text
    assert TOKEN not in report.text and TOKEN.split(":")[1] not in report.text
    assert len(report.text) < 4096


async def test_a_storm_of_errors_sends_only_a_few_reports(
    botapi: BotAPIServer, admin_bot: object, anna: User
) -> None:
    botapi.fail("sendMessage", Failure(400, "Bad Request: something odd", chat_id=anna.id), times=20)
    for _ in range(10):
        await botapi.send_message(anna, "/random")
    await until(lambda: len(reports(botapi)) >= 3)
    await settle()
    assert len(reports(botapi)) == 3


async def test_a_film_that_leaves_the_catalogue_keeps_its_title_in_the_diary(
    botapi: BotAPIServer, admin_bot: object, anna: User, catalogue_path: Path
) -> None:
    """Issue #24: the diary showed a film that left the catalogue as its internal id."""
    card = await botapi.reply_to(anna, "/film white nights")
    new = botapi.since()
    await botapi.press(anna, card, card.button("👁")["callback_data"])
    await new.wait_for("editMessageReplyMarkup")
    text = catalogue_path.read_text(encoding="utf-8")
    catalogue_path.write_text(
        text.replace("  - id: white-nights\n", "  - id: white-nights\n    hidden: true\n"), encoding="utf-8"
    )
    assert "Catalogue reloaded" in (await botapi.reply_to(ADMIN, "/reload")).text
    diary = (await botapi.reply_to(anna, "/diary")).text
    assert "<b>White Nights</b> (1959)" in diary and "white-nights" not in diary
