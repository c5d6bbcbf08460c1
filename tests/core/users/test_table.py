"""The users table: languages and last random films per user."""

from __future__ import annotations

from bot.core.films.table import FilmsTable
from bot.core.storage import Storage
from bot.core.users.table import UsersTable


async def test_language_is_stored_per_user(storage: Storage) -> None:
    users = storage.table(UsersTable)
    assert await users.language(5) is None
    await users.set_language(5, "ru")
    await users.set_language(6, "en")
    assert (await users.language(5), await users.language(6)) == ("ru", "en")


async def test_sql_looking_values_are_plain_data(storage: Storage) -> None:
    await storage.table(FilmsTable).set_last_random({7: "x'); DROP TABLE users; --"})
    assert await storage.table(FilmsTable).last_random(7) == "x'); DROP TABLE users; --"
