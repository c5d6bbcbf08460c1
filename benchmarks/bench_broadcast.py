"""The daily broadcast at Telegram's pace: 10,000 and 100,000 subscribers due at once.

Run:  .venv/bin/python benchmarks/bench_broadcast.py [--sizes 10000 100000] [--limit 1000]
          [--engines sqlite postgres]
The Bot API test server enforces a global limit (--limit messages per second over any one-second
window, answering 429 with retry_after above it); the bot runs as a real process (`python -m bot`)
with BROADCAST_RATE just under it (95%). Prints, per size: achieved rate / configured rate, 429s
received, duplicates, the bot's peak RSS, and the latency of /random replies asked for every 100 ms
while the broadcast runs. The baseline is the configured rate itself, and the 10,000-subscriber run
for memory. With postgres among --engines, the same runs on a PostgreSQL server the benchmark starts
(tests/support/database.py; TEST_DATABASE_URL names one already running).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.stats import percentile  # noqa: E402
from bot.core.storage import Storage  # noqa: E402
from tests.support.botapi import TOKEN, BotAPIServer, User  # noqa: E402
from tests.support.database import postgres, schema_for  # noqa: E402

INTERACTIVE_USER = 10**9  # not a subscriber


async def prepare(path: Path | str, subscribers: int) -> None:
    """A database whose subscribers are all due now (00:00 UTC today has passed)."""
    storage = await Storage.open(path)
    await storage.close()
    now = datetime.now(UTC)
    due = (now - timedelta(minutes=1)).isoformat(timespec="seconds")
    stamp = now.isoformat(timespec="seconds")
    if isinstance(path, str):  # PostgreSQL: copied in, as fast as SQLite's executemany
        import asyncpg

        connection = await asyncpg.connect(path)
        users = [(u, stamp, stamp) for u in range(1, subscribers + 1)]
        await connection.copy_records_to_table(
            "users", records=users, columns=["id", "first_seen", "last_seen"]
        )
        columns = ["user_id", "chat_id", "local_time", "zone", "language", "active", "next_due", "updated_at"]
        rows = [(u, u, "00:00", "UTC", "en", 1, due, stamp) for u in range(1, subscribers + 1)]
        await connection.copy_records_to_table("subscriptions", records=rows, columns=columns)
        await connection.execute("ANALYZE")
        await connection.close()
        return
    db = sqlite3.connect(path)
    db.executemany(
        "INSERT INTO users (id, first_seen, last_seen) VALUES (?, ?, ?)",
        ((u, stamp, stamp) for u in range(1, subscribers + 1)),
    )
    db.executemany(
        "INSERT INTO subscriptions (user_id, chat_id, local_time, zone, language, active, next_due, "
        "updated_at) VALUES (?, ?, '00:00', 'UTC', 'en', 1, ?, ?)",
        ((u, u, due, stamp) for u in range(1, subscribers + 1)),
    )
    db.commit()
    db.close()


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def run(subscribers: int, limit: float, engine: str) -> dict[str, float]:
    server = BotAPIServer(rate_limit=limit)
    await server.start()
    rate = limit * 0.95
    with tempfile.TemporaryDirectory() as folder:
        database: Path | str = Path(folder) / "bot.sqlite3"
        if engine == "postgres":
            database = schema_for(postgres(), Path(folder))
        await prepare(database, subscribers)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("BOT_")},
            "BOT_TOKEN": TOKEN,
            "BOT_API_BASE_URL": server.base_url,
            "DATABASE_PATH": str(Path(folder) / "bot.sqlite3"),
            **({"DATABASE_URL": database} if isinstance(database, str) else {}),
            "CATALOGUE_PATH": str(ROOT / "data" / "films.yaml"),
            "BROADCAST_RATE": str(rate),
            "PAID_BROADCAST": "true" if rate > 30 else "false",  # Telegram charges above 30 a second
            "LOG_LEVEL": "WARNING",
            "LINK_CHECK_HOURS": "0",  # benchmarks stay on this machine
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=folder, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        user = User(INTERACTIVE_USER, "Asker", "en")
        latencies: list[float] = []

        scanned = 0
        delivered = 0

        def daily() -> int:
            """Daily messages delivered so far (counted incrementally: the server keeps every call)."""
            nonlocal scanned, delivered
            calls = server.calls
            for call in calls[scanned:]:
                if (
                    call.method == "sendMessage"
                    and "_sent" in call.params
                    and call.chat_id != INTERACTIVE_USER
                ):
                    delivered += 1
            scanned = len(calls)
            return delivered

        deadline = time.monotonic() + subscribers / rate * 2 + 60
        while not daily() and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        while daily() < subscribers and time.monotonic() < deadline:
            asked = time.monotonic()
            reply = await server.reply_to(user, "/random", timeout=30)
            latencies.append((reply.at - asked) * 1000)
            await asyncio.sleep(max(0.0, 0.1 - (time.monotonic() - asked)))
        await asyncio.sleep(1.0)
        rss = peak_rss_mib(process.pid)
        process.send_signal(signal.SIGTERM)
        await server.release_polling()
        await process.wait()
        bot_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        server_cpu = resource.getrusage(resource.RUSAGE_SELF)
    sends = [
        c
        for c in server.calls
        if c.method == "sendMessage" and "_sent" in c.params and c.chat_id != INTERACTIVE_USER
    ]
    counts = Counter(c.chat_id for c in sends)
    seconds = sends[-1].at - sends[0].at if len(sends) > 1 else float("nan")
    achieved = (len(sends) - 1) / seconds
    await server.stop()
    result = {
        "subscribers": subscribers,
        "delivered": len(counts),
        "configured": rate,
        "achieved": achieved,
        "ratio": achieved / rate,
        "429s": server.rejected_429,
        "duplicates": sum(n - 1 for n in counts.values()),
        "rss_mib": rss,
        "interactive_p50": statistics.median(latencies) if latencies else float("nan"),
        "interactive_p99": percentile(latencies, 0.99),
        "interactive_n": len(latencies),
    }
    print(
        f"{engine}: {subscribers:>7,} subscribers: delivered {result['delivered']:,} in {seconds:.1f} s, "
        f"{achieved:.1f}/s of {rate:.0f}/s configured = {result['ratio']:.3f}\n"
        f"  429s {result['429s']}, duplicates {result['duplicates']}, peak RSS {rss:.1f} MiB\n"
        f"  CPU so far: bot processes {bot_cpu.ru_utime + bot_cpu.ru_stime:.1f} s, "
        f"this process (test server) {server_cpu.ru_utime + server_cpu.ru_stime:.1f} s\n"
        f"  /random during the broadcast: n={result['interactive_n']}, "
        f"p50 {result['interactive_p50']:.1f} ms, p99 {result['interactive_p99']:.1f} ms"
    )
    return result


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--limit", type=float, default=1000.0, help="the test server's messages per second")
    parser.add_argument(
        "--engines", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    args = parser.parse_args()
    print(f"test server limit {args.limit:.0f} msg/s; BROADCAST_RATE {args.limit * 0.95:.0f}\n")
    for engine in args.engines:
        results = [await run(size, args.limit, engine) for size in args.sizes]
        if len(results) > 1:
            small, large = results[0], results[-1]
            ratio = large["rss_mib"] / small["rss_mib"]
            sizes = f"{large['subscribers']:,} / {small['subscribers']:,} subscribers"
            print(f"\n{engine}: peak RSS {sizes}: {ratio:.3f}\n")


if __name__ == "__main__":
    asyncio.run(main())
