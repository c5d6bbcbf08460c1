"""The core as one object: every service, built over one storage and one catalogue.

Nothing here (or anywhere under bot/core/) knows about Telegram; the handlers in bot/telegram/
translate updates into these calls and their results into replies.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path

from bot.core import texts
from bot.core.diary.service import Diary
from bot.core.films import intents
from bot.core.films.card import Cards
from bot.core.films.service import Films, open_library
from bot.core.letterboxd.service import Letterboxd
from bot.core.models import Clock, Zone, system_clock
from bot.core.movienight.service import MovieNights
from bot.core.pictures.service import Pictures
from bot.core.quiz.service import Quiz
from bot.core.recap.service import Recaps
from bot.core.storage import Storage, StorageUnavailable
from bot.core.storage.rows import DatabaseError
from bot.core.storage.seen import SeenUpdates
from bot.core.subscriptions.delivery import Delivery, Timer
from bot.core.subscriptions.model import DeliveryStats
from bot.core.subscriptions.service import Subscriptions
from bot.core.turns import ChatTurns
from bot.core.users.service import Users
from bot.core.watch.service import WatchLinks
from bot.core.watchlists.service import Watchlists

BOOKKEEPING_SECONDS = 5.0
POLL_CHATS_KEPT = 10_000  # the chats of the polls answered lately, kept in memory


@dataclass(frozen=True)
class CoreSettings:
    """What the core needs to know of the operator's settings."""

    catalogue_path: Path
    database_path: Path
    zone: Zone  # "today" and the default zone for subscriptions
    daily_time: time  # the default hour for subscriptions
    broadcast_rate: float  # daily films per second
    database_url: str | None = None  # PostgreSQL instead of the file at database_path

    @property
    def database(self) -> Path | str:
        return self.database_url or self.database_path

    @property
    def remembered_catalogue(self) -> Path:
        """Where the last catalogue that passed every check is kept (bot/core/catalogue/cache.py)."""
        return self.database_path.parent / "catalogue.cache"


class Core:
    def __init__(
        self,
        settings: CoreSettings,
        storage: Storage,
        films: Films,
        clock: Clock = system_clock,
        timer: Timer | None = None,
        rng: random.Random | None = None,
    ):
        self.settings = settings
        self._storage = storage
        self.films = films
        self.users = Users(storage)
        self.diary = Diary(storage, films)
        self.watchlists = Watchlists(storage, films, self.diary, clock)
        self.watch = WatchLinks(storage, films, clock)
        self.cards = Cards(self.watchlists, self.diary, self.watch)
        self.subscriptions = Subscriptions(storage, clock, settings.daily_time, settings.zone)
        self.letterboxd = Letterboxd(storage, films)
        self.turns = ChatTurns()  # one chat's updates and passes in order
        self._poll_chats: dict[str, int] = {}
        self.movienights = MovieNights(storage, films, self.cards, clock, settings.zone, rng, self.turns)
        self.quiz = Quiz(storage, films, clock, rng, self.turns)
        self.delivery = Delivery(storage, films, self.cards, clock, settings.broadcast_rate, timer)
        self.pictures = Pictures(storage)
        self._seen = storage.table(SeenUpdates)
        self._clock = clock
        self._seen_pruned = clock()
        self.recaps = Recaps(self.diary, films)

    @classmethod
    async def open(
        cls, settings: CoreSettings, clock: Clock = system_clock, rng: random.Random | None = None
    ) -> Core:
        """Load the catalogue (CatalogueError) and open the database (StorageError).
        `clock` lets tests move through days without waiting for them."""
        remembered = settings.remembered_catalogue
        library = open_library(settings.catalogue_path, remembered)
        storage = await Storage.open(settings.database)
        films = Films(library, storage, settings.catalogue_path, settings.zone.tz, clock, rng, remembered)
        core = cls(settings, storage, films, clock, rng=rng)
        await core.watch.load()
        return core

    def preparations(self) -> list[Callable[[], object]]:
        """What replies need that start-up leaves for after the first long poll, step by step: the
        search index, the texts and plural rules of both languages, the patterns of plain requests,
        the vocabulary of requests (in a worker thread: a coroutine to await). Each is also made on
        first use, should a reply come first."""
        return [
            self.films.library.prepare,
            texts.prepare,
            intents.prepare,
            lambda: self.films.library.prepare_vocabulary(),
        ]

    async def reload(self) -> tuple[int, int]:
        """The catalogue re-read and swapped in whole (CatalogueError, and the old one keeps serving,
        if the file is not valid), and the watch links' verdicts (`check-links` may have run
        meanwhile): how many films were visible before and are now. SIGHUP and /reload alike."""
        with contextlib.suppress(StorageUnavailable, DatabaseError):
            await self.watch.load()
        old, new = await self.films.reload()
        return len(old.catalogue.visible), len(new.catalogue.visible)

    async def first_time(self, update_id: int) -> bool:
        """Whether an update reaches the bot for the first time (recorded; kept a day): Telegram
        resends one it got no 200 for. When the database cannot say, the update counts as new —
        handled rather than lost."""
        now = self._clock()
        try:
            if now - self._seen_pruned > timedelta(hours=1):
                self._seen_pruned = now
                await self._seen.forget_old(now)
            return await self._seen.first_time(update_id, now)
        except StorageUnavailable:
            return True

    async def stats(self) -> DeliveryStats:
        """What /stats shows: users, subscribers, today's deliveries, the last broadcast."""
        await self.users.flush()
        return await self.subscriptions.stats(self.films.today())

    async def keep_books(self, every: float = BOOKKEEPING_SECONDS) -> None:
        """Run for the bot's lifetime: write the bookkeeping (who was seen) every few seconds."""
        while True:
            await asyncio.sleep(every)
            await self.flush()

    async def chat_of_poll(self, poll_id: str) -> int | None:
        """The chat a poll of the bot's was sent to (a movie night's, a quiz's), if it is one."""
        if poll_id in self._poll_chats:
            return self._poll_chats[poll_id]
        chat = await self.movienights.chat_of_poll(poll_id)
        chat = chat if chat is not None else await self.quiz.chat_of_poll(poll_id)
        if chat is not None:  # a poll's chat never changes
            if len(self._poll_chats) >= POLL_CHATS_KEPT:
                self._poll_chats.clear()
            self._poll_chats[poll_id] = chat
        return chat

    async def flush(self) -> None:
        await self.users.flush()
        await self.films.flush()

    async def close(self) -> None:
        self.pictures.close()
        await self.flush()
        await self._storage.close()
