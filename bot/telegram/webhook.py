"""Webhook mode (WEBHOOK_URL set): Telegram POSTs each update to WEBHOOK_PATH; the bot checks the
secret Telegram sends with it, reads the update and queues it for the application, as long polling
does (PTB: "custom webhook" — the application's update queue fed by one's own web server).

Served by aiohttp's web server, imported only in this mode, rather than PTB's tornado one (its
`webhooks` extra): tornado was imported at every start, long polling too (~35 ms), and it answered
a malformed body with 500 where this answers 400.

- a missing or wrong `X-Telegram-Bot-Api-Secret-Token` → 403; the update is not read;
- a body that is not an update (not JSON, not an object, not an update's shape) → 400;
- a body over MAX_BODY → 413 (an update is a few kilobytes);
- an update → 200 once it is queued; a second copy of one (Telegram resends an update it got no
  200 for) → 200, and it is not handled again (update ids are kept a day).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import TYPE_CHECKING

from telegram import Update
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.config import Settings
from bot.telegram.context import BotApplication
from bot.telegram.waiting import Backoff, unless_stopped

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024


class WebhookRefused(Exception):
    """Telegram refused the webhook (its address, say); the message says what to fix."""


class Webhook:
    def __init__(self, app: BotApplication, settings: Settings) -> None:
        assert settings.webhook_url and settings.webhook_secret
        self._app = app
        self._settings = settings
        self._url = settings.webhook_url
        self._secret = settings.webhook_secret.get_secret_value().encode()
        self._runner: web.AppRunner | None = None

    async def start(self, stop: asyncio.Event, max_delay: float = 60.0) -> None:
        """Listen, then tell Telegram where to post, retrying while it is unreachable. Stopped if a
        stop is asked for meanwhile (which ends the attempt and the waiting at once), WebhookRefused
        if Telegram will not have it; either way nothing is left listening."""
        from aiohttp import web

        server = web.Application(client_max_size=MAX_BODY)
        server.router.add_post(self._settings.webhook_path, self._receive)
        self._runner = web.AppRunner(server, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._settings.webhook_listen, self._settings.webhook_port)
        try:
            await site.start()
            await self._register(stop, max_delay)
        except BaseException:
            await self.stop()
            raise

    async def _register(self, stop: asyncio.Event, max_delay: float) -> None:
        backoff = Backoff(stop, max_delay)
        while True:
            try:
                await unless_stopped(
                    stop,
                    self._app.bot.set_webhook(
                        self._url, secret_token=self._secret.decode(), allowed_updates=Update.ALL_TYPES
                    ),
                )
                return
            except BadRequest as exc:
                raise WebhookRefused(f"Telegram refused WEBHOOK_URL {self._url}: {exc.message}") from None
            except (NetworkError, TimedOut) as exc:
                log.warning("could not set the webhook (%s); retrying in %.0f s", exc, backoff.delay)
                await backoff.wait()

    async def stop(self) -> None:
        """Take no more updates (Telegram keeps the webhook and retries what it could not post)."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _receive(self, request: web.Request) -> web.StreamResponse:
        from aiohttp import web

        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            return web.Response(status=403)
        try:
            data = await request.json()
        except web.HTTPRequestEntityTooLarge:
            return web.Response(status=413)
        except ValueError:  # not JSON
            return web.Response(status=400)
        try:
            update = Update.de_json(data, self._app.bot) if isinstance(data, dict) else None
        except Exception:  # PTB's reader assumes Telegram's shapes; it fails in many ways otherwise
            update = None
        if update is None or not isinstance(data.get("update_id"), int):
            log.info("webhook: a signed body that is not an update was refused")
            return web.Response(status=400)
        core = self._app.bot_data.core
        if core is not None and not await core.first_time(update.update_id):
            log.info("webhook: update %s came again and was not handled twice", update.update_id)
            return web.Response()
        await self._app.update_queue.put(update)
        return web.Response()
