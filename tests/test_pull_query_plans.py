"""A push and a pull search by their device and caller, never through every row of a table
that grows with the whole server: events (announcement reads, outcomes), open follow-ups,
households, assignments. Two such scans made every pull's cost grow with the server's size."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import sqlite_utils

from app.core.protocol import PullRequest, PushRequest
from sync_server import db as server_db
from sync_server.auth import DeviceIdentity
from sync_server.push_pull import pull, push
from tests.support.events import outcome_event
from tests.support.server_rows import (
    NOON,
    add_device,
    add_follow_up,
    add_household,
    add_outcome,
    new_campaign,
)

GROWING = ("events", "follow_ups", "households", "campaign_households", "device_holdings")
"""Tables as big as the server; ``announcements`` (a supervisor's notes) stays small."""


def plans_of_a_sync(db: sqlite_utils.Database) -> dict[str, list[str]]:
    """Each statement of a push (an outcome that books a callback, one that closes it) and
    a pull, with its query plan."""
    campaign = new_campaign(db, kind="daily_attendance")
    db.execute("INSERT INTO callers (id, name, created_at) VALUES ('ana', 'Ana', 'now')")
    device = add_device(db, "ana")
    household = add_household(db, campaign.id, caller_id="ana")
    add_outcome(db, device, campaign.id, household)
    add_follow_up(db, campaign.id, household, "ana", NOON)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    identity = DeviceIdentity(device, "ana")
    callback = outcome_event(
        2, campaign.id, household, "call_back_later", callback_at=NOON + timedelta(hours=2)
    )
    reached = outcome_event(3, campaign.id, household, "reached_complete")
    try:
        pushed = push(db, identity, PushRequest(device_id=device, events=[callback, reached]))
        pull(db, identity, PullRequest(device_id=device, cursor=None))
    finally:
        db.conn.set_trace_callback(None)
    assert [result.status for result in pushed.results] == ["applied", "applied"]
    return {
        statement: [row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {statement}")]
        for statement in statements
        if statement.lstrip().upper().startswith(("SELECT", "WITH", "UPDATE", "DELETE"))
    }


def reads_a_growing_table_through(step: str) -> bool:
    if step.startswith("SCAN"):
        return step.split()[1] in (*GROWING, "e", "f", "h", "ch")
    # An index whose first column is the same for most rows: every open follow-up, or every
    # accepted event, on the server.
    return "follow_ups_status" in step or "events_quarantine" in step


def test_no_query_of_a_sync_reads_a_growing_table_through(tmp_path: Path) -> None:
    db = server_db.connect(tmp_path / "plans.sqlite")
    plans = plans_of_a_sync(db)
    assert any("follow_ups" in statement for statement in plans)
    assert any("announcement_read" in statement for statement in plans)
    through = {
        statement: steps
        for statement, steps in plans.items()
        if any(reads_a_growing_table_through(step) for step in steps)
    }
    assert through == {}, through
