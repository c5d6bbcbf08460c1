"""`python -m bot` runs the bot; `check [PATH]` validates a catalogue; `health` says whether the
running bot is alive and has reached Telegram; `reload` makes it re-read its catalogue;
`check-links` verifies the watch links."""

from __future__ import annotations

import gc

if __name__ == "__main__":
    # Start-up creates objects that live for good (modules, the catalogue and its index), which the
    # collector would walk again and again; it is back on before the bot reaches Telegram
    # (bot.telegram.app.collect_for_serving), and they are frozen once polling is under way.
    gc.disable()

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from bot import heartbeat
from bot.config import ConfigError, Settings, ToolSettings, load_settings, load_tool_settings
from bot.core.catalogue.model import CatalogueError
from bot.core.films.service import open_library
from bot.core.models import system_clock
from bot.core.services import Core
from bot.core.storage import Storage, StorageError
from bot.core.storage.lock import AnotherPoller
from bot.core.watch.model import LinkStatus
from bot.core.watch.service import Report, WatchLinks, link_session
from bot.logs import setup_logging
from bot.telegram.app import TokenRejected, running
from bot.telegram.waiting import Stopped
from bot.telegram.webhook import WebhookRefused

log = logging.getLogger("bot")


def check(path: Path) -> int:
    try:
        library = open_library(path)
    except CatalogueError as exc:
        print(f"{path}: {len(exc.errors)} problem(s):", file=sys.stderr)
        for line in exc.errors:
            print(f"  {line}", file=sys.stderr)
        return 1
    for film in library.catalogue.films:
        state = "hidden " if film.hidden else "ok     "
        directors = ", ".join(p.en for p in film.directors)
        print(f"{state} {film.id}: {film.title} ({film.year}) / {film.original_title or '-'} — {directors}")
    visible = len(library.catalogue.visible)
    print(f"{path}: valid, {visible} visible film(s), {len(library.catalogue.films) - visible} hidden")
    return 0


def health(path: Path) -> int:
    """Healthy while the bot's event loop keeps rewriting the heartbeat and Telegram was reached."""
    reading = heartbeat.read(path)
    print(reading.summary)
    return 0 if reading.healthy else 1


async def _check_links(settings: ToolSettings) -> list[Report]:
    library = open_library(settings.catalogue_path)
    storage = await Storage.open(settings.database)
    try:
        links = WatchLinks(storage, library, system_clock)
        await links.load()
        async with link_session() as session:
            return await links.check(session, settings.endpoints())
    finally:
        await storage.close()


def check_links(settings: ToolSettings) -> int:
    """Verify every watch link now and record the verdicts (the running bot reads them at its next
    check or `reload`): a table, then exit 0 if all passed, 1 if any is dead, 2 if some could not
    be checked (no network, the provider down) and none is dead."""
    try:
        reports = asyncio.run(_check_links(settings))
    except (CatalogueError, StorageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    rows = [("film", "provider", "status", "checked at", "detail")]
    for report in reports:
        target, check = report.target, report.check
        film = target.film.id if target.film else "(studio site)"
        if target.part:
            film += f" (part {target.part})"
        at = check.checked_at.strftime("%Y-%m-%d %H:%M UTC")
        rows.append((film, target.provider_key, check.status.value, at, check.detail))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)), row[4])
    dead = sum(r.check.status.dead for r in reports)
    unchecked = sum(r.check.status is LinkStatus.UNREACHABLE for r in reports)
    verified = len(reports) - dead - unchecked
    print(f"{len(reports)} link(s): {verified} verified, {dead} dead, {unchecked} not checked")
    return 1 if dead else 2 if unchecked else 0


RELOAD_WAIT = 30.0


def reload(path: Path) -> int:
    """Ask the running bot (found through its heartbeat) to re-read the catalogue, and wait for it."""
    reading = heartbeat.read(path)
    if reading.state is None:
        print(f"error: {reading.summary.removeprefix('unhealthy: ')}", file=sys.stderr)
        return 2
    before = reading.state.reload_at
    try:
        os.kill(reading.state.pid, signal.SIGHUP)
    except OSError as exc:
        print(f"error: cannot signal the bot (pid {reading.state.pid}): {exc}", file=sys.stderr)
        return 2
    deadline = time.monotonic() + RELOAD_WAIT
    while time.monotonic() < deadline:
        state = heartbeat.read(path).state
        if state is not None and state.reload_at > before:
            print(state.reload_detail)
            return 0 if state.reload_ok else 1
        time.sleep(0.1)
    print(f"error: the bot did not report a reload within {RELOAD_WAIT:.0f} s; see its log", file=sys.stderr)
    return 1


async def reload_on_signal(core: Core, beat: heartbeat.Heartbeat) -> None:
    """SIGHUP: what /reload does (Core.reload), its outcome told through the heartbeat."""
    try:
        before, films_now = await core.reload()
    except CatalogueError as exc:
        log.error("catalogue NOT reloaded, the old one keeps serving: %s", "; ".join(exc.errors))
        detail = f"catalogue NOT reloaded, the old one keeps serving; {len(exc.errors)} problem(s):\n"
        beat.update(reload_at=time.time(), reload_ok=False, reload_detail=detail + "\n".join(exc.errors))
        return
    detail = f"catalogue reloaded: {films_now} visible films (was {before})"
    beat.update(reload_at=time.time(), reload_ok=True, reload_detail=detail)


async def serve(settings: Settings) -> None:
    """Run until SIGTERM or SIGINT (at once, even while still trying to reach Telegram); SIGHUP
    re-reads the catalogue."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    reloads: set[asyncio.Task[None]] = set()
    try:
        async with running(settings, stop_asked=stop) as app:
            core, beat = app.bot_data.core, app.bot_data.heartbeat
            assert core is not None and beat is not None

            def reload() -> None:
                task = asyncio.create_task(reload_on_signal(core, beat))
                reloads.add(task)
                task.add_done_callback(reloads.discard)

            loop.add_signal_handler(signal.SIGHUP, reload)
            await stop.wait()
            log.info("stopping: no new updates; finishing the work in hand")
    except Stopped:
        log.info("stopped before reaching Telegram")


def run(main: Coroutine[Any, Any, None]) -> None:
    """The event loop: uvloop where it is installed (Linux and macOS), else asyncio's own."""
    try:
        import uvloop
    except ImportError:
        asyncio.run(main)
    else:
        uvloop.run(main)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    checker = sub.add_parser("check", help="validate a catalogue file")
    checker.add_argument("path", nargs="?", type=Path, help="default: CATALOGUE_PATH or data/films.yaml")
    sub.add_parser("health", help="exit 0 if the running bot is alive and has reached Telegram (HEALTHCHECK)")
    sub.add_parser("reload", help="make the running bot re-read its catalogue, and print the outcome")
    sub.add_parser(
        "check-links", help="verify every watch link now (needs the network); exit 1 if one is dead"
    )
    args = parser.parse_args(argv)

    try:
        if args.command is not None:
            tools = load_tool_settings()
        else:
            settings = load_settings()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "check":
        return check(args.path or tools.catalogue_path)
    if args.command == "health":
        return health(tools.heartbeat_path)
    if args.command == "reload":
        return reload(tools.heartbeat_path)
    if args.command == "check-links":
        return check_links(tools)
    setup_logging(settings.log_level, settings.secrets(), settings.log_format)
    try:
        run(serve(settings))
    except (CatalogueError, StorageError, AnotherPoller, TokenRejected, WebhookRefused) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):
        sys.exit(main())
