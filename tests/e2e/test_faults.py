"""A bad day: Telegram's answers lost or late, and a database that cannot write. The user must
never be told something false: no apology under a reply that arrived, no "added" for what was not
stored; and every read keeps working."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from bot.telegram.app import running
from tests.support.botapi import BotAPIServer, User
from tests.support.database import write_lock
from tests.support.flows import ask

LATE = 1.0  # the test server answers this late; the bot gives up after TIMEOUT
TIMEOUT = 0.3


@pytest.fixture
async def impatient_bot(settings: Settings, botapi: BotAPIServer) -> AsyncIterator[object]:
    async with running(settings.model_copy(update={"bot_api_timeout": TIMEOUT})) as app:
        yield app
        await botapi.release_polling()


def apologies(botapi: BotAPIServer) -> list[str]:
    texts = [c.text for c in botapi.sent("sendMessage")]
    texts += [str(c.params.get("text", "")) for c in botapi.sent("answerCallbackQuery")]
    return [t for t in texts if "went wrong" in t or "сломалось" in t]


async def test_a_card_whose_answer_is_lost_is_sent_once_and_not_apologised_for(
    botapi: BotAPIServer, impatient_bot: object, anna: User, boris: User
) -> None:
    botapi.delay("sendMessage", LATE, chat_id=anna.id)
    new = botapi.since()
    await botapi.send_message(anna, "/random")
    card = await new.wait_for("sendMessage", lambda c: c.chat_id == anna.id)
    helped = await botapi.reply_to(boris, "/help")  # answered while Anna's answer is still late
    assert helped.at - card.at < LATE
    await asyncio.sleep(LATE + 0.5)
    assert len(botapi.sent("sendMessage", chat_id=anna.id)) == 1
    assert apologies(botapi) == []


async def test_a_watchlist_press_whose_answer_is_lost_still_redraws_the_card(
    botapi: BotAPIServer, impatient_bot: object, anna: User
) -> None:
    card = await botapi.reply_to(anna, "/film cranes are flying")
    botapi.delay("answerCallbackQuery", LATE)
    new = botapi.since()
    await botapi.press(anna, card, card.button("➕ Watchlist")["callback_data"])
    redrawn = await new.wait_for("editMessageReplyMarkup")
    assert "✕ Remove from watchlist" in [b["text"] for b in redrawn.buttons]
    await asyncio.sleep(LATE + 0.5)
    assert len(botapi.sent("answerCallbackQuery")) == 1  # no second answer to the same press
    assert apologies(botapi) == []
    listed = await botapi.reply_to(anna, "/watchlist")
    assert "The Cranes Are Flying" in listed.text


async def test_reads_keep_answering_while_the_database_cannot_write(
    botapi: BotAPIServer, settings: Settings, anna: User, boris: User
) -> None:
    async with running(settings):
        async with write_lock(settings.database_path.parent):
            assert "🎲 Another" in [b["text"] for b in (await botapi.reply_to(anna, "/random")).buttons]
            assert "The Cranes Are Flying" in (await botapi.reply_to(anna, "/film cranes")).text
            assert "Film of the day" in (await botapi.reply_to(anna, "/today")).text
            assert "1930-е" in (await botapi.reply_to(boris, "/films")).text
            answer = await ask(botapi, anna, "zhuravli")
            assert answer.params["results"][0]["id"] == "cranes-are-flying"
            refused = await botapi.reply_to(anna, "/add irony of fate")
            assert "couldn’t save" in refused.text and "Added" not in refused.text
            refused_ru = await botapi.reply_to(boris, "/add ирония судьбы")
            assert "не получилось это сохранить" in refused_ru.text
            subscribe = await botapi.reply_to(boris, "/subscribe 8:30 Europe/Moscow")
            assert "не получилось это сохранить" in subscribe.text and "каждый день" not in subscribe.text
        assert apologies(botapi) == []
        assert "Вы не подписаны" in (await botapi.reply_to(boris, "/settings")).text
        assert (
            "Added" in (await botapi.reply_to(anna, "/add cranes are flying")).text
        )  # recovered, no restart
        await botapi.release_polling()
    botapi.resume_long_polling()
    async with running(settings):
        listed = (await botapi.reply_to(anna, "/watchlist")).text
        assert "The Irony of Fate" not in listed and "The Cranes Are Flying" in listed  # nothing half-saved
        added = await botapi.reply_to(anna, "/add irony of fate")
        assert "Added" in added.text
        await botapi.release_polling()
    botapi.resume_long_polling()
    async with running(settings):
        assert "The Irony of Fate" in (await botapi.reply_to(anna, "/watchlist")).text
        await botapi.release_polling()


async def test_a_press_that_cannot_be_saved_says_so_in_its_toast(
    botapi: BotAPIServer, bot: object, settings: Settings, anna: User
) -> None:
    card = await botapi.reply_to(anna, "/film cranes are flying")
    async with write_lock(settings.database_path.parent):
        new = botapi.since()
        await botapi.press(anna, card, card.button("➕ Watchlist")["callback_data"])
        toast = await new.wait_for("answerCallbackQuery")
    assert "couldn’t save" in toast.params["text"]
    assert botapi.sent("editMessageReplyMarkup") == []  # the card does not claim it was added
    assert "empty" in (await botapi.reply_to(anna, "/watchlist")).text
