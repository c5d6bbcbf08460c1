"""The periodic passes: a failed pass is reported and the next still comes; a stop lets the pass in
hand finish and starts no other."""

from __future__ import annotations

import asyncio

from telegram.ext import Application

from bot.telegram.context import CONTEXT_TYPES, BotApplication, BotContext
from bot.telegram.jobs import Passes


def application() -> BotApplication:
    app: BotApplication = (
        Application.builder().token("1:x").context_types(CONTEXT_TYPES).job_queue(None).build()
    )
    return app


async def test_a_failed_pass_goes_to_the_error_handlers_and_the_next_one_comes() -> None:
    app = application()
    reported: list[BaseException | None] = []

    async def on_error(update: object, context: BotContext) -> None:
        assert update is None
        reported.append(context.error)

    app.add_error_handler(on_error)
    runs = 0

    async def run() -> None:
        nonlocal runs
        runs += 1
        if runs == 1:
            raise RuntimeError("the first pass fails")

    passes = Passes(app)
    passes.every(0.01, run, "test")
    async with asyncio.timeout(5):
        while runs < 3 or not reported:
            await asyncio.sleep(0.01)
    await passes.stop()
    assert [str(error) for error in reported] == ["the first pass fails"]


async def test_a_stop_lets_the_pass_in_hand_finish_and_starts_no_other() -> None:
    started, finished = asyncio.Event(), []

    async def slow() -> None:
        started.set()
        await asyncio.sleep(0.2)
        finished.append("done")

    passes = Passes(application())
    passes.every(0.0, slow, "slow")
    await asyncio.wait_for(started.wait(), 5)
    await passes.stop()
    assert finished == ["done"]
    await asyncio.sleep(0.1)
    assert finished == ["done"]


async def test_a_stop_before_the_first_pass_means_none_runs() -> None:
    runs: list[int] = []

    async def run() -> None:
        runs.append(1)

    passes = Passes(application())
    passes.every(1.0, run, "late", first=0.5)
    await passes.stop()
    await asyncio.sleep(0.6)
    assert runs == []
