"""The users service: which language to answer in, and recording who was seen.

Recording that a user was seen is bookkeeping, so it never delays or fails a reply: ids are
collected in memory and written in one transaction every few seconds (`flush`, run by the
composition root). If the database cannot take the write, the ids wait for the next flush and the
problem is logged once per burst.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

from bot.core.models import Language
from bot.core.storage import Storage, StorageUnavailable
from bot.core.texts import as_language, default_language
from bot.core.throttle import BurstLog

log = logging.getLogger(__name__)

PENDING_LIMIT = 100_000  # ids kept for a database that stays unwritable; beyond that, the oldest go
CACHED_USERS = 100_000  # chosen languages kept in memory (a few MB at most)


class Users:
    def __init__(self, storage: Storage):
        self._storage = storage
        self._seen: dict[int, None] = {}  # insertion-ordered set
        # The languages users chose, read once: this process is the only one that changes them.
        self._chosen: OrderedDict[int, Language | None] = OrderedDict()
        self._faults = BurstLog(log)

    async def language(self, user_id: int, language_code: str | None) -> Language:
        """The language the user chose, else the one their Telegram client suggests; notes that
        the user was seen. Reads only, and only the first time."""
        self.seen(user_id)
        if user_id in self._chosen:
            self._chosen.move_to_end(user_id)
            chosen = self._chosen[user_id]
        else:
            chosen = as_language(await self._storage.language(user_id))
            self._remember(user_id, chosen)
        return chosen or default_language(language_code)

    def _remember(self, user_id: int, chosen: Language | None) -> None:
        self._chosen[user_id] = chosen
        self._chosen.move_to_end(user_id)
        if len(self._chosen) > CACHED_USERS:
            self._chosen.popitem(last=False)

    def seen(self, user_id: int) -> None:
        self._seen.pop(user_id, None)
        self._seen[user_id] = None
        if len(self._seen) > PENDING_LIMIT:
            del self._seen[next(iter(self._seen))]

    async def flush(self) -> None:
        """Write who was seen since the last flush."""
        if not self._seen:
            return
        batch = list(self._seen)
        try:
            await self._storage.record_seen(batch)
        except StorageUnavailable as exc:
            self._faults.warning("seen", "could not record %d seen users (will retry): %s", len(batch), exc)
            return
        for user_id in batch:
            self._seen.pop(user_id, None)

    async def set_language(self, user_id: int, language: Language) -> None:
        """StorageUnavailable if it could not be stored."""
        await self._storage.set_language(user_id, language)
        self._remember(user_id, language)
