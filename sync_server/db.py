"""The server's SQLite database: opening it (WAL, foreign keys) and forward-only migrations.

Each migration is a function run once, in order, inside one transaction, and recorded in
``schema_version``. Never edit a released migration; add the next one.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import anyio
import anyio.to_thread
import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]

T = TypeVar("T")


def _initial_schema(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        CREATE TABLE supervisors (
            id TEXT PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            supervisor_id TEXT NOT NULL REFERENCES supervisors(id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );

        CREATE TABLE callers (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            languages TEXT NOT NULL DEFAULT '["en"]',
            role TEXT NOT NULL DEFAULT 'caller',
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        );
        CREATE TABLE invites (
            code_hash TEXT PRIMARY KEY,
            caller_id TEXT NOT NULL REFERENCES callers(id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT,
            device_id TEXT
        );
        CREATE TABLE devices (
            id TEXT PRIMARY KEY,
            caller_id TEXT NOT NULL REFERENCES callers(id),
            name TEXT NOT NULL DEFAULT '',
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            last_seen_at TEXT,
            last_sync_at TEXT,
            revoked_at TEXT,
            last_seq INTEGER NOT NULL DEFAULT 0,
            pull_cursor TEXT
        );
        CREATE INDEX devices_caller ON devices(caller_id);

        -- Bumped on every change a device could see; pull compares these per device.
        CREATE TABLE version_counter (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            value INTEGER NOT NULL
        );
        INSERT INTO version_counter VALUES (1, 0);

        CREATE TABLE households (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            phones TEXT NOT NULL DEFAULT '[]',
            language TEXT NOT NULL DEFAULT 'en',
            members TEXT NOT NULL DEFAULT '[]',
            tags TEXT NOT NULL DEFAULT '[]',
            school TEXT,
            timezone TEXT,
            address TEXT,
            external_id TEXT,
            do_not_call INTEGER NOT NULL DEFAULT 0,
            text_opt_out INTEGER NOT NULL DEFAULT 0,
            dedupe_key TEXT NOT NULL,
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX households_dedupe ON households(dedupe_key);
        CREATE INDEX households_external ON households(external_id);
        CREATE INDEX households_language ON households(language);
        CREATE INDEX households_school ON households(school);

        CREATE TABLE campaigns (
            id TEXT PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'standard',
            body TEXT NOT NULL,            -- the Campaign model as JSON
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE scripts (
            id TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL REFERENCES campaigns(id),
            language TEXT NOT NULL,
            body TEXT NOT NULL,            -- the Script model as JSON
            version INTEGER NOT NULL,
            UNIQUE (campaign_id, language)
        );

        -- The assignment: which households a campaign calls, and who calls them.
        CREATE TABLE campaign_households (
            campaign_id TEXT NOT NULL REFERENCES campaigns(id),
            household_id TEXT NOT NULL REFERENCES households(id),
            caller_id TEXT REFERENCES callers(id),
            assigned_at TEXT,
            added_at TEXT NOT NULL,
            open INTEGER NOT NULL DEFAULT 1,   -- 0: closed (e.g. yesterday's attendance list)
            version INTEGER NOT NULL,
            PRIMARY KEY (campaign_id, household_id)
        );
        CREATE INDEX campaign_households_caller ON campaign_households(caller_id, campaign_id);
        CREATE INDEX campaign_households_household ON campaign_households(household_id);

        CREATE TABLE events (
            event_id TEXT PRIMARY KEY,
            device_id TEXT NOT NULL REFERENCES devices(id),
            seq INTEGER NOT NULL,
            caller_id TEXT NOT NULL REFERENCES callers(id),
            kind TEXT NOT NULL,
            campaign_id TEXT NOT NULL,
            household_id TEXT NOT NULL,
            disposition TEXT,
            channel TEXT,
            payload TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            received_at TEXT NOT NULL,
            quarantined INTEGER NOT NULL DEFAULT 0,
            quarantine_status TEXT,          -- open | accepted | dismissed
            version INTEGER NOT NULL,
            UNIQUE (device_id, seq)
        );
        CREATE INDEX events_campaign ON events(campaign_id, kind, household_id);
        CREATE INDEX events_household ON events(household_id);
        CREATE INDEX events_caller ON events(caller_id, received_at);
        CREATE INDEX events_quarantine ON events(quarantined, quarantine_status);

        CREATE TABLE follow_ups (
            id TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL,
            household_id TEXT NOT NULL,
            caller_id TEXT,
            kind TEXT NOT NULL,
            due_at TEXT,
            detail TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'open',
            resolution TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            closed_at TEXT,
            source_event_id TEXT,
            version INTEGER NOT NULL
        );
        CREATE INDEX follow_ups_household ON follow_ups(household_id, status);
        CREATE INDEX follow_ups_status ON follow_ups(status, due_at);

        -- What each device was last sent (entity, id, version): removes and upserts on pull
        -- are the difference between this and what the device may see now.
        CREATE TABLE device_holdings (
            device_id TEXT NOT NULL REFERENCES devices(id),
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (device_id, entity, entity_id)
        ) WITHOUT ROWID;

        -- The last page sent to each device, held until the device shows it applied the
        -- page by pulling with its cursor; a lost answer is then simply sent again.
        CREATE TABLE pull_pages (
            device_id TEXT PRIMARY KEY REFERENCES devices(id),
            cursor TEXT NOT NULL,
            delta TEXT NOT NULL  -- JSON [[op, entity, id, version], ...]
        );
        """
    )


