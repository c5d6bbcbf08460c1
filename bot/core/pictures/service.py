"""Pictures: drawn off the event loop, named by what they show, and uploaded to Telegram once.

A picture is named by its design and a digest of its words (card.card_key); the first upload's
file_id is kept under that name and every later send reuses it. Drawing runs in a small thread
pool: Pillow lets go of the interpreter while it rasterises and compresses, and the event loop keeps
answering while a card is drawn."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.core.catalogue.model import Film
from bot.core.models import Language
from bot.core.recap.year import YearRecap, year_lines
from bot.core.storage import Storage

from .card import DESIGN, card_key, card_plan
from .layout import Plan, png
from .table import PictureTable

RENDER_THREADS = 2


UPLOAD_LOCKS = 64


@dataclass(frozen=True)
class Picture:
    """A picture to send: its name, Telegram's file_id for it once uploaded, and its plan (built
    only when the picture must be drawn)."""

    key: str
    file_id: str | None
    plan: Callable[[], Plan]


class Pictures:
    def __init__(self, storage: Storage):
        self._table = storage.table(PictureTable)
        self._pool = ThreadPoolExecutor(RENDER_THREADS, thread_name_prefix="pictures")
        self._locks = [asyncio.Lock() for _ in range(UPLOAD_LOCKS)]

    async def card(self, film: Film, language: Language) -> Picture:
        key = card_key(film, language)
        return Picture(key, await self._table.file_id(key), lambda: card_plan(film, language))

    def year(self, summary: YearRecap, language: Language) -> Picture:
        """A user's year as a picture, named by everything it shows (the same year sent twice is
        uploaded once)."""
        from .year import year_plan

        words = [DESIGN, *(line for _, line in year_lines(summary, language))]
        words += [f"{decade}:{count}" for decade, count in summary.decades]
        digest = hashlib.sha256("\n".join(words).encode()).hexdigest()[:20]
        return Picture(f"year:{summary.year}-{language}:{digest}", None, lambda: year_plan(summary, language))

    async def draw(self, picture: Picture) -> bytes:
        """The picture as PNG bytes, planned and drawn on the pool's threads."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, lambda: png(picture.plan()))

    async def file_id(self, key: str) -> str | None:
        return await self._table.file_id(key)

    @asynccontextmanager
    async def uploading(self, key: str) -> AsyncIterator[None]:
        """One upload of a picture at a time: a second send of it waits, then finds its file_id."""
        async with self._locks[hash(key) % UPLOAD_LOCKS]:
            yield

    async def uploaded(self, key: str, file_id: str) -> None:
        await self._table.remember(key, file_id)

    async def refused(self, key: str) -> None:
        """Telegram no longer knows the file_id (another bot token, say): the next send uploads."""
        await self._table.forget(key)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
