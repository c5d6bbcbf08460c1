"""The films service: the current catalogue and its index, finding a film by name, a random film
for a user, the film of the day, the browse and inline orders, and reloading the catalogue."""

from __future__ import annotations

import asyncio
import logging
import random
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from pathlib import Path

from bot.core.asking.answer import Asked, ask, by_key
from bot.core.asking.vocabulary import Vocabulary, build_vocabulary
from bot.core.catalogue import cache as catalogue_cache
from bot.core.catalogue.likeness import Alike, more_like
from bot.core.catalogue.loading import parse_file, read_file
from bot.core.catalogue.model import Catalogue, CatalogueError, Film, in_reading_order
from bot.core.catalogue.search import MAX_QUERY_CHARS, Found, SearchIndex, Verdict, fold
from bot.core.films.browse import DecadePage, decade_pages
from bot.core.films.card import oversized_cards
from bot.core.films.daily import film_of_the_day
from bot.core.films.table import FilmsTable
from bot.core.memory import Pending, Recent
from bot.core.models import Clock, Language, local_today
from bot.core.storage import Storage
from bot.core.watchlists.table import WatchlistTable

log = logging.getLogger(__name__)
LAST_REQUESTS = 10_000


class Library:
    """A catalogue and the index built from it, swapped together. The index is built on first use
    or by `prepare()`: at start-up the bot reaches Telegram first and builds it right after."""

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self._index: SearchIndex | None = None
        self._vocabulary: Vocabulary | None = None
        self._building = threading.Lock()

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            self._index = SearchIndex(self.catalogue.visible, self.catalogue.themes)
        return self._index

    @property
    def vocabulary(self) -> Vocabulary:
        """What requests in one's own words can name (see bot/core/asking), built on first use or
        by `prepare_vocabulary` (a second or so of CPU, in a worker thread after start-up)."""
        if self._vocabulary is None:
            with self._building:
                if self._vocabulary is None:
                    self._vocabulary = build_vocabulary(self.catalogue, self.catalogue.visible)
        return self._vocabulary

    def prepare(self) -> Library:
        """Build the index now (a reload does it in a worker thread, before the swap)."""
        _ = self.index
        return self

    def prepare_all(self) -> Library:
        """The index and the vocabulary (a reload's worker thread)."""
        _ = self.index, self.vocabulary
        return self

    async def prepare_vocabulary(self) -> None:
        await asyncio.to_thread(lambda: self.vocabulary)


def open_library(path: Path, remembered: Path | None = None) -> Library:
    """Load and validate (including card sizes) a catalogue; CatalogueError on any problem. With
    `remembered` (a file the bot may write, see catalogue_cache), a catalogue that passed before
    (the same bytes, the same checks) is taken from there, and one that passes now is kept there."""
    content = read_file(path)
    key = catalogue_cache.key_of(content) if remembered else b""
    if remembered and (catalogue := catalogue_cache.recall(remembered, key)):
        return Library(catalogue)
    catalogue = parse_file(content, path)
    problems = [f"{path}: {p}" for p in oversized_cards(catalogue.visible)]
    if problems:
        raise CatalogueError(problems)
    if remembered:
        catalogue_cache.remember(remembered, key, catalogue)
    return Library(catalogue)


RECOMMEND_MARK = "💌"  # an inline query that starts with it recommends the film its title names
PICTURE_MARK = "🖼"  # an inline query that starts with it shares the picture of the film its title names
NOTE_LIMIT = 140


@dataclass(frozen=True)
class Recommendation:
    film: Film
    note: str  # the recommender's words after the title; may be empty


def read_recommendation(query: str, index: SearchIndex) -> Recommendation | None:
    """`💌 <title> [note]` (what 💌 Recommend types, and the sender may add to): the film whose title,
    original title or alias the words start with (the longest such name), and the words after it."""
    if not query.startswith(RECOMMEND_MARK):
        return None
    found = _named_first(query.removeprefix(RECOMMEND_MARK), index)
    return None if found is None else Recommendation(found[0], found[1][:NOTE_LIMIT])


def read_picture(query: str, index: SearchIndex) -> Film | None:
    """`🖼 <title>` (what ↗ Share under a film's picture types): the film the title names."""
    if not query.startswith(PICTURE_MARK):
        return None
    found = _named_first(query.removeprefix(PICTURE_MARK), index)
    return None if found is None else found[0]


def _named_first(words_typed: str, index: SearchIndex) -> tuple[Film, str] | None:
    """The film whose title, original title or alias the words start with (the longest such name),
    and the words after it."""
    words = words_typed.split()
    for k in range(len(words), 0, -1):
        named = index.named(fold(" ".join(words[:k])))
        if named:
            return named[0], " ".join(words[k:])
    return None


@dataclass(frozen=True)
class InlinePage:
    films: tuple[Film, ...]
    next_offset: int | None  # None on the last page


