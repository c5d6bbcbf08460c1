"""The bot's periodic passes (the daily delivery, closing movie nights whose deadline came): each an
asyncio task that runs its pass, then waits, until the bot stops.

This is all PTB's JobQueue did for the bot, without APScheduler underneath, whose import alone
(it reads every installed package's entry points) was about 50 ms of the bot's start-up. A pass
that fails goes to the application's error handlers, as a JobQueue job's would, and the next pass
still comes; a stop lets the pass in hand finish (within the shutdown grace) and starts no other.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.telegram.context import BotApplication
from bot.telegram.waiting import pause

log = logging.getLogger(__name__)

Pass = Callable[[], Awaitable[None]]


class Passes:
    def __init__(self, app: BotApplication) -> None:
        self._app = app
        self._stopping = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()

    def every(self, seconds: float, run: Pass, name: str, first: float = 0.0) -> None:
        """Run `run` after `first` seconds, then again `seconds` after each pass ends."""
        task = asyncio.create_task(self._repeat(seconds, run, first), name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _repeat(self, seconds: float, run: Pass, first: float) -> None:
        if not await pause(self._stopping, first):
            return
        while True:
            try:
                await run()
            except Exception as exc:  # one failed pass is not the end of them
                await self._app.process_error(update=None, error=exc)
            if not await pause(self._stopping, seconds):
                return

    async def stop(self) -> None:
        """No pass starts from now on; returns when the passes in hand have ended."""
        self._stopping.set()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def cancel(self) -> None:
        for task in self._tasks:
            task.cancel()
