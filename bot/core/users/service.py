"""The users service: which language to answer in, and recording who was seen.

Recording that a user was seen is bookkeeping, so it never delays or fails a reply: ids are
collected in memory and written in one transaction every few seconds (`flush`, run by the
composition root). If the database cannot take the write, the ids wait for the next flush and the
problem is logged once per burst.
"""

from __future__ import annotations

from bot.core.memory import Pending
from bot.core.models import Language
from bot.core.storage import Storage
from bot.core.texts import as_language, default_language
from bot.core.users.table import UsersTable


class Users:
    def __init__(self, storage: Storage):
        self._table = storage.table(UsersTable)
        self._seen: Pending[int, None] = Pending("seen users", self._record_seen)
        self._started: Pending[int, None] = Pending("users who started the bot", self._record_started)
        self._introduced: Pending[int, None] = Pending("users introduced", self._record_introduced)

    async def _record_seen(self, batch: dict[int, None]) -> None:
        await self._table.record("last_seen", batch)

    async def _record_started(self, batch: dict[int, None]) -> None:
        await self._table.record("started_at", batch)

    async def _record_introduced(self, batch: dict[int, None]) -> None:
        await self._table.record("introduced_at", batch)

    def wrote_privately(self, user_id: int) -> None:
        """The user wrote to the bot in a private chat: they have started it (bookkeeping)."""
        self._started.add(user_id, None)

    async def started(self, user_id: int) -> bool:
        """Whether the bot can write to the user: they have started it in a private chat."""
        return user_id in self._started or await self._table.has("started_at", user_id)

    async def language(self, user_id: int, language_code: str | None) -> Language:
        """The language the user chose, else the one their Telegram client suggests; notes that
        the user was seen. Reads only (a point read on the event loop, see storage/__init__.py)."""
        self._seen.add(user_id, None)
        return as_language(await self._table.language(user_id)) or default_language(language_code)

    async def returning(self, user_id: int) -> bool:
        """Whether the user has seen the introduction before. Being seen is not enough: a first
        contact through a group's button or a friend's recommendation is no introduction."""
        return user_id in self._introduced or await self._table.has("introduced_at", user_id)

    def introduced(self, user_id: int) -> None:
        """The user has just been shown the introduction (bookkeeping)."""
        self._introduced.add(user_id, None)

    async def flush(self) -> None:
        """Write who was seen (and who started the bot) since the last flush."""
        await self._seen.flush()
        await self._started.flush()
        await self._introduced.flush()

    async def set_language(self, user_id: int, language: Language) -> None:
        """StorageUnavailable if it could not be stored."""
        await self._table.set_language(user_id, language)
