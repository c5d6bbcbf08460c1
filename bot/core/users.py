"""The users service: which language to answer in, and the user's own choice of it."""

from __future__ import annotations

from bot.core.models import Language
from bot.core.storage import Storage
from bot.core.texts import as_language, default_language


class Users:
    def __init__(self, storage: Storage):
        self._storage = storage

    async def language(self, user_id: int, language_code: str | None) -> Language:
        """Record that the user was seen; their chosen language, else the one their Telegram client
        suggests. One database statement for both."""
        return as_language(await self._storage.touch_user(user_id)) or default_language(language_code)

    async def set_language(self, user_id: int, language: Language) -> None:
        await self._storage.set_language(user_id, language)
