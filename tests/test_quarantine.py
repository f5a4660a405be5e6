"""Quarantined events: listed, then accepted (effects apply, progress counts) or dismissed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlite_utils

from app.core.errors import Conflict, NotFound
from sync_server import auth, progress, quarantine
from sync_server.db import Store
from tests.support.server_rows import NOON, add_device, add_household, add_outcome, new_campaign


@pytest.fixture
def db() -> sqlite_utils.Database:
    return Store(":memory:").db


@pytest.fixture
def pushed(db: sqlite_utils.Database) -> Callable[..., str]:
    """An event Bea pushed for a household that is Ana's: quarantined."""
    campaign = new_campaign(db)
    ana = auth.create_caller(db, "Ana", ["en"])
    bea = auth.create_caller(db, "Bea", ["en"])
    household = add_household(db, campaign.id, caller_id=ana.id)
    phone = add_device(db, bea.id)

    def push(disposition: str = "reached_complete", **fields: Any) -> str:
        return add_outcome(
            db, phone, campaign.id, household, disposition, quarantined=True, **fields
        )

    return push


def _reached(db: sqlite_utils.Database) -> int:
    campaign_id = db.execute("SELECT id FROM campaigns").fetchone()[0]
    return progress.campaign_progress(db, campaign_id).totals.reached


def _events(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT count(*) FROM events").fetchone()[0])


def test_listed_with_who_has_the_household_now(
    db: sqlite_utils.Database, pushed: Callable[..., str]
) -> None:
    event_id = pushed()
    [item] = quarantine.list_quarantined(db)
    assert item.event_id == event_id and item.status == "open"
    assert item.caller_name == "Bea"
    ana = db.execute("SELECT id FROM callers WHERE name = 'Ana'").fetchone()[0]
    assert item.assigned_caller_id == ana
    assert item.payload["disposition"] == "reached_complete"
    assert quarantine.list_quarantined(db, "accepted") == []


def test_accept_applies_effects_once_and_counts_from_then_on(
    db: sqlite_utils.Database, pushed: Callable[..., str]
) -> None:
    event_id = pushed("call_back_later", callback_at=NOON)
    assert _reached(db) == 0
    version = db.execute("SELECT version FROM events WHERE event_id = ?", [event_id]).fetchone()[0]

    accepted = quarantine.accept(db, event_id)

    assert accepted.status == "accepted"
    assert _reached(db) == 1
    row = db.execute("SELECT version FROM events WHERE event_id = ?", [event_id]).fetchone()
    assert row[0] > version  # devices holding the household receive it as history
    assert db.execute("SELECT count(*), caller_id FROM follow_ups").fetchone()[0] == 1
    again = quarantine.accept(db, event_id)
    assert again.status == "accepted"
    assert db.execute("SELECT count(*) FROM follow_ups").fetchone()[0] == 1
    assert _reached(db) == 1


def test_accept_assigns_nothing(db: sqlite_utils.Database, pushed: Callable[..., str]) -> None:
    before = db.execute("SELECT caller_id, version FROM campaign_households").fetchall()
    quarantine.accept(db, pushed())
    assert db.execute("SELECT caller_id, version FROM campaign_households").fetchall() == before


def test_accepting_do_not_call_marks_the_household(
    db: sqlite_utils.Database, pushed: Callable[..., str]
) -> None:
    quarantine.accept(db, pushed("do_not_call"))
    assert db.execute("SELECT do_not_call FROM households").fetchone()[0] == 1


def test_dismissed_is_kept_and_counted_nowhere(
    db: sqlite_utils.Database, pushed: Callable[..., str]
) -> None:
    event_id = pushed("do_not_call")
    count = _events(db)

    dismissed = quarantine.dismiss(db, event_id)

    assert dismissed.status == "dismissed"
    assert _events(db) == count
    assert _reached(db) == 0
    assert db.execute("SELECT do_not_call FROM households").fetchone()[0] == 0
    assert [e.event_id for e in quarantine.list_quarantined(db, "dismissed")] == [event_id]
    assert quarantine.list_quarantined(db) == []


def test_a_dismissed_event_can_still_be_accepted(
    db: sqlite_utils.Database, pushed: Callable[..., str]
) -> None:
    event_id = pushed()
    quarantine.dismiss(db, event_id)
    assert quarantine.accept(db, event_id).status == "accepted"
    assert _reached(db) == 1


def test_an_accepted_event_cannot_be_dismissed(
    db: sqlite_utils.Database, pushed: Callable[..., str]
) -> None:
    event_id = pushed()
    quarantine.accept(db, event_id)
    with pytest.raises(Conflict):
        quarantine.dismiss(db, event_id)
    assert quarantine.get_quarantined(db, event_id).status == "accepted"


@pytest.mark.parametrize("decide", [quarantine.accept, quarantine.dismiss])
def test_only_quarantined_events_can_be_decided(
    db: sqlite_utils.Database, decide: Callable[[sqlite_utils.Database, str], object]
) -> None:
    campaign = new_campaign(db)
    caller = auth.create_caller(db, "Ana", ["en"])
    household = add_household(db, campaign.id, caller_id=caller.id)
    applied = add_outcome(db, add_device(db, caller.id), campaign.id, household)
    for event_id in (applied, "no-such-event"):
        with pytest.raises(NotFound):
            decide(db, event_id)
    assert db.execute("SELECT quarantine_status FROM events").fetchone()[0] is None
