"""Waiting that a stop ends at once: the attempts and retries while Telegram is unreachable at
start-up (getMe, setWebhook), and the pauses between the periodic passes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


class Stopped(Exception):
    """A stop was asked for before the bot reached Telegram."""


async def unless_stopped(stop: asyncio.Event, attempt: Awaitable[T]) -> T:
    """What `attempt` gives, or Stopped (the attempt cancelled) as soon as `stop` is set."""
    if stop.is_set():
        raise Stopped
    trying = asyncio.ensure_future(attempt)
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({trying, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if stop.is_set():
        trying.cancel()
        raise Stopped
    return trying.result()


async def pause(stop: asyncio.Event, seconds: float) -> bool:
    """Wait `seconds`: True then, False at once if `stop` is set or gets set meanwhile."""
    if stop.is_set():  # (wait_for with no time left would not look)
        return False
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return True
    return False


class Backoff:
    """The waits between attempts: 1 s, doubling, at most `cap` seconds; Stopped if a stop comes."""

    def __init__(self, stop: asyncio.Event, cap: float = 60.0) -> None:
        self._stop = stop
        self._cap = cap
        self.delay = 1.0  # the next wait, for the log line that announces it

    async def wait(self) -> None:
        if not await pause(self._stop, self.delay):
            raise Stopped
        self.delay = min(self.delay * 2, self._cap)