def _progress_summary(db: sqlite_utils.Database) -> None:
    """The dashboard's summary tables, kept by sync_server/progress_tables.py, and their indexes.

    ``progress_*`` tables are a projection of events, households and campaign_households,
    refreshed from every row whose version is above ``progress_state.version``; they can
    be dropped and rebuilt at any time (progress_tables.rebuild_progress).
    """
    for statement in (
        """CREATE TABLE progress_state (
               id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL
           )""",
        "INSERT INTO progress_state VALUES (1, 0)",
        # One bit per disposition code seen in a campaign: a household's codes are a bitmask.
        """CREATE TABLE progress_codes (
               campaign_id TEXT NOT NULL, code TEXT NOT NULL, bit INTEGER NOT NULL,
               PRIMARY KEY (campaign_id, code)
           ) WITHOUT ROWID""",
        """CREATE TABLE progress_households (
               campaign_id TEXT NOT NULL, household_id TEXT NOT NULL,
               open INTEGER NOT NULL, caller_id TEXT, language TEXT NOT NULL,
               school TEXT NOT NULL, tags TEXT NOT NULL, do_not_call INTEGER NOT NULL,
               calls INTEGER NOT NULL, codes INTEGER NOT NULL,
               PRIMARY KEY (campaign_id, household_id)
           ) WITHOUT ROWID""",
        """CREATE TABLE progress_caller_households (
               campaign_id TEXT NOT NULL, household_id TEXT NOT NULL, caller_id TEXT NOT NULL,
               calls INTEGER NOT NULL, codes INTEGER NOT NULL,
               PRIMARY KEY (campaign_id, household_id, caller_id)
           ) WITHOUT ROWID""",
        # Households counted by (dimension, key) and what happened to them.
        """CREATE TABLE progress_groups (
               campaign_id TEXT NOT NULL, dimension TEXT NOT NULL, key TEXT NOT NULL,
               open INTEGER NOT NULL, do_not_call INTEGER NOT NULL, codes INTEGER NOT NULL,
               households INTEGER NOT NULL, calls INTEGER NOT NULL,
               PRIMARY KEY (campaign_id, dimension, key, open, do_not_call, codes)
           ) WITHOUT ROWID""",
        """CREATE TABLE progress_hours (
               campaign_id TEXT NOT NULL, hour TEXT NOT NULL, disposition TEXT NOT NULL,
               calls INTEGER NOT NULL,
               PRIMARY KEY (campaign_id, hour, disposition)
           ) WITHOUT ROWID""",
        """CREATE TABLE progress_caller_hours (
               campaign_id TEXT NOT NULL, caller_id TEXT NOT NULL, hour TEXT NOT NULL,
               calls INTEGER NOT NULL,
               PRIMARY KEY (campaign_id, caller_id, hour)
           ) WITHOUT ROWID""",
        "CREATE INDEX progress_events_version ON events(version)",
        # Covers counting outcomes (per household, per hour) without reading the events.
        """CREATE INDEX progress_events_outcomes ON events(
               campaign_id, kind, household_id, caller_id, disposition, quarantined,
               quarantine_status, received_at
           )""",
        "CREATE INDEX progress_households_version ON households(version)",
        "CREATE INDEX progress_campaign_households_version ON campaign_households(version)",
        """CREATE INDEX progress_campaign_households_caller
               ON campaign_households(campaign_id, caller_id, open)""",
        """CREATE INDEX progress_events_corrections ON events(campaign_id)
               WHERE json_extract(payload, '$.corrects') IS NOT NULL""",
    ):
        db.execute(statement)


