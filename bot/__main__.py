"""`python -m bot` runs the bot; `python -m bot check [PATH]` validates a catalogue."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
import time
from pathlib import Path

from bot.config import ConfigError, Settings, ToolSettings, load_settings
from bot.core.catalogue import CatalogueError
from bot.core.films import Films, open_library
from bot.core.storage import StorageError
from bot.logs import setup_logging
from bot.telegram.app import TokenRejected, running

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
        directors = ", ".join(film.directors)
        print(f"{state} {film.id}: {film.title} ({film.year}) / {film.original_title or '-'} — {directors}")
    visible = len(library.catalogue.visible)
    print(f"{path}: valid, {visible} visible film(s), {len(library.catalogue.films) - visible} hidden")
    return 0


HEARTBEAT_STALE = 60.0


def health(path: Path) -> int:
    """Healthy while the bot's event loop keeps touching the heartbeat file."""
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        print(f"unhealthy: no heartbeat at {path} (is the bot running? check HEARTBEAT_PATH)")
        return 1
    if age > HEARTBEAT_STALE:
        print(f"unhealthy: the last heartbeat was {age:.0f} s ago")
        return 1
    print(f"healthy: heartbeat {age:.0f} s ago")
    return 0


async def reload_on_signal(films: Films) -> None:
    try:
        await films.reload()
    except CatalogueError as exc:
        log.error("catalogue NOT reloaded, the old one keeps serving: %s", "; ".join(exc.errors))


async def serve(settings: Settings) -> None:
    """Run until SIGTERM or SIGINT; SIGHUP re-reads the catalogue."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    reloads: set[asyncio.Task[None]] = set()
    async with running(settings) as app:
        core = app.bot_data.core
        assert core is not None

        def reload() -> None:
            task = asyncio.create_task(reload_on_signal(core.films))
            reloads.add(task)
            task.add_done_callback(reloads.discard)

        loop.add_signal_handler(signal.SIGHUP, reload)
        await stop.wait()
        log.info("stopping: no new updates; finishing the work in hand")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    checker = sub.add_parser("check", help="validate a catalogue file")
    checker.add_argument("path", nargs="?", type=Path, help="default: CATALOGUE_PATH or data/films.yaml")
    sub.add_parser("health", help="exit 0 if the running bot's heartbeat is fresh (for HEALTHCHECK)")
    args = parser.parse_args(argv)

    if args.command == "check":
        return check(args.path or ToolSettings().catalogue_path)
    if args.command == "health":
        return health(ToolSettings().heartbeat_path)

    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings.log_level, settings.secrets(), settings.log_format)
    try:
        asyncio.run(serve(settings))
    except (CatalogueError, StorageError, TokenRejected) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):
        sys.exit(main())
