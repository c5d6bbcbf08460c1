"""Updates per second: the bot against the framework's floor and the fastest peer, in one run.

The loopback Bot API test server (tests/support/botapi.py) plays many concurrent users. Each bot
runs as its own process against its own fresh server:

- ours: `python -m bot`, fed a realistic mix: /random, /film with typos, inline queries, watchlist
  presses, /today;
- the floor: a minimal python-telegram-bot echo bot with the framework's defaults
  (benchmarks/peers/echo_ptb.py), fed the same texts as messages (it answers each with a fixed text);
- the peer: a minimal aiogram 3 echo bot (benchmarks/peers/echo_aiogram.py, pointed at the server
  with TelegramAPIServer), fed the same way, from its own virtual environment (.venv-peers, made by
  `make bench`; aiogram pins an older pydantic than ours).

For each: start-up to the first getUpdates (the median of --startups rounds, taken in turns, of a
first start on an empty data directory and a restart on it, with the bot's modules byte-compiled
first, as pip does in the image); the maximum rate (closed loop: USERS users, each sending
its next update as soon as the last was answered); the bot process's CPU time per update at that
rate; reply latency p50/p99 at half that rate (open loop, a fixed timetable). The rates and
latencies are taken with all the bots running, in turns of a fifth of each run, and with this
process's garbage collector paused. For ours, also RSS along a long run (--soak updates). Ratios
are against the floor and the peer measured in this run.

    .venv/bin/python benchmarks/bench_updates.py            # --seconds 15 --users 128 --soak 100000
    .venv/bin/python benchmarks/bench_updates.py --only ours --against HEAD~3 --soak 0
    .venv/bin/python benchmarks/bench_updates.py --only ours --postgres --soak 0

With --against REV, the bot as it was at git revision REV (a temporary worktree) is measured too,
in the same turns, and ours is given as a ratio to it: a change's cost, side by side. With
--postgres, the bot on PostgreSQL too (a server the benchmark starts, tests/support/database.py),
against the bot on SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import contextlib
import gc
import itertools
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from asyncio.subprocess import Process
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.stats import percentile  # noqa: E402
from tests.support.botapi import TOKEN, BotAPIServer, Call, User  # noqa: E402
from tests.support.database import postgres, schema_for  # noqa: E402

TYPOS = ["irony of fat", "cranes are flyng", "zhuravli", "ирония судьбы", "moskva slezam ne verit",
         "office romanse", "seventeen moments", "белые ночи", "garnet braclet", "дядя ваня",
         "amphibia man", "lady with dog", "ryazanov", "konchalovsky 1970", "осенний марафон"]  # fmt: skip
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_mib(pid: int) -> float:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE / 2**20


@dataclass
class Contestant:
    name: str
    argv: list[str]
    env: dict[str, str]
    mixed: bool  # fed the whole mix (ours), or messages only (the echo bots)


@dataclass
class Traffic:
    """Sends updates as users and tells when each is answered."""

    server: BotAPIServer
    mixed: bool
    waiting: dict[tuple[str, str], tuple[float, asyncio.Future[float]]] = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    films: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.server.listener = self.heard

    def heard(self, call: Call) -> None:
        if call.method in ("sendMessage", "sendDocument"):
            key = ("chat", str(call.chat_id))
        elif call.method == "answerInlineQuery":
            key = ("inline", str(call.params.get("inline_query_id")))
        elif call.method == "answerCallbackQuery":
            key = ("press", str(call.params.get("callback_query_id")))
        else:
            return
        entry = self.waiting.pop(key, None)
        if entry is not None and not entry[1].done():
            entry[1].set_result(time.monotonic() - entry[0])

    async def one(self, user: User) -> float:
        """One update from `user`; seconds until it was answered."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        roll = self.rng.random()
        if self.mixed and roll < 0.2:
            query_id = await self.server.inline_query(user, self.rng.choice(TYPOS))
            self.waiting[("inline", query_id)] = (time.monotonic(), future)
        elif self.mixed and roll < 0.35:
            verb = self.rng.choice(["add", "del", "seen"])
            film = self.rng.choice(self.films)
            card = Call("sendMessage", {"_sent": {"message_id": 1, "date": 0, "text": "card",
                                                  "chat": {"id": user.id, "type": "private"}}})  # fmt: skip
            key = ("press", "")
            started = time.monotonic()
            query_id = await self.server.press(user, card, f"v1:wl:{verb}:{film}")
            key = ("press", query_id)
            self.waiting[key] = (started, future)
        else:
            text = self.rng.choice(["/random", "/today", *(f"/film {t}" for t in TYPOS)])
            self.waiting[("chat", str(user.id))] = (time.monotonic(), future)
            await self.server.send_message(user, text)
        return await asyncio.wait_for(future, 30)