class Films:
    def __init__(
        self,
        library: Library,
        storage: Storage,
        catalogue_path: Path,
        zone: tzinfo,
        clock: Clock,
        rng: random.Random | None = None,
        remembered: Path | None = None,
    ):
        self.library = library
        self._storage = storage
        self._table = storage.table(FilmsTable)
        self._path = catalogue_path
        self._remembered = remembered  # see open_library
        self._zone = zone
        self._clock = clock
        self._rng = rng or random.Random()
        self._reloading = asyncio.Lock()
        self._unsaved: Pending[int, str] = Pending("last random films", self._table.set_last_random)
        self._recent = Recent()
        self._requests: OrderedDict[int, str] = OrderedDict()  # each reader's last request (its key)

    @property
    def catalogue(self) -> Catalogue:
        return self.library.catalogue

    def get(self, film_id: str) -> Film | None:
        """A visible film by id."""
        return self.catalogue.get(film_id)

    def more_like(self, film: Film) -> list[Alike]:
        """🎞 More like this: the visible films sharing the most with `film`."""
        return more_like(film, self.catalogue.visible, self.catalogue.themes)

    async def reload(self) -> tuple[Library, Library]:
        """Re-read the catalogue file and swap it in whole: (old, new). The index is built in a worker
        thread, off the event loop; requests already running keep the library they started with.
        CatalogueError (nothing swapped) if the file is not valid."""
        async with self._reloading:
            new = await asyncio.to_thread(lambda: open_library(self._path, self._remembered).prepare_all())
            old, self.library = self.library, new
            log.info(
                "catalogue reloaded: %d visible films (was %d)",
                len(new.catalogue.visible),
                len(old.catalogue.visible),
            )
            return old, new

    def find(self, query: str) -> Found:
        """What `/film <query>` (or plain text) shows: one film, a choice, suggestions, or why not."""
        query = query.strip()
        if not query:
            return Found(Verdict.EMPTY, ())
        if len(query) > MAX_QUERY_CHARS:
            return Found(Verdict.TOO_LONG, ())
        return self.library.index.find(query)

    def ask(self, message: str, language: Language) -> Asked:
        """A message in one's own words, read (see bot/core/asking)."""
        library = self.library
        return ask(message, language, library.index, library.vocabulary)

    def remember_request(self, user_id: int, key: str) -> None:
        """The reader's last request, for «ещё» (kept in memory for the last LAST_REQUESTS readers:
        after a restart «ещё» is any film, as it was before there were requests)."""
        self._requests[user_id] = key
        self._requests.move_to_end(user_id)
        while len(self._requests) > LAST_REQUESTS:
            self._requests.popitem(last=False)

    def last_request(self, user_id: int, language: Language) -> Asked | None:
        key = self._requests.get(user_id)
        return self.asked_again(key, language) if key else None

    def asked_again(self, key: str, language: Language) -> Asked | None:
        """A request again, from the filters its buttons carry (a page, 🎲 Another like this)."""
        library = self.library
        return by_key(key, language, library.index.films, library.vocabulary)

    def today(self) -> date:
        """Today's date in the bot's zone (TIMEZONE)."""
        return local_today(self._clock(), self._zone)

    async def film_of_the_day(self, day: date | None = None) -> Film:
        """The film for `day` (default: today), the same for everyone."""
        day = day or self.today()
        catalogue = self.catalogue
        film_id = await film_of_the_day(self._storage, day, [f.id for f in catalogue.visible])
        film = catalogue.get(film_id)
        assert film is not None, "storage returned a film outside the visible catalogue"
        return film

    async def random_for(self, user_id: int) -> Film:
        """A random visible film for /random and 🎲: one the user has not marked watched while there
        are any (see `pick` for the rest)."""
        watched = {e.film_id for e in await self._storage.table(WatchlistTable).entries(user_id) if e.watched}
        visible = self.catalogue.visible
        unseen = [f for f in visible if f.id not in watched]
        return await self.pick(user_id, unseen if len(unseen) >= 2 else list(visible))

    async def pick(self, user_id: int, pool: Sequence[Film]) -> Film:
        """A random film of `pool` for this user: never the one they were given last (by /random or
        a pick for tonight) and, for a spread, none of their latest picks from the newer half of the
        pool. The last pick waits in memory for the next flush (bookkeeping never delays a reply),
        so it is looked up there first."""
        assert pool, "nothing to pick from"
        recent = self._recent.of(user_id)
        if not recent:
            last = self._unsaved.get(user_id) or await self._table.last_random(user_id)
            recent = [last] if last else []
        avoid = set(recent[-max(1, len(pool) // 2) :])
        film = self._rng.choice([f for f in pool if f.id not in avoid] or list(pool))
        self._recent.add(user_id, film.id)
        self._unsaved.add(user_id, film.id)
        return film

    async def flush(self) -> None:
        """Write the random picks made since the last flush."""
        await self._unsaved.flush()

    def browse_pages(self, language: Language) -> list[DecadePage]:
        """The /films pages: by decade, ten films a page, titles in the reader's order within a year."""
        return decade_pages(in_reading_order(self.catalogue.visible, language))

    async def inline_page(self, query: str, offset: int, size: int) -> InlinePage:
        """One page of inline results: matches for a query; for an empty query the film of the day
        first, then the whole catalogue in title order."""
        if query.strip():
            films = [m.film for m in self.library.index.relevant(query, limit=size + 1, offset=offset)]
        else:
            today = await self.film_of_the_day()
            everything = [today, *(f for f in self.catalogue.alphabetical if f.id != today.id)]
            films = everything[offset : offset + size + 1]
        more = len(films) > size
        return InlinePage(tuple(films[:size]), offset + size if more else None)
