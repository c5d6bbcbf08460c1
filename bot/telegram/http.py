"""The bot's HTTP client for the Bot API: python-telegram-bot's request interface over aiohttp.

PTB's default client (httpx over httpcore) spends about 1.5 ms of CPU per request in its own
machinery (connection-pool bookkeeping, async-library detection), which caps a daily broadcast
near 500 messages per second on a small machine. aiohttp's client does the same work for a
fraction of that. Everything else (parameters, errors, retries) stays PTB's.
"""

from __future__ import annotations

import asyncio
import json

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.telegram.metrics import Figures

# PTB's "not given" marker, reached through its public BaseRequest rather than its private modules.
_DEFAULT = BaseRequest.DEFAULT_NONE
_Default = type(_DEFAULT)
_JSON = {"Content-Type": "application/json"}


def _given(value: object, fallback: float | None) -> float | None:
    """A timeout PTB passed, or our default where it passed its "not given" marker."""
    if isinstance(value, _Default):
        return fallback
    return value if isinstance(value, int | float) or value is None else fallback


class AiohttpRequest(BaseRequest):
    def __init__(
        self,
        connection_pool_size: int = 64,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ):
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    metrics: Figures | None = None  # Bot API calls counted, when the composition root sets it

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=self._pool_size))

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = _DEFAULT,
        write_timeout: object = _DEFAULT,
        connect_timeout: object = _DEFAULT,
        pool_timeout: object = _DEFAULT,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        read = _given(read_timeout, self._read_timeout)
        write = _given(write_timeout, self._write_timeout)
        connect = _given(connect_timeout, self._connect_timeout)
        pool = _given(pool_timeout, self._pool_timeout)
        waiting = None if connect is None and pool is None else (connect or 0) + (pool or 0)
        timeout = aiohttp.ClientTimeout(
            total=None, connect=waiting, sock_connect=connect, sock_read=read if read is not None else write
        )
        # One JSON body (as Telegram accepts): cheaper than url-encoding long HTML texts, which cost
        # about 5 % of the bot's CPU per reply. Files still go as multipart form data.
        data: aiohttp.FormData | bytes | None = None
        headers = None
        if request_data is not None and request_data.contains_files:
            form = aiohttp.FormData()
            for name, value in request_data.json_parameters.items():
                form.add_field(name, value)
            for name, part in request_data.multipart_data.items():
                filename, content, *mime = part
                form.add_field(name, content, filename=filename, content_type=mime[0] if mime else None)
            data = form
        elif request_data is not None:
            data, headers = json.dumps(request_data.parameters, ensure_ascii=False).encode(), _JSON
        try:
            async with self._session.request(
                method, url, data=data, headers=headers, timeout=timeout
            ) as response:
                body = await response.read()
                if self.metrics is not None:
                    self.metrics.api_call(
                        url.rsplit("/", 1)[-1], response.status, _retry_after(response.status, body)
                    )
                return response.status, body
        except TimeoutError as exc:
            raise TimedOut from exc
        except asyncio.CancelledError:
            raise
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{exc.__class__.__name__}: {exc}") from exc


def _retry_after(status: int, body: bytes) -> float | None:
    """A 429's retry_after, as Telegram's error body gives it."""
    if status != 429:
        return None
    try:
        return float(json.loads(body)["parameters"]["retry_after"])
    except (ValueError, KeyError, TypeError):
        return None