@contextlib.contextmanager
def harness_collector_paused() -> Iterator[None]:
    """This process's garbage collector off while a figure is taken, and run after. The test server
    keeps every call it served, so a full collection here grows with the run: 100-350 ms pauses,
    during which no reply is read, showed as the contestant's p99 (found with a gc callback)."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


async def closed_loop(traffic: Traffic, users: int, seconds: float) -> tuple[int, float]:
    """Every user sends again as soon as answered; (updates answered, seconds)."""
    done = 0
    stop_at = time.monotonic() + seconds

    async def user_loop(number: int) -> None:
        nonlocal done
        user = User(100_000 + number, f"U{number}", "ru" if number % 3 == 0 else "en")
        while time.monotonic() < stop_at:
            await traffic.one(user)
            done += 1

    started = time.monotonic()
    await asyncio.gather(*(user_loop(n) for n in range(users)))
    return done, time.monotonic() - started


POOL = 5_000  # users of the open loop: many more than are ever waiting at once


async def open_loop(traffic: Traffic, rate: float, seconds: float) -> list[float]:
    """Updates on a fixed timetable at `rate` per second, from a pool of POOL users (the first
    update of each is its first ever); latencies (ms)."""
    latencies: list[float] = []
    tasks = []
    users = itertools.cycle(range(500_000, 500_000 + POOL))
    started = time.monotonic()
    for number in range(int(rate * seconds)):
        await asyncio.sleep(max(0.0, started + number / rate - time.monotonic()))
        user = User(next(users), "L", "en")

        async def measure(user: User = user) -> None:
            latencies.append(await traffic.one(user) * 1000)

        tasks.append(asyncio.create_task(measure()))
    await asyncio.gather(*tasks)
    return latencies


def bot_env(entry: Contestant, server: BotAPIServer, folder: str) -> dict[str, str]:
    env = {**os.environ, **entry.env, "BOT_TOKEN": TOKEN}
    env |= {"BOT_API_BASE_URL": server.base_url, "BOT_API_ROOT": server.base_url.removesuffix("/bot")}
    if "POSTGRES" in entry.env:  # a fresh schema per data directory, as a fresh SQLite file
        env["DATABASE_URL"] = schema_for(entry.env["POSTGRES"], Path(folder))
    return env | {
        "DATABASE_PATH": str(Path(folder) / "bot.sqlite3"),
        "HEARTBEAT_PATH": str(Path(folder) / "hb"),
        "LINK_CHECK_HOURS": "0",  # benchmarks stay on this machine
    }


@asynccontextmanager
async def bot_running(
    entry: Contestant, server: BotAPIServer, data: str | None = None
) -> AsyncIterator[tuple[Process, float]]:
    """The bot as a process on the data directory `data` (by default a fresh one), once it has sent
    its first getUpdates: the process and the seconds from spawning it to that poll. Stopped with
    SIGTERM on the way out."""
    with contextlib.ExitStack() as stack:
        folder = data or stack.enter_context(tempfile.TemporaryDirectory())
        spawned = time.monotonic()
        process = await asyncio.create_subprocess_exec(
            *entry.argv,
            cwd=folder,
            env=bot_env(entry, server, folder),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        while server.first_poll_at is None:  # noqa: ASYNC110
            await asyncio.sleep(0.002)
        try:
            yield process, server.first_poll_at - spawned
        finally:
            process.send_signal(signal.SIGTERM)
            await server.release_polling()
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()


async def start_up(entry: Contestant, data: str) -> float:
    """Seconds from spawning the process to its first getUpdates, on a fresh server, with the data
    directory `data`."""
    server = BotAPIServer()
    await server.start()
    async with bot_running(entry, server, data) as (_, seconds):
        pass
    await server.stop()
    return seconds


@dataclass
class StartUps:
    first: list[float] = field(default_factory=list)  # on an empty data directory
    again: list[float] = field(default_factory=list)  # a restart: the data directory of the first


async def start_ups(entries: list[Contestant], rounds: int) -> dict[str, StartUps]:
    """Each contestant's start-ups, taken in turns (a round of each, then the next round), so that
    the machine's ups and downs fall on all of them alike: per round, a first start on an empty data
    directory, then a restart on it (the usual case: a deploy, a crash; the database, and what the
    bot keeps beside it, are there)."""
    measured = {entry.name: StartUps() for entry in entries}
    for _ in range(rounds):
        for entry in entries:
            with tempfile.TemporaryDirectory() as data:
                measured[entry.name].first.append(await start_up(entry, data))
                measured[entry.name].again.append(await start_up(entry, data))
    for entry in entries:
        m = measured[entry.name]
        print(
            f"{entry.name:>13}: start-up, restart {statistics.median(m.again):.2f} s "
            f"({min(m.again):.2f}–{max(m.again):.2f}); first start {statistics.median(m.first):.2f} s "
            f"({min(m.first):.2f}–{max(m.first):.2f}); median of {rounds}",
            flush=True,
        )
    return measured


ROUNDS = 5  # turns of each measurement


@dataclass
class Running:
    """A contestant's bot, running against its own server, and what was measured of it."""

    entry: Contestant
    traffic: Traffic
    process: Process
    done: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.done / self.seconds


