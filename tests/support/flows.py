"""What end-to-end tests do again and again: ask an inline query, say something in a group, a clock
the test moves, the daily films that arrived, subscribers seeded straight into the database."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from bot.core.models import Zone
from bot.core.storage import Storage
from bot.core.subscriptions.table import SubscriptionsTable
from tests.support.botapi import BotAPIServer, Call, User


def to_chat(chat_id: int) -> Callable[[Call], bool]:
    """A `wait_for` predicate: a call to that chat."""
    return lambda call: call.chat_id == chat_id


GROUP: dict[str, Any] = {"id": -880, "type": "supergroup", "title": "Киноклуб"}


async def in_group(botapi: BotAPIServer, user: User, text: str) -> Call:
    """`user` says `text` in GROUP; the bot's first message there after it."""
    new = botapi.since()
    await botapi.send_message(user, text, chat=GROUP)
    return await new.wait_for("sendMessage", to_chat(GROUP["id"]))


async def press(botapi: BotAPIServer, user: User, call: Call, label: str) -> Call:
    """`user` presses the button labelled `label` on `call`'s message; the answer to the press."""
    new = botapi.since()
    query_id = await botapi.press(user, call, call.button(label)["callback_data"])
    return await new.wait_for(
        "answerCallbackQuery",
        lambda c: c.params["callback_query_id"] == query_id,
    )


async def ask(botapi: BotAPIServer, user: User, query: str, offset: str = "") -> Call:
    new = botapi.since()
    query_id = await botapi.inline_query(user, query, offset)
    return await new.wait_for(
        "answerInlineQuery",
        lambda c: c.params["inline_query_id"] == query_id,
    )


class Clock:
    """The time as the bot sees it; the test moves it."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def daily_messages(botapi: BotAPIServer, user: User) -> list[Call]:
    """The daily films that reached `user` (refused attempts do not count)."""
    calls = botapi.sent("sendMessage", chat_id=user.id)
    return [c for c in calls if "Film of the day," in c.text and "_sent" in c.params]


async def seed_due_subscribers(database: Path | str, count: int) -> None:
    """Users 1..count, subscribed at 00:00 UTC and due now (before the bot starts)."""
    storage = await Storage.open(database)
    due = datetime.now(UTC) - timedelta(minutes=1)
    for user_id in range(1, count + 1):
        await storage.table(SubscriptionsTable).subscribe(
            user_id, user_id, clock_time(0, 0), Zone("UTC", UTC), "en", due
        )
    await storage.close()


def fast_broadcast(botapi: BotAPIServer, rate: int) -> dict[str, str]:
    """The environment of a bot process against `botapi` that sends the films of the day at `rate`
    a second: above 30 a second, Telegram needs it paid for."""
    return {
        "BOT_TOKEN": botapi.token,
        "BOT_API_BASE_URL": botapi.base_url,
        "BROADCAST_RATE": str(rate),
        "PAID_BROADCAST": "true",
    }


def daily_deliveries(botapi: BotAPIServer) -> list[int]:
    """The chats that received a daily film, once per message (refused attempts do not count)."""
    sent = botapi.sent("sendMessage")
    return [c.chat_id or 0 for c in sent if "Film of the day" in c.text and "_sent" in c.params]


async def settle(seconds: float = 0.4) -> None:
    """Let a few delivery passes run, before asserting that something did NOT happen."""
    await asyncio.sleep(seconds)


async def until(condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Wait until `condition()` is true, for at most `timeout` seconds (then the test fails)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout} s")
        await asyncio.sleep(0.02)


def message_update(update_id: int, user: User, text: str) -> dict[str, Any]:
    """A command from `user` in their private chat, as Telegram posts it to a webhook."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": user.private_chat(),
            "from": user.as_dict(),
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
        },
    }
