"""What the handlers work with: settings, storage and the current catalogue with its index.

Nothing here knows about Telegram; handlers translate updates into these calls.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from bot.catalogue import Catalogue, CatalogueError, Film, Language, load_catalogue
from bot.config import Settings
from bot.search import SearchIndex
from bot.storage import Storage
from bot.texts import as_language, default_language
from bot.texts.cards import oversized_cards

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Library:
    """A catalogue and the index built from it, swapped together."""

    catalogue: Catalogue
    index: SearchIndex


def open_library(path: Path) -> Library:
    """Load, validate (including card sizes) and index a catalogue; CatalogueError on any problem."""
    catalogue = load_catalogue(path)
    problems = [f"{path}: {p}" for p in oversized_cards(catalogue.visible)]
    if problems:
        raise CatalogueError(problems)
    return Library(catalogue, SearchIndex(catalogue.visible))


Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


class Services:
    def __init__(self, settings: Settings, storage: Storage, library: Library, clock: Clock = system_clock):
        self.settings = settings
        self.storage = storage
        self.library = library
        self.clock = clock  # tests pass their own to move through days without waiting for them
        self.rng = random.Random()
        self._reloading = asyncio.Lock()

    @classmethod
    async def open(cls, settings: Settings, clock: Clock = system_clock) -> Services:
        library = open_library(settings.catalogue_path)
        storage = await Storage.open(settings.database_path)
        return cls(settings, storage, library, clock)

    async def close(self) -> None:
        await self.storage.close()

    async def reload(self) -> tuple[Library, Library]:
        """Re-read CATALOGUE_PATH and swap it in whole: (old, new). The index is built in a worker
        thread, off the event loop; requests already running keep the library they started with.
        CatalogueError (nothing swapped) if the file is not valid."""
        async with self._reloading:
            new = await asyncio.to_thread(open_library, self.settings.catalogue_path)
            old, self.library = self.library, new
            log.info(
                "catalogue reloaded: %d visible films (was %d)",
                len(new.catalogue.visible),
                len(old.catalogue.visible),
            )
            return old, new

    @property
    def catalogue(self) -> Catalogue:
        return self.library.catalogue

    @property
    def index(self) -> SearchIndex:
        return self.library.index

    async def language(self, user_id: int, language_code: str | None) -> Language:
        """Record that the user was seen; their chosen language, else the one their Telegram client
        suggests. One database statement for both."""
        return as_language(await self.storage.touch_user(user_id)) or default_language(language_code)

    def today(self) -> date:
        """Today's date in TIMEZONE."""
        return self.clock().astimezone(self.settings.zone).date()

    async def film_of_the_day(self, day: date) -> Film:
        visible = self.catalogue.visible
        film_id = await self.storage.film_of_the_day(day, [f.id for f in visible])
        film = self.catalogue.get(film_id)
        assert film is not None, "storage returned a film outside the visible catalogue"
        return film

    async def random_film(self, user_id: int) -> Film:
        """A random visible film, never the user's previous random pick."""
        film = self.catalogue.random_film(self.rng, exclude=await self.storage.last_random(user_id))
        await self.storage.set_last_random(user_id, film.id)
        return film
