"""One chat's work one piece at a time, in the order it arrived: its updates (bot/telegram/ordering.py)
and the periodic passes that act on it (closing a movie night's vote, settling its time poll, a quiz
question running out), so that a vote already in hand is counted before the poll closes.
Different chats' work goes on side by side."""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator


class ChatTurns:
    def __init__(self) -> None:
        self._lines: dict[int, deque[asyncio.Future[None]]] = {}  # a chat's waiting work, first first

    def take(self, chat_id: int) -> asyncio.Future[None]:
        """A place in the chat's line, taken now (so the order is the order of these calls); the
        future is done when it is this place's turn. Give it back with `done`."""
        line = self._lines.setdefault(chat_id, deque())
        ticket: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if not line:
            ticket.set_result(None)
        line.append(ticket)
        return ticket

    def done(self, chat_id: int, ticket: asyncio.Future[None]) -> None:
        """The place's work is over (or was given up): the next in line goes on."""
        line = self._lines[chat_id]
        first = line[0] is ticket
        line.remove(ticket)
        if not line:
            del self._lines[chat_id]
        elif first and not line[0].done():
            line[0].set_result(None)

    @contextlib.asynccontextmanager
    async def of(self, chat_id: int) -> AsyncIterator[None]:
        """The block runs in the chat's turn, after what was in line before it."""
        ticket = self.take(chat_id)
        try:
            await ticket
            yield
        finally:
            self.done(chat_id, ticket)