async def contests(
    entries: list[Contestant], args: argparse.Namespace, startups: dict[str, StartUps]
) -> dict[str, dict[str, Any]]:
    """All the bots running at once, each against its own server, measured in turns: ROUNDS slices
    of the maximum-rate run for each, then ROUNDS slices of the half-load run, so that the
    machine's ups and downs fall on all alike (one bot after another, the ratios between them moved
    by 20 % and more with the machine). A bot not being measured waits in its long poll."""
    results: dict[str, dict[str, Any]] = {}
    async with contextlib.AsyncExitStack() as stack:
        running = []
        for entry in entries:
            server = BotAPIServer()
            await server.start()
            stack.push_async_callback(server.stop)  # after the bot has stopped
            process, _ = await stack.enter_async_context(bot_running(entry, server))
            traffic = Traffic(server, entry.mixed)
            if entry.mixed:
                import yaml

                catalogue = yaml.safe_load((ROOT / "data" / "films.yaml").read_text(encoding="utf-8"))
                traffic.films = [f["id"] for f in catalogue["films"] if not f.get("hidden")]
            await closed_loop(traffic, args.users, 2.0)  # warm-up
            running.append(Running(entry, traffic, process))
        for _ in range(ROUNDS):
            for bot in running:
                with harness_collector_paused():
                    cpu_before = cpu_seconds(bot.process.pid)
                    done, seconds = await closed_loop(bot.traffic, args.users, args.seconds / ROUNDS)
                    bot.cpu += cpu_seconds(bot.process.pid) - cpu_before
                bot.done, bot.seconds = bot.done + done, bot.seconds + seconds
        for _ in range(ROUNDS):
            for bot in running:
                with harness_collector_paused():
                    slice_seconds = min(args.seconds, 10.0) / ROUNDS
                    bot.latencies += await open_loop(bot.traffic, bot.rate / 2, slice_seconds)
        for bot in running:
            name = bot.entry.name
            result: dict[str, Any] = {
                "name": name,
                "startup_s": statistics.median(startups[name].again),
                "first_start_s": statistics.median(startups[name].first),
                "rate": bot.rate,
                "cpu_ms": bot.cpu / bot.done * 1000,
                "p50": statistics.median(bot.latencies),
                "p99": percentile(bot.latencies, 0.99),
                "rss": rss_mib(bot.process.pid),
            }
            print(
                f"{name:>13}: {bot.rate:,.0f} updates/s, "
                f"CPU {result['cpu_ms']:.3f} ms/update, half load p50 {result['p50']:.1f} ms / "
                f"p99 {result['p99']:.1f} ms, RSS {result['rss']:.1f} MiB",
                flush=True,
            )
            if bot.entry.mixed and args.soak:
                result["rss_along"] = await soak(bot.traffic, bot.process.pid, args.soak, args.users)
            results[name] = result
    return results