def _households_as_json(db: sqlite_utils.Database) -> None:
    """Households stored as the Household model's JSON (``body``), as campaigns and scripts
    are: a new household field needs no migration. The columns that SQL filters, joins or
    groups on are generated from the body.

    The table is rebuilt as SQLite's documentation says to (it adds only virtual columns in
    place): create, copy, drop, rename, with foreign keys checked afterwards (``migrate``).
    """
    generated = {
        "name": "TEXT GENERATED ALWAYS AS (json_extract(body, '$.name'))",
        "language": "TEXT GENERATED ALWAYS AS (json_extract(body, '$.language'))",
        "school": "TEXT GENERATED ALWAYS AS (json_extract(body, '$.school'))",
        "external_id": "TEXT GENERATED ALWAYS AS (json_extract(body, '$.external_id'))",
        "phones": "TEXT GENERATED ALWAYS AS (coalesce(json_extract(body, '$.phones'), '[]'))",
        "tags": "TEXT GENERATED ALWAYS AS (coalesce(json_extract(body, '$.tags'), '[]'))",
        "do_not_call": "INTEGER GENERATED ALWAYS AS "
        "(coalesce(json_extract(body, '$.do_not_call'), 0))",
        "text_opt_out": "INTEGER GENERATED ALWAYS AS "
        "(coalesce(json_extract(body, '$.text_opt_out'), 0))",
    }
    for statement in (
        f"""CREATE TABLE households_json (
               id TEXT PRIMARY KEY,
               body TEXT NOT NULL,            -- the Household model as JSON
               dedupe_key TEXT NOT NULL,
               version INTEGER NOT NULL,
               created_at TEXT NOT NULL,
               updated_at TEXT NOT NULL,
               {", ".join(f"{column} {kind} VIRTUAL" for column, kind in generated.items())}
           )""",
        """INSERT INTO households_json (id, body, dedupe_key, version, created_at, updated_at)
           SELECT id, json_object(
                      'id', id, 'name', name, 'phones', json(phones), 'language', language,
                      'members', json(members), 'tags', json(tags), 'school', school,
                      'timezone', timezone, 'address', address, 'external_id', external_id,
                      'do_not_call', json(iif(do_not_call, 'true', 'false')),
                      'text_opt_out', json(iif(text_opt_out, 'true', 'false'))
                  ), dedupe_key, version, created_at, updated_at
           FROM households ORDER BY rowid""",
        "DROP TABLE households",
        "ALTER TABLE households_json RENAME TO households",
        "CREATE INDEX households_dedupe ON households(dedupe_key)",
        "CREATE INDEX households_external ON households(external_id)",
        "CREATE INDEX households_language ON households(language)",
        "CREATE INDEX households_school ON households(school)",
        "CREATE INDEX progress_households_version ON households(version)",
    ):
        db.execute(statement)


def _quarantine_reasons(db: sqlite_utils.Database) -> None:
    """Why an event sits in quarantine (app.core.reports.QuarantineReason); every event
    quarantined before there were reasons was for a household its caller no longer had."""
    db.execute("ALTER TABLE events ADD COLUMN quarantine_reason TEXT")
    db.execute("UPDATE events SET quarantine_reason = 'not_assigned' WHERE quarantined = 1")


