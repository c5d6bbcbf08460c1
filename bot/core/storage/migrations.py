"""The schema, as ordered migrations (applied by Storage.open)."""

from __future__ import annotations

from .postgres import schema

# migration 18's new tables, the same on both engines
_SCREENINGS = """
    CREATE TABLE screenings (
        round_id   INTEGER PRIMARY KEY REFERENCES rounds (id) ON DELETE CASCADE,
        chat_id    INTEGER NOT NULL,
        film_id    TEXT NOT NULL,
        starts_at  TEXT NOT NULL,
        remind_at  TEXT,
        reminded   TEXT,
        opened     TEXT,
        message_id INTEGER,
        started_at TEXT
    );
    CREATE INDEX screenings_due ON screenings (opened, starts_at);
    CREATE TABLE screening_ready (
        round_id INTEGER NOT NULL REFERENCES screenings (round_id) ON DELETE CASCADE,
        user_id  INTEGER NOT NULL,
        name     TEXT NOT NULL,
        PRIMARY KEY (round_id, user_id)
    );
"""

# Ordered migrations; the position in this list (1-based) is the schema version it produces. Each is
# SQLite's script, which PostgreSQL runs in its own types (postgres.schema), or where the engines
# must differ (SQLite rebuilds a table to change it), a pair: (SQLite's, PostgreSQL's).
MIGRATIONS: list[str | tuple[str, str]] = [
    """
    CREATE TABLE users (
        id          INTEGER PRIMARY KEY,
        language    TEXT CHECK (language IN ('en', 'ru')),
        last_random TEXT,
        first_seen  TEXT NOT NULL,
        last_seen   TEXT NOT NULL
    );
    CREATE TABLE daily_films (
        day     TEXT PRIMARY KEY,
        film_id TEXT NOT NULL,
        cycle   INTEGER NOT NULL
    );
    CREATE INDEX daily_films_cycle ON daily_films (cycle);
    """,
    # 2: watchlists. Title and year are copied in so a film that leaves the catalogue stays readable.
    """
    CREATE TABLE watchlist (
        user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        film_id    TEXT NOT NULL,
        title      TEXT NOT NULL,
        year       INTEGER NOT NULL,
        added_at   TEXT NOT NULL,
        watched_at TEXT,
        UNIQUE (user_id, film_id)
    );
    CREATE INDEX watchlist_by_user ON watchlist (user_id, added_at);
    """,
    # 3: daily delivery. next_due is a UTC instant; a delivery row is claimed before its message
    # is sent, so a crash can lose a message in flight but never send one twice.
    """
    CREATE TABLE subscriptions (
        user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        chat_id     INTEGER NOT NULL,
        local_time  TEXT NOT NULL,
        zone        TEXT NOT NULL,
        language    TEXT NOT NULL CHECK (language IN ('en', 'ru')),
        active      INTEGER NOT NULL DEFAULT 1,
        next_due    TEXT NOT NULL,
        stop_reason TEXT,
        updated_at  TEXT NOT NULL
    );
    CREATE INDEX subscriptions_due ON subscriptions (active, next_due);
    CREATE TABLE deliveries (
        user_id    INTEGER NOT NULL,
        local_date TEXT NOT NULL,
        film_id    TEXT NOT NULL,
        state      TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed')),
        claimed_at TEXT NOT NULL,
        UNIQUE (user_id, local_date)
    );
    CREATE INDEX deliveries_by_date ON deliveries (local_date, state);
    CREATE TABLE broadcasts (
        id          INTEGER PRIMARY KEY,
        started_at  TEXT NOT NULL,
        seconds     REAL NOT NULL,
        sent        INTEGER NOT NULL,
        failed      INTEGER NOT NULL
    );
    """,
    # 4: watch links. One row per link address: the latest check's verdict and when it ran, and when
    # the link last passed (kept through checks that could not reach the provider).
    """
    CREATE TABLE link_checks (
        url         TEXT PRIMARY KEY,
        status      TEXT NOT NULL,
        detail      TEXT NOT NULL,
        checked_at  TEXT NOT NULL,
        verified_at TEXT
    );
    """,
    # 5: movie nights, and who has started the bot in a private chat (a member who never did gets a
    # link to it). Users with something of their own stored evidently started it.
    """
    ALTER TABLE users ADD COLUMN started_at TEXT;
    UPDATE users SET started_at = first_seen
        WHERE language IS NOT NULL
           OR id IN (SELECT user_id FROM watchlist)
           OR id IN (SELECT user_id FROM subscriptions);
    CREATE TABLE rounds (
        id              INTEGER PRIMARY KEY,
        chat_id         INTEGER NOT NULL,
        starter_id      INTEGER NOT NULL,
        language        TEXT NOT NULL CHECK (language IN ('en', 'ru')),
        deadline        TEXT NOT NULL,
        state           TEXT NOT NULL CHECK (state IN ('open', 'voting', 'closed')),
        invitation_id   INTEGER,
        poll_id         TEXT UNIQUE,
        poll_message_id INTEGER,
        candidates      TEXT,
        winner          TEXT,
        tie             INTEGER NOT NULL DEFAULT 0,
        created_at      TEXT NOT NULL,
        closed_at       TEXT
    );
    CREATE UNIQUE INDEX rounds_one_open ON rounds (chat_id) WHERE state != 'closed';
    CREATE INDEX rounds_due ON rounds (state, deadline);
    CREATE TABLE round_members (
        round_id  INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
        user_id   INTEGER NOT NULL,
        name      TEXT NOT NULL,
        joined_at TEXT NOT NULL,
        PRIMARY KEY (round_id, user_id)
    );
    CREATE TABLE round_nominations (
        round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
        film_id  TEXT NOT NULL,
        user_id  INTEGER NOT NULL,
        PRIMARY KEY (round_id, film_id)
    );
    CREATE TABLE round_ballots (
        round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
        user_id  INTEGER NOT NULL,
        options  TEXT NOT NULL,
        PRIMARY KEY (round_id, user_id)
    );
    """,
    # 6: the diary. Each viewing (a film can be watched again), its date if given, and its rating in
    # half stars; a viewer's latest rating per film. The watched films already in watchlists become
    # their first viewings, on the day they were marked.
    """
    CREATE TABLE viewings (
        id         INTEGER PRIMARY KEY,
        user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        film_id    TEXT NOT NULL,
        watched_on TEXT,
        rating     INTEGER CHECK (rating BETWEEN 1 AND 10),
        created_at TEXT NOT NULL
    );
    CREATE INDEX viewings_by_user ON viewings (user_id, watched_on);
    CREATE TABLE ratings (
        user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        film_id  TEXT NOT NULL,
        rating   INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 10),
        rated_at TEXT NOT NULL,
        PRIMARY KEY (user_id, film_id)
    );
    CREATE INDEX ratings_by_film ON ratings (film_id);
    INSERT INTO viewings (user_id, film_id, watched_on, created_at)
        SELECT user_id, film_id, substr(watched_at, 1, 10), watched_at FROM watchlist
        WHERE watched_at IS NOT NULL ORDER BY watched_at;
    """,
    # 7: who has seen the introduction (/start's greeting): only they are welcomed back. Users who
    # started the bot before had seen it.
    """
    ALTER TABLE users ADD COLUMN introduced_at TEXT;
    UPDATE users SET introduced_at = started_at WHERE started_at IS NOT NULL;
    """,
    # 8: a viewing's id is never used again (AUTOINCREMENT): a rating button left on an old message
    # names a viewing that may have been deleted, and must not find another film's in its place.
    # (PostgreSQL's identity columns never reuse an id: nothing to do there.)
    (
        """
    CREATE TABLE viewings_kept (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        film_id    TEXT NOT NULL,
        watched_on TEXT,
        rating     INTEGER CHECK (rating BETWEEN 1 AND 10),
        created_at TEXT NOT NULL
    );
    INSERT INTO viewings_kept (id, user_id, film_id, watched_on, rating, created_at)
        SELECT id, user_id, film_id, watched_on, rating, created_at FROM viewings;
    DROP TABLE viewings;
    ALTER TABLE viewings_kept RENAME TO viewings;
    CREATE INDEX viewings_by_user ON viewings (user_id, watched_on);
    """,
        "SELECT 1;",
    ),
    # 9: what a destructive tap took away (a film's list row, its viewings, its rating), kept a while
    # so that the same message can offer to undo it.
    """
    CREATE TABLE undos (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        film_id    TEXT NOT NULL,
        kept       TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    """,
    # 10: what a Letterboxd import said that the bot gives back on export: the address of each
    # diary entry and of each film on the list, and whether a diary entry was a rewatch.
    """
    ALTER TABLE viewings ADD COLUMN rewatch INTEGER;
    ALTER TABLE viewings ADD COLUMN letterboxd_uri TEXT;
    ALTER TABLE watchlist ADD COLUMN letterboxd_uri TEXT;
    """,
    # 11: a viewing that only says a film was watched (a Letterboxd watched or ratings row), which a
    # diary entry of the film, imported later, takes the place of.
    """
    ALTER TABLE viewings ADD COLUMN mark INTEGER NOT NULL DEFAULT 0;
    """,
    # 12: a viewing whose day its viewer does not remember, only the month: its date is the month's
    # first, and the diary shows the month and year.
    """
    ALTER TABLE viewings ADD COLUMN month_only INTEGER NOT NULL DEFAULT 0;
    """,
    # 13: the quiz: a round of questions in a chat (one open round per chat), each question as it
    # was asked (its poll, its deadline in a group), each player's answer (once per question), and
    # which questions a chat was asked, so that none comes back within a week.
    """
    CREATE TABLE quiz_rounds (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        chat_id     INTEGER NOT NULL,
        starter_id  INTEGER NOT NULL,
        language    TEXT NOT NULL CHECK (language IN ('en', 'ru')),
        is_group    INTEGER NOT NULL,
        size        INTEGER NOT NULL,
        state       TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'finished')),
        created_at  TEXT NOT NULL,
        finished_at TEXT
    );
    CREATE UNIQUE INDEX quiz_rounds_one_open ON quiz_rounds (chat_id) WHERE state = 'open';
    CREATE TABLE quiz_questions (
        round_id   INTEGER NOT NULL REFERENCES quiz_rounds (id) ON DELETE CASCADE,
        number     INTEGER NOT NULL,
        key        TEXT NOT NULL,
        film_id    TEXT NOT NULL,
        correct    INTEGER NOT NULL,
        state      TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'open', 'closed')),
        poll_id    TEXT UNIQUE,
        message_id INTEGER,
        closes_at  TEXT,
        PRIMARY KEY (round_id, number)
    );
    CREATE TABLE quiz_answers (
        round_id    INTEGER NOT NULL,
        number      INTEGER NOT NULL,
        user_id     INTEGER NOT NULL,
        name        TEXT NOT NULL,
        "right"     INTEGER NOT NULL,
        answered_at TEXT NOT NULL,
        PRIMARY KEY (round_id, number, user_id),
        FOREIGN KEY (round_id, number) REFERENCES quiz_questions (round_id, number) ON DELETE CASCADE
    );
    CREATE INDEX quiz_answers_by_user ON quiz_answers (user_id, answered_at);
    CREATE TABLE quiz_asked (
        chat_id  INTEGER NOT NULL,
        key      TEXT NOT NULL,
        asked_at TEXT NOT NULL,
        PRIMARY KEY (chat_id, key)
    );
    """,
    # 14: the movie night winners whose talking points a group has had (posted once, whoever of
    # the group presses 👁 We watched it first).
    """
    CREATE TABLE talked (
        chat_id    INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        talked_at  TEXT NOT NULL,
        PRIMARY KEY (chat_id, message_id)
    );
    """,
    # 15: a question of the day under the film of the day, for subscribers who switch it on: one a
    # day (daily_questions claims it), each a one-question quiz round that does not stand in the
    # way of a round the subscriber is playing.
    """
    ALTER TABLE subscriptions ADD COLUMN daily_quiz INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE quiz_rounds ADD COLUMN daily INTEGER NOT NULL DEFAULT 0;
    DROP INDEX quiz_rounds_one_open;
    CREATE UNIQUE INDEX quiz_rounds_one_open ON quiz_rounds (chat_id) WHERE state = 'open' AND daily = 0;
    CREATE TABLE daily_questions (
        user_id    INTEGER NOT NULL,
        local_date TEXT NOT NULL,
        round_id   INTEGER,
        PRIMARY KEY (user_id, local_date)
    );
    """,
    # 16: the pictures Telegram keeps for the bot: a picture's name (its design and a digest of its
    # words) and the file_id Telegram gave its first upload, so the same picture is never uploaded
    # twice; a picture whose words change gets a new name and is drawn again. A subscriber may
    # have the film of the day as its picture (off by default).
    """
    CREATE TABLE pictures (
        key       TEXT PRIMARY KEY,
        file_id   TEXT NOT NULL,
        stored_at TEXT NOT NULL
    );
    ALTER TABLE subscriptions ADD COLUMN daily_picture INTEGER NOT NULL DEFAULT 0;
    """,
    # 17: a group's own time zone, set by an administrator (/movienight zone Berlin), and the zone a
    # round's times were read in (its deadline is shown in it wherever a client cannot show it in
    # each member's own).
    """
    CREATE TABLE group_zones (
        chat_id INTEGER PRIMARY KEY,
        zone    TEXT NOT NULL,
        set_by  INTEGER NOT NULL,
        set_at  TEXT NOT NULL
    );
    ALTER TABLE rounds ADD COLUMN zone TEXT;
    ALTER TABLE rounds ADD COLUMN zone_from TEXT;
    """,
    # 18: choosing when, then the screening. A round may first be a time poll (state 'when': SQLite
    # cannot change a CHECK, so the table is rebuilt, foreign keys off while migrations run), and
    # has the moment its film starts (the time poll's winner; else the deadline). A screening: its
    # reminder and its start message (each claimed once: 'sent', 'skipped' when the bot was away
    # too long, 'none' when there was no time for it), who is ready, when the film started. PostgreSQL
    # changes the CHECK in place.
    (
        """
    CREATE TABLE rounds_v18 (
        id              INTEGER PRIMARY KEY,
        chat_id         INTEGER NOT NULL,
        starter_id      INTEGER NOT NULL,
        language        TEXT NOT NULL CHECK (language IN ('en', 'ru')),
        deadline        TEXT NOT NULL,
        state           TEXT NOT NULL CHECK (state IN ('when', 'open', 'voting', 'closed')),
        invitation_id   INTEGER,
        poll_id         TEXT UNIQUE,
        poll_message_id INTEGER,
        candidates      TEXT,
        winner          TEXT,
        tie             INTEGER NOT NULL DEFAULT 0,
        created_at      TEXT NOT NULL,
        closed_at       TEXT,
        zone            TEXT,
        zone_from       TEXT,
        starts_at       TEXT
    );
    INSERT INTO rounds_v18 (id, chat_id, starter_id, language, deadline, state, invitation_id, poll_id,
        poll_message_id, candidates, winner, tie, created_at, closed_at, zone, zone_from)
    SELECT id, chat_id, starter_id, language, deadline, state, invitation_id, poll_id, poll_message_id,
        candidates, winner, tie, created_at, closed_at, zone, zone_from FROM rounds;
    DROP TABLE rounds;
    ALTER TABLE rounds_v18 RENAME TO rounds;
    CREATE UNIQUE INDEX rounds_one_open ON rounds (chat_id) WHERE state != 'closed';
    CREATE INDEX rounds_due ON rounds (state, deadline);
"""
        + _SCREENINGS,
        """
    ALTER TABLE rounds DROP CONSTRAINT rounds_state_check;
    ALTER TABLE rounds ADD CONSTRAINT rounds_state_check
        CHECK (state IN ('when', 'open', 'voting', 'closed'));
    ALTER TABLE rounds ADD COLUMN starts_at TEXT;
    """
        + schema(_SCREENINGS),
    ),
    # 19: the updates a webhook has taken, by update_id, for a day: Telegram resends an update it
    # got no 200 for, and one that reaches the bot twice is handled once.
    """
    CREATE TABLE seen_updates (
        update_id INTEGER PRIMARY KEY,
        seen_at   TEXT NOT NULL
    );
    CREATE INDEX seen_updates_age ON seen_updates (seen_at);
    """,
]


def for_sqlite(migration: str | tuple[str, str]) -> str:
    return migration[0] if isinstance(migration, tuple) else migration


def for_postgres(migration: str | tuple[str, str]) -> str:
    return migration[1] if isinstance(migration, tuple) else schema(migration)
