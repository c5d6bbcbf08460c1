"""One chat's work in the order it came, other chats' side by side (bot/core/turns.py)."""

from __future__ import annotations

import asyncio

from bot.core.turns import ChatTurns


async def test_one_chats_work_runs_in_order_and_other_chats_do_not_wait() -> None:
    turns, done = ChatTurns(), list[str]()
    slow = asyncio.Event()

    async def work(chat: int, name: str, wait: asyncio.Event | None = None) -> None:
        async with turns.of(chat):
            if wait is not None:
                await wait.wait()
            done.append(name)

    first = asyncio.create_task(work(1, "first", slow))
    second = asyncio.create_task(work(1, "second"))
    elsewhere = asyncio.create_task(work(2, "elsewhere"))
    await elsewhere  # another chat's work does not wait for chat 1's
    assert done == ["elsewhere"]
    slow.set()
    await asyncio.gather(first, second)
    assert done == ["elsewhere", "first", "second"]


async def test_work_given_up_in_line_passes_the_turn_on() -> None:
    turns, done = ChatTurns(), list[str]()
    held = turns.take(7)
    await held
    waiting = asyncio.create_task(_run(turns, 7, done, "gave up"))
    after = asyncio.create_task(_run(turns, 7, done, "after"))
    await asyncio.sleep(0)
    waiting.cancel()
    turns.done(7, held)
    await after
    assert done == ["after"] and waiting.cancelled()
    assert turns.take(7).done()  # the line is empty again: the next place is its turn at once


async def _run(turns: ChatTurns, chat: int, done: list[str], name: str) -> None:
    async with turns.of(chat):
        done.append(name)
