"""A database made by an older release keeps every row through the migrations that follow."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.core.storage import MIGRATIONS, Storage
from bot.core.storage.migrations import for_sqlite

TODAY = 6  # the schema of the release before issue #24's migrations

ROWS = {
    "users": "INSERT INTO users (id, language, last_random, first_seen, last_seen, started_at) VALUES "
    "(1, 'ru', 'asya', '2026-01-01', '2026-02-01', '2026-01-01'), "
    "(2, NULL, NULL, '2026-01-03', '2026-01-03', NULL)",
    "daily_films": "INSERT INTO daily_films VALUES ('2026-01-01', 'asya', 0)",
    "watchlist": "INSERT INTO watchlist VALUES (1, 'asya', 'Asya', 1967, '2026-01-01', '2026-01-02'), "
    "(1, 'white-nights', 'White Nights', 1959, '2026-01-01', NULL), "
    "(2, 'gone', 'Gone', 1961, '2026-01-05', NULL)",
    "subscriptions": "INSERT INTO subscriptions VALUES (1, 1, '09:00', 'Europe/Moscow', 'ru', 1, "
    "'2026-01-02T06:00:00+00:00', NULL, '2026-01-01')",
    "deliveries": "INSERT INTO deliveries VALUES (1, '2026-01-01', 'asya', 'sent', '2026-01-01')",
    "broadcasts": "INSERT INTO broadcasts VALUES (1, '2026-01-01', 1.5, 10, 0)",
    "link_checks": "INSERT INTO link_checks VALUES "
    "('https://example.org', 'ok', '', '2026-01-01', '2026-01-01')",
    "rounds": "INSERT INTO rounds (id, chat_id, starter_id, language, deadline, state, created_at) VALUES "
    "(1, -5, 1, 'en', '2026-01-01T20:00:00+00:00', 'closed', '2026-01-01')",
    "round_members": "INSERT INTO round_members VALUES (1, 1, 'Anna', '2026-01-01')",
    "round_nominations": "INSERT INTO round_nominations VALUES (1, 'asya', 1)",
    "round_ballots": "INSERT INTO round_ballots VALUES (1, 1, '[0]')",
    "viewings": "INSERT INTO viewings (id, user_id, film_id, watched_on, rating, created_at) VALUES "
    "(7, 1, 'asya', '2026-01-02', 8, '2026-01-02'), (9, 1, 'asya', NULL, NULL, '2026-01-03')",
    "ratings": "INSERT INTO ratings VALUES (1, 'asya', 8, '2026-01-02')",
}


def older_database(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """A file at schema TODAY with rows in every table; the rows, per table."""
    with sqlite3.connect(path) as db:
        for script in MIGRATIONS[:TODAY]:
            db.executescript(for_sqlite(script))
        for insert in ROWS.values():
            db.execute(insert)
        db.execute(f"PRAGMA user_version = {TODAY}")
        return {table: db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() for table in ROWS}


async def test_every_row_of_an_older_database_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    before = older_database(path)
    await (await Storage.open(path)).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (len(MIGRATIONS),)
        for table, rows in before.items():
            after = db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            kept = [row[: len(rows[0])] for row in after] if rows else after
            assert kept == rows, table
        # those who had started the bot had seen its introduction; a viewing's id is never reused
        assert db.execute("SELECT id, introduced_at FROM users ORDER BY id").fetchall() == [
            (1, "2026-01-01"),
            (2, None),
        ]
        db.execute("DELETE FROM viewings WHERE id = 9")
        db.execute("INSERT INTO viewings (user_id, film_id, created_at) VALUES (1, 'asya', 'now')")
        assert db.execute("SELECT MAX(id) FROM viewings").fetchone() == (10,)
