"""How long a picture takes to draw, and how heavy it is.

Every visible film's card in both languages, and a full /year picture, planned, drawn and encoded as
PNG (what the bot does on its render threads), each `--rounds` times; the baseline, measured in the
same run, is a plain Pillow image of the same size encoded the same way. Prints p50 and p99 of each
and their ratio, and the files' sizes. Targets: a card in under 100 ms at p99, every file under 400 KB.

    .venv/bin/python benchmarks/bench_pictures.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.stats import percentile  # noqa: E402
from bot.core.catalogue.loading import load_catalogue  # noqa: E402
from bot.core.catalogue.model import Film  # noqa: E402
from bot.core.diary.model import Viewing  # noqa: E402
from bot.core.pictures.card import card_plan  # noqa: E402
from bot.core.pictures.layout import HEIGHT, WIDTH, png  # noqa: E402
from bot.core.pictures.year import year_plan  # noqa: E402
from bot.core.recap.year import recap  # noqa: E402


def timed(make: Callable[[], bytes]) -> tuple[float, int]:
    started = time.perf_counter()
    data = make()
    return (time.perf_counter() - started) * 1000, len(data)


def plain() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (WIDTH, HEIGHT), (163, 34, 27)).save(out, format="PNG", compress_level=6)
    return out.getvalue()


def row(name: str, times: list[float], base: list[float], sizes: list[int]) -> str:
    p50, p99 = percentile(times, 0.5), percentile(times, 0.99)
    b50, b99 = percentile(base, 0.5), percentile(base, 0.99)
    kb = [s / 1024 for s in sizes]
    return (
        f"| {name} | {len(times)} | {p50:.1f} ms | {p99:.1f} ms | {b50:.1f} ms | {b99:.1f} ms | "
        f"{p50 / b50:.1f}× / {p99 / b99:.1f}× | "
        f"{min(kb):.0f} / {statistics.median(kb):.0f} / {max(kb):.0f} KB |"
    )


async def loop_lag(renders: int, films: list[Film]) -> list[float]:
    """How late a 1 ms timer on the event loop fires (ms) while `renders` cards are drawn on the
    bot's render threads (none: the baseline)."""
    from concurrent.futures import ThreadPoolExecutor

    from bot.core.pictures.service import RENDER_THREADS

    loop = asyncio.get_running_loop()
    pool = ThreadPoolExecutor(RENDER_THREADS)
    chosen = [films[n % len(films)] for n in range(renders)]
    jobs = [loop.run_in_executor(pool, lambda f=film: png(card_plan(f, "ru"))) for film in chosen]  # type: ignore[misc]
    lags: list[float] = []
    started = time.perf_counter()
    while (jobs and not all(j.done() for j in jobs)) or (not jobs and time.perf_counter() - started < 2):
        before = time.perf_counter()
        await asyncio.sleep(0.001)
        lags.append((time.perf_counter() - before) * 1000 - 1)
    await asyncio.gather(*jobs)
    pool.shutdown()
    return lags


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    catalogue = load_catalogue(ROOT / "data" / "films.yaml")
    films = [f for f in catalogue.films if not f.hidden]
    png(card_plan(films[0], "en"))  # fonts loaded, Pillow imported: the bot pays this once
    plain()

    card_times: list[float] = []
    card_sizes: list[int] = []
    base: list[float] = []
    for _ in range(args.rounds):
        for film in films:
            for language in ("en", "ru"):
                spent, size = timed(lambda f=film, lang=language: png(card_plan(f, lang)))  # type: ignore[misc]
                card_times.append(spent)
                card_sizes.append(size)
                base.append(timed(plain)[0])

    # a year of 40 viewings over the collection, rated, in both languages
    logged = datetime(2026, 12, 1, tzinfo=UTC)
    viewings = [
        Viewing(n, films[n % len(films)].id, date(2026, 1 + n % 12, 1 + n % 28), 4 + n % 7, logged)
        for n in range(40)
    ]
    year_times: list[float] = []
    year_sizes: list[int] = []
    year_base: list[float] = []
    for _ in range(args.rounds * 10):
        for language in ("en", "ru"):
            summary = recap(2026, viewings, films, {f.id: (3, 24 + len(f.id) % 5) for f in films})
            spent, size = timed(lambda s=summary, lang=language: png(year_plan(s, lang)))  # type: ignore[misc]
            year_times.append(spent)
            year_sizes.append(size)
            year_base.append(timed(plain)[0])

    print(f"Python {sys.version.split()[0]}, {len(films)} films, {args.rounds} rounds\n")
    header = "| picture | renders | p50 | p99 | plain p50 | plain p99 | ratio p50/p99 | size min/median/max |"
    print(header)
    print("|---|---|---|---|---|---|---|---|")
    print(row("film card", card_times, base, card_sizes))
    print(row("/year", year_times, year_base, year_sizes))
    idle = asyncio.run(loop_lag(0, films))
    busy = asyncio.run(loop_lag(40, films))
    print(
        "\nevent loop lag (a 1 ms timer) while 40 cards render on the pool: "
        f"p50 {percentile(busy, 0.5):.2f} ms, "
        f"p99 {percentile(busy, 0.99):.2f} ms; idle: p50 {percentile(idle, 0.5):.2f} ms, "
        f"p99 {percentile(idle, 0.99):.2f} ms"
    )
    worst = max(percentile(card_times, 0.99), 0.0)
    heaviest = max(card_sizes + year_sizes) / 1024
    print(f"\ncard p99 {worst:.1f} ms (target < 100 ms); heaviest file {heaviest:.0f} KB (target < 400 KB)")


if __name__ == "__main__":
    main()
