"""What an operator sees: the bot's figures in Prometheus's text format, on a port of its own
(METRICS_PORT; off by default). One registry per bot, so that two bots in one process (the tests)
never mix their counts.

Counted as they happen: updates by kind, each handler's latency and errors, Bot API calls by method
and result, 429s and the retry-after Telegram asked for, the films of the day by outcome, database
writes' latency. Read at each scrape from the database: subscribers, films of the day waiting, and
how late the oldest of them is (the alert in the README fires above ten minutes)."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger(__name__)

PREFIX = "filmbot"
UPDATE_KINDS = (
    "message", "edited_message", "callback_query", "inline_query", "chosen_inline_result", "poll",
    "poll_answer", "my_chat_member", "chat_member",
)  # fmt: skip


class Figures:
    """What the handlers and the sender report to; this one keeps nothing (METRICS_PORT unset: the
    bot does not even import prometheus-client)."""

    def update(self, kind: str) -> None:
        return None

    def api_call(self, method: str, status: int, retry_after: float | None = None) -> None:
        return None

    def daily_film(self, outcome: str) -> None:
        return None

    async def timed(self, handler: str, call: Callable[[], Awaitable[None]]) -> None:
        await call()


class Metrics(Figures):
    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.updates = Counter(f"{PREFIX}_updates", "Updates received, by kind", ["kind"], registry=r)
        self.handler_seconds = Histogram(
            f"{PREFIX}_handler_seconds", "Time a handler took, by handler", ["handler"], registry=r,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
        )  # fmt: skip
        self.handler_errors = Counter(
            f"{PREFIX}_handler_errors", "Handlers that raised, by handler", ["handler"], registry=r
        )
        self.api_calls = Counter(
            f"{PREFIX}_bot_api_calls",
            "Bot API requests, by method and result",
            ["method", "result"],
            registry=r,
        )
        self.retry_after = Histogram(
            f"{PREFIX}_bot_api_retry_after_seconds", "Retry-after of Telegram's 429s", registry=r,
            buckets=(1, 2, 5, 10, 30, 60, 300),
        )  # fmt: skip
        self.daily_films = Counter(
            f"{PREFIX}_daily_films", "Films of the day sent, by outcome", ["outcome"], registry=r
        )
        self.daily_waiting = Gauge(
            f"{PREFIX}_daily_films_waiting", "Films of the day due, not yet sent", registry=r
        )
        self.daily_late = Gauge(
            f"{PREFIX}_daily_films_late_seconds", "How long the oldest waiting film of the day has been due",
            registry=r,
        )  # fmt: skip
        self.subscribers = Gauge(
            f"{PREFIX}_subscribers", "Active subscriptions to the film of the day", registry=r
        )
        self.db_seconds = Histogram(
            f"{PREFIX}_database_write_seconds", "Time a database write took", registry=r,
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0),
        )  # fmt: skip

    def update(self, kind: str) -> None:
        self.updates.labels(kind if kind in UPDATE_KINDS else "other").inc()

    def daily_film(self, outcome: str) -> None:
        self.daily_films.labels(outcome).inc()

    def api_call(self, method: str, status: int, retry_after: float | None = None) -> None:
        result = "ok" if status == 200 else str(status)
        self.api_calls.labels(method, result).inc()
        if status == 429 and retry_after is not None:
            self.retry_after.observe(retry_after)

    async def timed(self, handler: str, call: Callable[[], Awaitable[None]]) -> None:
        started = time.perf_counter()
        try:
            await call()
        except Exception:
            self.handler_errors.labels(handler).inc()
            raise
        finally:
            self.handler_seconds.labels(handler).observe(time.perf_counter() - started)

    def text(self) -> bytes:
        from prometheus_client.exposition import generate_latest

        return bytes(generate_latest(self.registry))


class MetricsServer:
    """GET /metrics on its own port; `refresh` reads the database's figures before each scrape."""

    def __init__(self, metrics: Metrics, refresh: Callable[[], Awaitable[None]]):
        self._metrics = metrics
        self._refresh = refresh
        self._runner: Any = None  # aiohttp's web.AppRunner, once started

    async def _scrape(self, request: web.Request) -> web.Response:
        from aiohttp import web
        from prometheus_client.exposition import CONTENT_TYPE_LATEST

        try:
            await self._refresh()
        except Exception as exc:  # the counters still answer; the figures read are the last ones
            log.warning("metrics: the database figures were not read: %s", exc)
        body = self._metrics.text()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def start(self, host: str, port: int) -> None:
        from aiohttp import web

        app = web.Application()
        app.router.add_get("/metrics", self._scrape)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        log.info("metrics on http://%s:%d/metrics", host, port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
