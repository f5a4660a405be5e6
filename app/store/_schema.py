"""The device database's tables and their forward-only migrations.

The schema version lives in SQLite's ``user_version`` header, written in the same
transaction as the migration that reaches it. Never edit a released migration; add the
next one.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]

CACHED_TABLES = (
    "campaigns",
    "scripts",
    "households",
    "assignments",
    "follow_ups",
    "outcomes",
    "announcements",
)
"""What a pull may drop and refill; the outbox and identity are never among them."""


def _initial_schema(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        -- Identity saved at join (server_url, device_id, token, caller) and the pull cursor.
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);

        -- Every event this device ever recorded. ``state``: pending (not yet acknowledged by
        -- the server), acked, or parked (refused by the server; waits for attention, holds no
        -- seq). (device_id, seq) is the push order; ``position`` the order of recording.
        CREATE TABLE outbox (
            event_id TEXT PRIMARY KEY,
            position INTEGER NOT NULL UNIQUE,
            device_id TEXT,
            seq INTEGER,
            kind TEXT NOT NULL,
            campaign_id TEXT NOT NULL,
            household_id TEXT NOT NULL,
            payload TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            acked_at TEXT,
            parked_reason TEXT,
            UNIQUE (device_id, seq)
        );
        CREATE INDEX outbox_state ON outbox(state, device_id, seq);
        CREATE INDEX outbox_household ON outbox(household_id);

        CREATE TABLE campaigns (id TEXT PRIMARY KEY, body TEXT NOT NULL);
        CREATE TABLE scripts (
            id TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL,
            language TEXT NOT NULL,
            body TEXT NOT NULL
        );
        CREATE INDEX scripts_campaign ON scripts(campaign_id);
        CREATE TABLE households (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            language TEXT NOT NULL,
            body TEXT NOT NULL
        );
        CREATE TABLE assignments (
            id TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL,
            household_id TEXT NOT NULL,
            caller_id TEXT,
            assigned_at TEXT
        );
        CREATE INDEX assignments_household ON assignments(household_id);
        CREATE INDEX assignments_campaign ON assignments(campaign_id);
        CREATE TABLE follow_ups (
            id TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL,
            household_id TEXT NOT NULL,
            status TEXT NOT NULL,
            kind TEXT NOT NULL,
            due_at TEXT,
            body TEXT NOT NULL
        );
        CREATE INDEX follow_ups_household ON follow_ups(household_id, status);
        CREATE INDEX follow_ups_status ON follow_ups(status, due_at);
        -- Past attempts: pulled from the server or written here when recorded. The event id
        -- is the key, so an outcome coming back in a pull replaces its local copy.
        CREATE TABLE outcomes (
            event_id TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL,
            household_id TEXT NOT NULL,
            caller_id TEXT NOT NULL,
            disposition TEXT NOT NULL,
            channel TEXT NOT NULL,
            notes TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX outcomes_household ON outcomes(household_id, campaign_id);
        CREATE INDEX outcomes_recorded ON outcomes(caller_id, recorded_at);
        """
    )


def _announcements(db: sqlite_utils.Database) -> None:
    """A supervisor's announcements for this caller (app.core.announcements); the server
    stops sending one once the caller has read it."""
    db.executescript(
        """
        CREATE TABLE announcements (
            id TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL,
            posted_at TEXT NOT NULL,
            body TEXT NOT NULL
        );
        """
    )


MIGRATIONS: list[Migration] = [_initial_schema, _announcements]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite_utils.Database) -> int:
    """Run every migration the file has not seen, each in its own transaction."""
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise RuntimeError(
            f"This database was written by a newer app (schema {current}, "
            f"this app knows {SCHEMA_VERSION}); update the app"
        )
    for number, migration in enumerate(MIGRATIONS, start=1):
        if number <= current:
            continue
        with db.atomic():
            migration(db)
            db.execute(f"PRAGMA user_version = {number}")
    return SCHEMA_VERSION
