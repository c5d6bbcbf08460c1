"""Watchlist storage under load: 100,000 users × 10 films in a file database, then a mixed workload.

Run:  .venv/bin/python benchmarks/bench_storage.py [--users 100000] [--ops 20000]
Prints ops/s and p50/p99 per operation for our Watchlist (aiosqlite, WAL, one connection), and in the
same run the same statements through the standard library's synchronous sqlite3 on a copy of the same
file as the baseline (no event loop, no thread hop), with the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.stats import percentile  # noqa: E402
from bot.core.storage import Storage  # noqa: E402
from bot.core.watchlists.table import WatchlistTable  # noqa: E402

FILMS = [f"film-{n}" for n in range(40)]
MIX = [("add", 0.4), ("watch", 0.2), ("remove", 0.1), ("list", 0.3)]
NOW = "2026-11-26T10:00:00+00:00"


async def populate(path: Path, users: int, per_user: int, rng: random.Random) -> float:
    """Create the schema through Storage (its migrations), then bulk-load users × films."""
    storage = await Storage.open(path)
    await storage.close()
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.executemany(
        "INSERT INTO users (id, first_seen, last_seen) VALUES (?, ?, ?)",
        ((u, NOW, NOW) for u in range(users)),
    )
    rows = ((u, f, f.upper(), 1960, NOW) for u in range(users) for f in rng.sample(FILMS, per_user))
    db.executemany(
        "INSERT INTO watchlist (user_id, film_id, title, year, added_at) VALUES (?, ?, ?, ?, ?)", rows
    )
    db.commit()
    db.close()
    return time.perf_counter() - started


def workload(users: int, count: int, rng: random.Random) -> list[tuple[str, int, str]]:
    kinds, weights = zip(*MIX, strict=True)
    return [(rng.choices(kinds, weights)[0], rng.randrange(users), rng.choice(FILMS)) for _ in range(count)]


def report(label: str, timings: dict[str, list[float]], elapsed: float) -> dict[str, float]:
    total = sum(len(v) for v in timings.values())
    print(f"{label}: {total / elapsed:,.0f} ops/s over {total:,} operations")
    p99s = {}
    for kind, values in sorted(timings.items()):
        p99 = percentile(values, 0.99)
        p99s[kind] = p99
        print(f"  {kind:<7} n={len(values):>6}  p50 {statistics.median(values):7.3f} ms  p99 {p99:7.3f} ms")
    return p99s


async def run_ours(path: Path, ops: list[tuple[str, int, str]]) -> tuple[dict[str, list[float]], float]:
    storage = await Storage.open(path)
    watchlist = storage.table(WatchlistTable)
    actions: dict[str, Callable[[int, str], Awaitable[object]]] = {
        "add": lambda u, f: watchlist.add(u, f, f.upper(), 1960),
        "watch": lambda u, f: watchlist.set_watched(u, f, watched=True),
        "remove": lambda u, f: watchlist.remove(u, f),
        "list": lambda u, f: watchlist.entries(u),
    }
    timings: dict[str, list[float]] = defaultdict(list)
    started = time.perf_counter()
    for kind, user, film in ops:
        t = time.perf_counter()
        await actions[kind](user, film)
        timings[kind].append((time.perf_counter() - t) * 1000)
    elapsed = time.perf_counter() - started
    await storage.close()
    return timings, elapsed


def run_baseline(path: Path, ops: list[tuple[str, int, str]]) -> tuple[dict[str, list[float]], float]:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    statements = {
        "user": "INSERT INTO users (id, first_seen, last_seen) VALUES (?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen",
        "add": "INSERT INTO watchlist (user_id, film_id, title, year, added_at) VALUES (?, ?, 'X', 1960, ?) "
        "ON CONFLICT (user_id, film_id) DO NOTHING",
        "watch": "UPDATE watchlist SET watched_at = ? WHERE user_id = ? AND film_id = ?",
        "remove": "DELETE FROM watchlist WHERE user_id = ? AND film_id = ?",
        "list": "SELECT film_id, title, year, added_at, watched_at FROM watchlist WHERE user_id = ? "
        "ORDER BY watched_at IS NOT NULL, watched_at DESC, added_at, rowid",
    }
    timings: dict[str, list[float]] = defaultdict(list)
    started = time.perf_counter()
    for kind, user, film in ops:
        t = time.perf_counter()
        if kind == "add":
            db.execute(statements["user"], (user, NOW, NOW))
            db.execute(statements["add"], (user, film, NOW))
        elif kind == "watch":
            db.execute(statements["watch"], (NOW, user, film))
        elif kind == "remove":
            db.execute(statements["remove"], (user, film))
        else:
            db.execute(statements["list"], (user,)).fetchall()
        timings[kind].append((time.perf_counter() - t) * 1000)
    elapsed = time.perf_counter() - started
    db.close()
    return timings, elapsed


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--per-user", type=int, default=10)
    parser.add_argument("--ops", type=int, default=20_000)
    args = parser.parse_args()
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory() as folder:
        ours_path, base_path = Path(folder) / "ours.sqlite3", Path(folder) / "baseline.sqlite3"
        seconds = await populate(ours_path, args.users, args.per_user, rng)
        shutil.copy(ours_path, base_path)
        size = ours_path.stat().st_size / 2**20
        print(
            f"{args.users:,} users × {args.per_user} films loaded in {seconds:.1f} s ({size:.0f} MiB file)\n"
        )
        ops = workload(args.users, args.ops, rng)
        ours, ours_elapsed = await run_ours(ours_path, ops)
        baseline, base_elapsed = run_baseline(base_path, ops)
        ours_p99 = report("ours (aiosqlite Watchlist)", ours, ours_elapsed)
        base_p99 = report("baseline (sqlite3, synchronous)", baseline, base_elapsed)
        print(
            "\nour p99 / baseline p99: "
            + ", ".join(f"{k} {ours_p99[k] / base_p99[k]:.2f}x" for k in sorted(ours_p99))
        )
        print(f"throughput ratio (ours / baseline): {base_elapsed / ours_elapsed:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
