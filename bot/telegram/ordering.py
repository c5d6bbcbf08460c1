"""The updates of one chat (or, without a chat, of one user) are handled one after another, in the
order Telegram gave them; different chats' go on side by side, up to a limit.

Order matters where one update changes what the next one finds: two quick presses on one message,
a vote changed twice in a row, a vote and the press that closes the poll. An answer to a poll comes
without its chat: it takes its turn in the chat the poll was sent to (a movie night's, a quiz's),
as the periodic passes that close those polls do (bot/core/turns.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.core.turns import ChatTurns

PollChat = Callable[[str], Awaitable[int | None]]  # the chat a poll of the bot's was sent to


class InOrderPerChat(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int, turns: ChatTurns, poll_chat: PollChat):
        super().__init__(max_concurrent_updates)
        self._turns = turns
        self._poll_chat = poll_chat
        self._placing = asyncio.Lock()

    async def _key(self, update: object) -> int | None:
        """Whose turn the update takes: its chat's, a poll answer's poll's chat's, else its user's;
        None for an inline query (it changes nothing) and what has neither."""
        if not isinstance(update, Update) or update.inline_query is not None:
            return None
        poll = update.poll_answer.poll_id if update.poll_answer else update.poll.id if update.poll else None
        if poll is not None:  # an answer, or options added: in the turn of the poll's chat
            chat = await self._poll_chat(poll)
            if chat is not None:
                return chat
        if update.effective_chat is not None:
            return update.effective_chat.id
        return update.effective_user.id if update.effective_user is not None else None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        async with self._placing:  # places are taken in the order the updates came
            try:
                key = await self._key(update)
            except Exception:  # the database cannot say: the update goes on, in no particular turn
                key = None
            ticket = self._turns.take(key) if key is not None else None
        if key is None or ticket is None:
            await coroutine
            return
        try:
            await ticket
            await coroutine
        finally:
            self._turns.done(key, ticket)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
