"""`python -m bot` runs the bot; `python -m bot check [PATH]` validates a catalogue."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from pathlib import Path

from bot.app import TokenRejected, running
from bot.catalogue import CatalogueError
from bot.config import ConfigError, Settings, catalogue_path_setting, load_settings
from bot.logs import setup_logging
from bot.services import open_library
from bot.storage import StorageError

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


async def serve(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with running(settings):
        await stop.wait()
        log.info("stopping")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    checker = sub.add_parser("check", help="validate a catalogue file")
    checker.add_argument("path", nargs="?", type=Path, help="default: CATALOGUE_PATH or data/films.yaml")
    args = parser.parse_args(argv)

    if args.command == "check":
        return check(args.path or catalogue_path_setting())

    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings.log_level, [settings.bot_token.get_secret_value()])
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
