"""The watchlists service: add, mark watched, remove (by button or by name), the /watchlist pages,
a pick for tonight, and the export. Every change returns after its write committed."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.core.catalogue.model import Film
from bot.core.catalogue.search import Verdict
from bot.core.diary.service import Diary
from bot.core.films.card import titles
from bot.core.films.service import Films
from bot.core.models import Clock, Language
from bot.core.storage import Storage
from bot.core.watchlists.model import Entry, WatchlistVerb
from bot.core.watchlists.page import WatchlistPage, render_watchlist
from bot.core.watchlists.table import WatchlistTable
from bot.core.watchlists.undo import UndoTable


class Change(Enum):
    DONE = "done"
    NOTHING_TO_DO = "nothing"  # already there, not there, or not in the list to mark
    FILM_GONE = "gone"  # the film left the catalogue (only adding needs it)
    WATCHED = "watched"  # not removed: the film is marked watched (↩ Not watched takes that back)
    ASK = "ask"  # not unmarked yet: its diary entries would go too, and the user is asked first


@dataclass(frozen=True)
class Changed:
    """What a change did: the viewing a watched mark started, what puts back what a destructive
    change took away (`undo`), and the diary entries an unmarking would delete (with ASK) or a
    deletion left (with DONE)."""

    change: Change
    viewing: int | None = None
    undo: int | None = None
    entries: int = 0


@dataclass(frozen=True)
class ByName:
    """What `/add <name>` or `/remove <name>` did."""

    verdict: Verdict  # ONE: `film` was acted on (see `change`); SEVERAL: choose from `films`
    change: Change | None = None
    film: Film | None = None
    films: tuple[Film, ...] = ()


@dataclass(frozen=True)
class View:
    """One page of /watchlist: its text, and what its buttons need."""

    page: WatchlistPage
    names: dict[str, str]  # the films still in the catalogue, in the reader's language
    pickable: bool  # there is something to watch that can be picked for tonight


class Watchlists:
    def __init__(self, storage: Storage, films: Films, diary: Diary, clock: Clock):
        self._table = storage.table(WatchlistTable)
        self._undo = storage.table(UndoTable)
        self._diary = diary
        self._films = films
        self._clock = clock

    async def change(self, user_id: int, verb: WatchlistVerb, film_id: str) -> Change:
        """Add, remove, mark watched or not watched, for the user's own list (see `apply`)."""
        return (await self.apply(user_id, verb, film_id)).change

    async def mark_watched(self, user_id: int, film: Film) -> int | None:
        """👁 on any card, in any chat, and 👁 We watched it: the film marked watched; the viewing
        this starts in the diary (for the rating that may follow), or None if it was watched."""
        return (await self.apply(user_id, WatchlistVerb.WATCHED, film.id)).viewing

    async def apply(
        self, user_id: int, verb: WatchlistVerb, film_id: str, confirmed: bool = False
    ) -> Changed:
        """The one rule of a user's film, for every path (a card anywhere, We watched it, a name):
        - a film is to watch, or watched, or neither; a watched film has its viewings in the diary;
        - marking it watched starts a viewing, today;
        - removing takes a film off the to-watch list, never a watched one (WATCHED);
        - marking it not watched deletes its viewings and rating, so when it has any, only once
          `confirmed` (until then ASK, with how many); it goes back to the to-watch list.
        Removing and unmarking keep what they take away, for `undo`."""
        film = self._films.get(film_id)
        if verb is WatchlistVerb.ADD:
            if film is None:
                return Changed(Change.FILM_GONE)
            added = await self._table.add(user_id, film.id, film.title, film.year)
            return Changed(Change.DONE if added else Change.NOTHING_TO_DO)
        if verb is WatchlistVerb.WATCHED:
            if film is None or not await self._table.mark_watched(user_id, film.id, film.title, film.year):
                return Changed(Change.NOTHING_TO_DO)
            return Changed(Change.DONE, viewing=await self._diary.watched(user_id, film))
        entry = await self._table.entry(user_id, film_id)
        if verb is WatchlistVerb.REMOVE:
            if entry is None:
                return Changed(Change.NOTHING_TO_DO)
            if entry.watched and film is not None:
                return Changed(Change.WATCHED)
            undo = await self._undo.keep(user_id, film_id, self._clock())
            if entry.watched:  # a film gone from the catalogue: its diary entries go with it
                await self._diary.forget(user_id, film_id)
            await self._table.remove(user_id, film_id)
            return Changed(Change.DONE, undo=undo)
        if entry is None or not entry.watched:
            return Changed(Change.NOTHING_TO_DO)
        logged = await self._diary.count(user_id, film_id)
        if logged and not confirmed:
            return Changed(Change.ASK, entries=logged)
        undo = await self._undo.keep(user_id, film_id, self._clock())
        await self._diary.forget(user_id, film_id)
        await self._table.set_watched(user_id, film_id, watched=False)
        return Changed(Change.DONE, undo=undo)

    async def delete_viewing(self, user_id: int, film_id: str, viewing_id: int) -> Changed:
        """Delete one diary entry, keeping it for `undo`: DONE with how many `entries` are left, or
        NOTHING_TO_DO when it is not this user's viewing of this film (a button outlived it). The
        film's rating is then its latest rated viewing's. Deleting the film's last entry unmarks
        it, as "Not watched" does: a watched film has its viewings in the diary."""
        viewing = await self._diary.entry(user_id, viewing_id)
        if viewing is None or viewing.film_id != film_id:
            return Changed(Change.NOTHING_TO_DO)
        undo = await self._undo.keep(user_id, film_id, self._clock())
        left = await self._diary.delete(user_id, film_id, viewing_id)
        if left is None:
            return Changed(Change.NOTHING_TO_DO)  # deleted meanwhile, through another message
        if left == 0:
            await self._table.set_watched(user_id, film_id, watched=False)
        return Changed(Change.DONE, undo=undo, entries=left)

    async def undo(self, user_id: int, film_id: str | None, undo_id: int) -> bool:
        """Put back what a removal or unmarking took away; False when it is too late (UNDO_WINDOW),
        already done, or not this user's change (of this film, when given)."""
        return await self._undo.put_back(user_id, film_id, undo_id, self._clock())

    async def entries(self, user_id: int) -> list[Entry]:
        """The whole list: to watch first, then watched."""
        return await self._table.entries(user_id)

    async def entry(self, user_id: int, film_id: str) -> Entry | None:
        """The user's row for a film, for the buttons of a card only they see."""
        return await self._table.entry(user_id, film_id)

    async def add_by_name(self, user_id: int, query: str) -> ByName:
        found = self._films.find(query)
        if found.verdict is not Verdict.ONE:
            return ByName(found.verdict, films=found.films)
        film = found.films[0]
        return ByName(Verdict.ONE, await self.change(user_id, WatchlistVerb.ADD, film.id), film)

    async def remove_by_name(self, user_id: int, query: str) -> ByName:
        """One clear film is removed (or said not to be there); when the name matches several, those
        of them on the user's list: one is removed, several are offered."""
        found = self._films.find(query)
        if found.verdict in (Verdict.EMPTY, Verdict.TOO_LONG):
            return ByName(found.verdict)
        listed = {e.film_id for e in await self._table.entries(user_id)}
        if found.verdict is Verdict.ONE:
            film = found.films[0]
            if film.id not in listed:
                return ByName(Verdict.ONE, Change.NOTHING_TO_DO, film)
            return ByName(Verdict.ONE, await self.change(user_id, WatchlistVerb.REMOVE, film.id), film)
        # Only films the name really matches: "ryazanov" must not reach a film with a Ryazanova in it.
        in_list = tuple(f for f in found.films if f.id in listed) if found.verdict is Verdict.SEVERAL else ()
        if len(in_list) == 1:
            film = in_list[0]
            return ByName(Verdict.ONE, await self.change(user_id, WatchlistVerb.REMOVE, film.id), film)
        return ByName(Verdict.SEVERAL if in_list else Verdict.NONE, films=in_list)

    async def view(self, user_id: int, number: int, language: Language) -> View | None:
        """Page `number` of the user's list; None when the list is empty."""
        entries = await self._table.entries(user_id)
        if not entries:
            return None
        films = (self._films.get(e.film_id) for e in entries)
        names = {film.id: titles(film, language)[0] for film in films if film is not None}
        page = render_watchlist(entries, number, language, names)
        pickable = any(not e.watched and e.film_id in names for e in entries)
        return View(page, names, pickable)

    async def pick_for_tonight(self, user_id: int) -> Film | None:
        """A random film from the user's to-watch films still in the catalogue."""
        to_watch = [
            film
            for entry in await self._table.entries(user_id)
            if not entry.watched and (film := self._films.get(entry.film_id)) is not None
        ]
        return await self._films.pick(user_id, to_watch) if to_watch else None
