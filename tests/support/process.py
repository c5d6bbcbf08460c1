"""Running `python -m bot` as an operator would, against the loopback test server."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from tests.support.database import database_url_for

ROOT = Path(__file__).resolve().parents[2]


def bot_env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BOT_", "CATALOGUE_", "DATABASE_", "LINK_", "OEMBED_"))
    }
    env.update(
        CATALOGUE_PATH=str(ROOT / "data" / "films.yaml"),
        DATABASE_PATH=str(tmp_path / "bot.sqlite3"),
        LINK_CHECK_HOURS="0",  # tests never reach the network; one that checks links serves a fake
        PYTHONUNBUFFERED="1",
    )
    url = database_url_for(tmp_path)
    if url is not None:
        env["DATABASE_URL"] = url
    env.update(values)
    return env


async def run_to_exit(tmp_path: Path, *args: str, **values: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args,
        cwd=tmp_path, env=bot_env(tmp_path, **values),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, out.decode(), err.decode()


@asynccontextmanager
async def bot_process(tmp_path: Path, **values: str) -> AsyncIterator[asyncio.subprocess.Process]:
    log = (tmp_path / "bot.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path, env=bot_env(tmp_path, **values),
        stdout=log, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()
                await process.wait()
        log.close()