async def soak(traffic: Traffic, pid: int, total: int, users: int) -> list[tuple[int, float]]:
    """RSS after every tenth of `total` updates."""
    along: list[tuple[int, float]] = []
    done = 0
    step = total // 10

    async def user_loop(number: int, quota: int) -> None:
        user = User(700_000 + number % 5000, "S", "en")
        for _ in range(quota):
            await traffic.one(user)

    for _ in range(10):
        await asyncio.gather(*(user_loop(done + n, step // users) for n in range(users)))
        done += step // users * users
        along.append((done, rss_mib(pid)))
        print(f"  soak: {done:,} updates, RSS {along[-1][1]:.1f} MiB", flush=True)
    return along


def peers_python() -> str:
    candidate = ROOT / ".venv-peers" / "bin" / "python"
    if not candidate.exists():
        sys.exit("no .venv-peers for the aiogram peer: run `make bench-peers` first")
    return str(candidate)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15.0, help="length of the maximum-rate run")
    # 128: with 64, ours ran at 88 % of a core (the round trips, not the bot, set the pace) while
    # both echo bots were at 97-99 %; with 128 all three are saturated (BENCHMARKS.md).
    parser.add_argument("--users", type=int, default=128, help="concurrent users in the closed loop")
    parser.add_argument("--soak", type=int, default=100_000, help="updates for the RSS run (0: none)")
    parser.add_argument("--startups", type=int, default=7, help="spawns for the start-up median")
    parser.add_argument("--only", choices=["ours"], help="measure only the bot (for profiling)")
    parser.add_argument("--against", metavar="REV", help="also measure the bot at this git revision")
    parser.add_argument("--postgres", action="store_true", help="also measure the bot on PostgreSQL")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        before = stack.enter_context(worktree(args.against)) if args.against else None
        await measure(args, before)


@contextlib.contextmanager
def worktree(revision: str) -> Iterator[Path]:
    """A temporary checkout of `revision` beside this one (git worktree), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="bench-against-"))
    git = ["git", "-C", str(ROOT)]
    subprocess.run([*git, "worktree", "add", "--detach", "--quiet", str(folder), revision], check=True)
    try:
        yield folder
    finally:
        subprocess.run([*git, "worktree", "remove", "--force", str(folder)], check=False)


async def measure(args: argparse.Namespace, before: Path | None) -> None:
    # As in the image, where pip byte-compiles the installed package: start-up is not spent
    # compiling the bot's own modules (PYTHONDONTWRITEBYTECODE would otherwise make every spawn do it).
    compileall.compile_dir(ROOT / "bot", quiet=1)
    here: Callable[[str], list[str]] = lambda module: [sys.executable, "-m", module]  # noqa: E731
    ours = Contestant(
        "ours",
        here("bot"),
        {"LOG_LEVEL": "WARNING", "CATALOGUE_PATH": str(ROOT / "data" / "films.yaml")},
        True,
    )
    entries = [ours]
    if not args.only:
        ptb = Contestant("PTB echo", here("benchmarks.peers.echo_ptb"), {"PYTHONPATH": str(ROOT)}, False)
        aiogram = Contestant(
            "aiogram echo",
            [peers_python(), "-m", "benchmarks.peers.echo_aiogram"],
            {"PYTHONPATH": str(ROOT)},
            False,
        )
        entries = [ptb, aiogram, ours]
    if before is not None:
        compileall.compile_dir(before / "bot", quiet=1)
        catalogue = str(before / "data" / "films.yaml")
        env = {"LOG_LEVEL": "WARNING", "CATALOGUE_PATH": catalogue, "PYTHONPATH": str(before)}
        entries.append(Contestant(f"at {args.against}"[:13], here("bot"), env, True))
    if args.postgres:
        env = {**ours.env, "POSTGRES": postgres()}
        entries.append(Contestant("ours on PG", here("bot"), env, True))
    startups = await start_ups(entries, args.startups)
    results = await contests(entries, args, startups)
    if args.postgres:
        lite, pg = results["ours"], results["ours on PG"]
        print(
            f"\nPostgreSQL / SQLite: CPU per update {pg['cpu_ms'] / lite['cpu_ms']:.2f}×, "
            f"throughput {pg['rate'] / lite['rate']:.2f}×, "
            f"restart {pg['startup_s'] / lite['startup_s']:.2f}×, "
            f"p99 {pg['p99']:.1f} vs {lite['p99']:.1f} ms"
        )
    if before is not None:
        then, mine = results[f"at {args.against}"[:13]], results["ours"]
        print(
            f"\nagainst {args.against}: CPU per update {mine['cpu_ms'] / then['cpu_ms']:.2f}×, "
            f"throughput {mine['rate'] / then['rate']:.2f}×, "
            f"restart {mine['startup_s'] / then['startup_s']:.2f}×, "
            f"first start {mine['first_start_s'] / then['first_start_s']:.2f}×, "
            f"p99 {mine['p99']:.1f} vs {then['p99']:.1f} ms"
        )
    if args.only:
        return
    mine, floor, peer = results["ours"], results["PTB echo"], results["aiogram echo"]
    print()
    throughput = mine["rate"] / floor["rate"], mine["rate"] / peer["rate"]
    cpu = mine["cpu_ms"] / floor["cpu_ms"], mine["cpu_ms"] / peer["cpu_ms"]
    print(f"throughput: {throughput[0]:.2f}× the PTB echo floor, {throughput[1]:.2f}× aiogram echo")
    print(f"CPU per update: {cpu[0]:.2f}× the PTB floor's, {cpu[1]:.2f}× aiogram echo's")
    print(f"p99 at half load: {mine['p99']:.1f} ms")
    print(
        f"start-up to first getUpdates: restart {mine['startup_s']:.2f} s "
        f"({mine['startup_s'] / floor['startup_s']:.2f}× the PTB floor's {floor['startup_s']:.2f} s), "
        f"first start {mine['first_start_s']:.2f} s ({mine['first_start_s'] / floor['first_start_s']:.2f}×)"
    )
    if "rss_along" in mine:
        along = mine["rss_along"]
        print(f"RSS after {along[-1][0]:,} updates: {along[-1][1]:.1f} MiB; after warm-up ({along[1][0]:,}): "
              f"{along[1][1]:.1f} MiB; growth since: {along[-1][1] - along[1][1]:+.1f} MiB")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