def _privacy(db: sqlite_utils.Database) -> None:
    """Issue 14: the supervisors' audit log, which households were anonymised, and when a
    campaign closed.

    ``audit_log`` is append-only: triggers refuse every UPDATE and DELETE, so a mistake is
    corrected by a new entry, never by editing history (sync_server/audit.py writes it).
    ``anonymised_households`` lists the families whose personal data was removed
    (sync_server/deletion.py). ``campaigns.closed_at`` is when the campaign was made
    inactive (a trigger stamps it on every path that edits a campaign, and clears it when
    the campaign reopens); retention counts from it or from the end of ``ends_on``.
    """
    for statement in (
        """CREATE TABLE audit_log (
               id INTEGER PRIMARY KEY AUTOINCREMENT,
               at TEXT NOT NULL,
               actor_kind TEXT NOT NULL,      -- supervisor | system
               actor_id TEXT,
               actor_name TEXT NOT NULL,
               action TEXT NOT NULL,          -- e.g. household.delete, assignment.move
               target_kind TEXT,              -- household | campaign | device | ...
               target_ids TEXT NOT NULL DEFAULT '[]',   -- JSON list of ids
               detail TEXT NOT NULL DEFAULT '{}'        -- JSON object: counts, settings
           )""",
        "CREATE INDEX audit_log_at ON audit_log(at)",
        "CREATE INDEX audit_log_action ON audit_log(action, at)",
        "CREATE INDEX audit_log_actor ON audit_log(actor_name, at)",
        """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        """CREATE TABLE anonymised_households (
               household_id TEXT PRIMARY KEY REFERENCES households(id),
               anonymised_at TEXT NOT NULL,
               reason TEXT NOT NULL,          -- family_request | retention
               scrubbed_at TEXT NOT NULL      -- last time its events' free text was removed
           )""",
        "ALTER TABLE campaigns ADD COLUMN closed_at TEXT",
        """UPDATE campaigns SET closed_at = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
           WHERE json_extract(body, '$.active') = 0""",
        """CREATE TRIGGER campaigns_closed AFTER UPDATE OF body ON campaigns
           WHEN json_extract(new.body, '$.active') = 0
            AND coalesce(json_extract(old.body, '$.active'), 1) = 1
           BEGIN UPDATE campaigns SET closed_at = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
                 WHERE id = new.id; END""",
        """CREATE TRIGGER campaigns_reopened AFTER UPDATE OF body ON campaigns
           WHEN json_extract(new.body, '$.active') = 1
           BEGIN UPDATE campaigns SET closed_at = NULL WHERE id = new.id; END""",
        """CREATE TRIGGER campaigns_created_closed AFTER INSERT ON campaigns
           WHEN json_extract(new.body, '$.active') = 0
           BEGIN UPDATE campaigns SET closed_at = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
                 WHERE id = new.id; END""",
    ):
        db.execute(statement)


def _language_handoffs(db: sqlite_utils.Database) -> None:
    """Families handed to a caller who speaks their language, or queued for one (issue 15;
    sync_server.language_handoff): one row per "needs another language" outcome."""
    db.executescript(
        """
        CREATE TABLE language_handoffs (
            event_id TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL,
            household_id TEXT NOT NULL,
            language TEXT NOT NULL,
            from_caller_id TEXT,
            requested_at TEXT NOT NULL,
            status TEXT NOT NULL,      -- handed | queued | assigned
            to_caller_id TEXT,
            settled_at TEXT
        );
        CREATE INDEX language_handoffs_queue ON language_handoffs(status, campaign_id);
        """
    )


def _announcements(db: sqlite_utils.Database) -> None:
    """A supervisor's messages to a campaign's callers or to one caller (issue 15;
    sync_server.announcements); who read one is in ``events`` (``announcement_read``)."""
    db.executescript(
        """
        CREATE TABLE announcements (
            id TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL,
            caller_id TEXT,               -- NULL: every caller of the campaign
            text TEXT NOT NULL,
            author TEXT NOT NULL,
            posted_at TEXT NOT NULL,
            version INTEGER NOT NULL
        );
        CREATE INDEX announcements_campaign ON announcements(campaign_id, caller_id);
        """
    )


def _opt_out_lifts(db: sqlite_utils.Database) -> None:
    """Issue 14: a supervisor lifting a family's opt-out (do not call, do not text), with
    why (sync_server.opt_outs); the family's record lists them beside callers' corrections,
    and the audit log names the lift by its id."""
    db.executescript(
        """
        CREATE TABLE opt_out_lifts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            household_id TEXT NOT NULL,
            channel TEXT NOT NULL,         -- call | text
            reason TEXT NOT NULL,
            lifted_by TEXT NOT NULL,       -- the supervisor's user name
            lifted_at TEXT NOT NULL
        );
        CREATE INDEX opt_out_lifts_household ON opt_out_lifts(household_id, lifted_at);
        """
    )


def _roles(db: sqlite_utils.Database) -> None:
    """Issue 14 point 5: a supervisor account is a district admin (every school; every
    account made before roles existed) or a school coordinator scoped to ``schools`` (a
    JSON array of Household.school values; sync_server/roles.py)."""
    db.executescript(
        """
        ALTER TABLE supervisors ADD COLUMN role TEXT NOT NULL DEFAULT 'admin'
            CHECK (role IN ('admin', 'coordinator'));
        ALTER TABLE supervisors ADD COLUMN schools TEXT NOT NULL DEFAULT '[]';
        """
    )


def _device_wipes(db: sqlite_utils.Database) -> None:
    """Issue 14 point 2: a lost device's wipe (sync_server.auth.order_wipe).

    ``wipe_ordered_at``: a supervisor ordered it; every request from its token then gets
    410 ``device_wiped``. ``wipe_delivered_at``: the first time the device was told.
    ``erased_at``, ``erased_unsent``, ``erased_seq``: the device's own report of what it
    erased (after a wipe order, or its caller's "sign out and erase this phone").
    """
    for column in (
        "wipe_ordered_at TEXT",
        "wipe_delivered_at TEXT",
        "erased_at TEXT",
        "erased_reason TEXT",
        "erased_unsent INTEGER",
        "erased_seq INTEGER",
    ):
        db.execute(f"ALTER TABLE devices ADD COLUMN {column}")


def _events_campaign_index_dropped(db: sqlite_utils.Database) -> None:
    """Issue 16: drop ``events_campaign`` (campaign_id, kind, household_id). Its columns are
    the leading columns of ``progress_events_outcomes``, so every query it served, that index
    serves; and each stored event wrote both at a random place (by household), so a 100-event
    push commit wrote about 60 more pages of it (bench.bench_sync, ``--batches 100``)."""
    db.execute("DROP INDEX events_campaign")


def _announcement_reads_index(db: sqlite_utils.Database) -> None:
    """Issue 16: every pull asks which announcements its caller has read
    (``announcements.VISIBLE_QUERY``). With no index for that, SQLite read every accepted
    event on the server, so a pull's cost grew with the whole events table: 7 ms at 27,000
    events. This partial index holds only the reads, by caller."""
    db.execute(
        """CREATE INDEX events_announcement_reads
           ON events(caller_id, quarantined, json_extract(payload, '$.announcement_id'))
           WHERE kind = 'announcement_read'"""
    )


MIGRATIONS: list[Migration] = [
    _initial_schema,
    _progress_summary,
    _households_as_json,
    _quarantine_reasons,
    _privacy,
    _language_handoffs,
    _announcements,
    _opt_out_lifts,
    _device_wipes,
    _roles,
    _events_campaign_index_dropped,
    _announcement_reads_index,
]


def schema_version(db: sqlite_utils.Database) -> int:
    if "schema_version" not in db.table_names():
        return 0
    row = db.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(db: sqlite_utils.Database) -> int:
    """Run every migration the database has not seen yet; return the resulting version."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT)"
    )
    current = schema_version(db)
    # Off while a migration rebuilds a table (sqlite.org/lang_altertable.html, "Making Other
    # Kinds Of Table Schema Changes"); each migration is checked before it commits instead.
    enforced = db.execute("PRAGMA foreign_keys").fetchone()[0]
    db.execute("PRAGMA foreign_keys=OFF")
    try:
        for number, migration in enumerate(MIGRATIONS, start=1):
            if number <= current:
                continue
            with db.atomic():
                migration(db)
                broken = db.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise sqlite3.IntegrityError(
                        f"migration {number} would break foreign keys: {broken[:5]}"
                    )
                db.execute("INSERT INTO schema_version VALUES (?, datetime('now'))", [number])
    finally:
        db.execute(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")
    return len(MIGRATIONS)


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the server database."""
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=30000")
    db.execute("PRAGMA cache_size=-65536")  # 64 MiB: 10–40 % less CPU on big imports
    migrate(db)
    return db


def next_version(db: sqlite_utils.Database) -> int:
    """A new server version number; call inside the write transaction that uses it."""
    # The raw connection: this runs once per stored event, and sqlite-utils' execute()
    # wrapper costs more than the statement.
    row = db.conn.execute(
        "UPDATE version_counter SET value = value + 1 WHERE id = 1 RETURNING value"
    ).fetchone()
    return int(row[0])


def next_versions(db: sqlite_utils.Database, count: int) -> range:
    """``count`` consecutive new version numbers in one statement, the same ones ``count``
    calls of next_version would give; call inside the write transaction that uses them."""
    if count < 0:
        raise ValueError(f"count must not be negative, not {count}")
    if count == 0:
        return range(0)
    row = db.execute(
        "UPDATE version_counter SET value = value + ? WHERE id = 1 RETURNING value", [count]
    ).fetchone()
    top = int(row[0])
    return range(top - count + 1, top + 1)


class Checkpointer:
    """Copies the WAL into the database file from a connection and thread of its own.

    SQLite's automatic checkpoint runs inside whichever commit takes the WAL past 1,000
    pages: that request then waits for the copy and its two fsyncs (tens to hundreds of
    milliseconds on a busy disk) while it holds the store's lock, and every request queued
    behind the lock waits too. Here a commit only wakes this thread, which checkpoints
    PASSIVE (it never blocks the writer) at most once every ``pause`` seconds, so a page
    written by many commits in between is copied once. Durability is unchanged: WAL with
    ``synchronous=NORMAL``; the store's connection keeps a higher automatic threshold
    (``BACKSTOP_PAGES``) in case this thread falls behind.
    """

    BACKSTOP_PAGES = 10_000  # 40 MiB of WAL

    def __init__(self, path: Path, pause: float = 0.25) -> None:
        self.path = path
        self.pause = pause
        self.checkpoints = 0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """A transaction committed: checkpoint soon."""
        self._wake.set()

    def _run(self) -> None:
        conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        try:
            while True:
                self._wake.wait()
                if self._stop.is_set():
                    return
                self._wake.clear()
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    self.checkpoints += 1
                except sqlite3.Error:
                    pass  # busy or I/O trouble: the next wake tries again; the backstop holds
                self._stop.wait(self.pause)
        finally:
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join()


class Store:
    """The server's one connection and the lock that serialises its use across threads.

    FastAPI runs sync endpoints in a thread pool; SQLite allows one writer at a time, so
    the server takes ``store.lock`` around every unit of work rather than racing for
    ``SQLITE_BUSY``. At this scale one writer keeps up (see bench/). A file database's
    checkpoints run off the request path (``Checkpointer``).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.db = connect(self.path)
        self.lock = threading.RLock()
        self._sync_thread = anyio.CapacityLimiter(1)
        self.checkpointer: Checkpointer | None = None
        if self.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            self.db.execute(f"PRAGMA wal_autocheckpoint={Checkpointer.BACKSTOP_PAGES}")
            self.checkpointer = Checkpointer(self.path)

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        with self.lock:
            with self.db.atomic():
                yield self.db
            if self.checkpointer is not None:
                self.checkpointer.wake()

    async def sync_transaction(self, work: Callable[[sqlite_utils.Database], T]) -> T:
        """``work(db)`` in one transaction, soon (see ``_soon``): a device's push or pull."""

        def in_transaction() -> T:
            with self.transaction() as db:
                return work(db)

        return await self._soon(in_transaction)

    async def read_soon(self, read: Callable[[sqlite_utils.Database], T]) -> T:
        """``read(db)`` under the lock, soon (see ``_soon``): who is asking."""

        def reading() -> T:
            with self.reading() as db:
                return read(db)

        return await self._soon(reading)

    async def _soon(self, work: Callable[[], T]) -> T:
        """Run a device's store work at once, on the event loop, when no one holds the
        store; else queue it for the store's sync thread, so the loop never waits on the
        lock.

        On the loop, a sync pays no hop to a worker thread and back (about 0.35 ms here)
        and no fight for the GIL between that thread and the loop, which under load cost
        more than the work: at 2,500 devices syncing every 30 s, p99 was 0.5 s with every
        sync in a thread and 20 ms with this. The work is short and bounded (a push batch;
        a pull page); a long job, such as an import, holds the lock in its own thread, and
        the devices' work then waits in the sync thread, one at a time, rather than as
        threads parked on the lock."""
        if self.lock.acquire(blocking=False):
            try:
                return work()
            finally:
                self.lock.release()
        return await anyio.to_thread.run_sync(work, limiter=self._sync_thread)

    @contextmanager
    def reading(self) -> Iterator[sqlite_utils.Database]:
        with self.lock:
            yield self.db

    def close(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.close()  # first: the last connection to close removes the WAL
        with self.lock:
            self.db.close()
