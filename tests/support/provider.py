"""A fake of the outside world for the watch-link checks: YouTube's oEmbed endpoint, a studio's
site and the film sites' pages (IMDb, Letterboxd, Kinopoisk), served on 127.0.0.1 over real HTTPS
(a certificate from a test authority, tests/support/certs) and plain HTTP. `session()` is an HTTP
client whose every host name resolves to this server, so the catalogue's real addresses
(www.youtube.com, cinema.mosfilm.ru, www.imdb.com) reach it unchanged."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

CERTS = Path(__file__).resolve().parent / "certs"


@dataclass
class Video:
    """What oEmbed answers for one video: 200 with its title and channel, or an error status,
    or (`stall`) nothing until the client gives up, or (`garbage`) a 200 that is not JSON."""

    title: str = ""
    author: str = "Mosfilm"
    status: int = 200
    stall: bool = False
    garbage: bool = False


def good(title: str) -> Video:
    return Video(title)


CRANES = "2rINnJat-5k"
IRONY_1, IRONY_2 = "ms5Ga6kNvHM", "luHarTc90QA"


def mosfilm_videos() -> dict[str, Video]:
    """The eight films' videos as the sheet lists them (watch-links.yaml)."""
    return {
        "_394TmF4DKY": good("A Cruel Romance | MELODRAMA | FULL MOVIE"),
        "NTWA_7-ld_U": good("Moscow does not believe in tears | AWARD WINNING | FULL MOVIE"),
        CRANES: good("The Cranes are Flying | DRAMA | FULL MOVIE"),
        IRONY_1: good("The Irony of Fate, Part One | ROMANTIC COMEDY | FULL MOVIE"),
        IRONY_2: good("The Irony of Fate, Part Two | ROMANTIC COMEDY | FULL MOVIE"),
        "EF3A9mmRzGc": good("Uncle Vanya | CHEKHOV DRAMA | FULL MOVIE"),
        "XNrAhFUWimI": good("An Unfinished Piece for Mechanical Piano | CHEKHOV DRAMA | FULL MOVIE"),
        "LxEFja8NYac": good("Several days from the life of I. I. Oblomov | DRAMA | FULL MOVIE"),
        "USSRE6d6qcA": good("The Forty-First | DRAMA | FULL MOVIE"),
    }


@dataclass
class FakeProvider:
    videos: dict[str, Video] = field(default_factory=dict)  # by video id (?v=)
    site_status: int = 200
    gone: set[str] = field(default_factory=set)  # pages (by address) that answer 404 Not Found
    asked: list[str] = field(default_factory=list)  # the addresses asked about, in order

    def __post_init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self._stopping = asyncio.Event()  # ends the stalled answers, so the server stops at once
        self.https_port = 0
        self.http_port = 0

    @property
    def oembed_url(self) -> str:
        """The endpoint over plain HTTP, for a bot run as a process (OEMBED_URL)."""
        return f"http://127.0.0.1:{self.http_port}/oembed"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/oembed", self._oembed)
        app.router.add_get("/{tail:.*}", self._page)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(CERTS / "server.pem", CERTS / "server.key")
        secure = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=tls)
        plain = web.TCPSite(self._runner, "127.0.0.1", 0)
        await secure.start()
        await plain.start()
        self.https_port, self.http_port = _port(secure), _port(plain)

    async def stop(self) -> None:
        self._stopping.set()
        if self._runner is not None:
            await self._runner.cleanup()

    @asynccontextmanager
    async def session(self) -> AsyncIterator[aiohttp.ClientSession]:
        """A client that trusts the test authority and reaches this server for every host."""
        trust = ssl.create_default_context(cafile=CERTS / "ca.pem")
        connector = aiohttp.TCPConnector(resolver=_Loopback(self.https_port), ssl=trust)
        async with aiohttp.ClientSession(connector=connector) as session:
            yield session

    async def _oembed(self, request: web.Request) -> web.StreamResponse:
        url = request.query.get("url", "")
        self.asked.append(url)
        if request.query.get("format") != "json":
            return web.Response(status=501, text="Not Implemented")
        video_id = (parse_qs(urlsplit(url).query).get("v") or [""])[0]
        video = self.videos.get(video_id)
        if video is None:
            return web.Response(status=404, text="Not Found")
        if video.stall:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), 30)
        if video.garbage:
            return web.Response(text="<html>Our systems have detected unusual traffic</html>")
        if video.status != 200:
            return web.Response(status=video.status, text="Unauthorized" if video.status == 401 else "Error")
        body: dict[str, Any] = {
            "title": video.title,
            "author_name": video.author,
            "author_url": "https://www.youtube.com/@Mosfilm_eng",
            "type": "video",
            "version": "1.0",
            "provider_name": "YouTube",
            "provider_url": "https://www.youtube.com/",
        }
        return web.Response(text=json.dumps(body), content_type="application/json")

    async def _page(self, request: web.Request) -> web.StreamResponse:
        self.asked.append(str(request.url))
        if f"https://{request.host}{request.path_qs}" in self.gone:
            return web.Response(status=404, text="<html>404 Not Found</html>", content_type="text/html")
        return web.Response(
            status=self.site_status, text="<html>Онлайн-кинотеатр</html>", content_type="text/html"
        )


class _Loopback(AbstractResolver):
    def __init__(self, port: int):
        self._port = port

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            ResolveResult(
                hostname=host, host="127.0.0.1", port=self._port, family=socket.AF_INET, proto=0, flags=0
            )
        ]

    async def close(self) -> None:
        return None


def _port(site: web.TCPSite) -> int:
    server = site._server
    assert isinstance(server, asyncio.base_events.Server)
    return int(server.sockets[0].getsockname()[1])
