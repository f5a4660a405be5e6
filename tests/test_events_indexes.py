"""Issue 16's migration: ``events_campaign`` is gone (its columns lead
``progress_events_outcomes``); every event stays, ``event_id`` still refuses a duplicate,
and the queries that used the old index search the other one, never scan the events."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest
import sqlite_utils

from sync_server import announcements
from sync_server import db as server_db
from tests.support.server_rows import add_device, add_household, add_outcome, new_campaign

DROPPED_AT = server_db.MIGRATIONS.index(server_db._events_campaign_index_dropped) + 1


def indexes(db: sqlite_utils.Database) -> set[str]:
    return {
        row[0]
        for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        if not row[0].startswith("sqlite_autoindex")
    }


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> sqlite_utils.Database:
    """A database made before the migration, with a campaign, a caller and two outcomes;
    then opened by this release."""
    path = tmp_path / "events.sqlite"
    with monkeypatch.context() as before:
        before.setattr(server_db, "MIGRATIONS", server_db.MIGRATIONS[: DROPPED_AT - 1])
        old = server_db.connect(path)
        with old.atomic():
            campaign = new_campaign(old)
            old.execute("INSERT INTO callers (id, name, created_at) VALUES ('ana', 'Ana', 'now')")
            device = add_device(old, "ana")
            household = add_household(old, campaign.id, caller_id="ana")
            for disposition in ("no_answer", "left_message"):
                add_outcome(old, device, campaign.id, household, disposition)
        assert "events_campaign" in indexes(old)
        old.close()
    return server_db.connect(path)


def test_the_migration_drops_the_index_and_keeps_every_event(
    database: sqlite_utils.Database,
) -> None:
    assert server_db.schema_version(database) == len(server_db.MIGRATIONS)
    assert "events_campaign" not in indexes(database)
    assert {"progress_events_outcomes", "events_household"} <= indexes(database)
    rows = database.execute("SELECT disposition FROM events ORDER BY seq").fetchall()
    assert rows == [("no_answer",), ("left_message",)]


def test_an_event_id_stored_once_is_refused_a_second_time(
    database: sqlite_utils.Database,
) -> None:
    event_id = database.execute("SELECT event_id FROM events LIMIT 1").fetchone()[0]
    with pytest.raises(sqlite3.IntegrityError, match=r"UNIQUE constraint failed: events\.event_id"):
        database.execute(
            """INSERT INTO events (event_id, device_id, seq, caller_id, kind, campaign_id,
                   household_id, payload, recorded_at, received_at, version)
               SELECT event_id, device_id, seq + 10, caller_id, kind, campaign_id,
                      household_id, payload, recorded_at, received_at, version + 10
               FROM events WHERE event_id = ?""",
            [event_id],
        )


# What read events by (campaign, kind[, household]) through events_campaign: the campaign
# export and family report, pull's outcomes, the dashboard's per-household recount.
CAMPAIGN_QUERIES = (
    "SELECT * FROM events WHERE campaign_id = :c AND kind = 'outcome_recorded'",
    """SELECT e.event_id, e.payload FROM events e LEFT JOIN callers c ON c.id = e.caller_id
       WHERE e.campaign_id = :c AND e.kind = 'outcome_recorded' ORDER BY e.received_at""",
    """SELECT e.event_id, e.version FROM events e
       WHERE e.campaign_id = :c AND e.kind = 'outcome_recorded' AND e.household_id = :h""",
    """SELECT e.campaign_id, e.household_id, count(*) FROM events e
       WHERE e.campaign_id = :c AND e.kind = 'outcome_recorded'
       GROUP BY e.campaign_id, e.household_id""",
)


@pytest.mark.parametrize("query", CAMPAIGN_QUERIES)
def test_a_query_by_campaign_searches_the_outcomes_index(
    database: sqlite_utils.Database, query: str
) -> None:
    plan = [
        row[3]
        for row in database.execute(
            f"EXPLAIN QUERY PLAN {query}", {"c": str(uuid.uuid4()), "h": "x"}
        )
    ]

    on_events = [step for step in plan if step.split()[1] in ("events", "e")]
    assert on_events and all(
        step.startswith("SEARCH") and "progress_events_outcomes (campaign_id=? AND kind=?" in step
        for step in on_events
    ), plan


def test_what_a_caller_has_read_is_searched_among_the_reads_alone(
    database: sqlite_utils.Database,
) -> None:
    """Every pull asks it: scanning the events instead made a pull's cost grow with every
    event the server holds."""
    plan = [
        row[3]
        for row in database.execute(
            f"EXPLAIN QUERY PLAN {announcements.VISIBLE_QUERY}", {"caller": "ana"}
        )
    ]
    on_events = [step for step in plan if step.split()[1] in ("events", "e")]
    assert on_events == [
        "SEARCH e USING INDEX events_announcement_reads (caller_id=? AND quarantined=?)"
    ], plan
