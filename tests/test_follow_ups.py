"""The supervisor's follow-up queue: due first, closed once, handed on."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlite_utils

from app.core.errors import Conflict, NotFound
from app.core.reports import FollowUpItem
from sync_server import auth, followups
from sync_server.clock import utcnow
from sync_server.db import Store
from tests.support.server_rows import add_follow_up, add_household, new_campaign


@pytest.fixture
def db() -> sqlite_utils.Database:
    return Store(":memory:").db


@pytest.fixture
def queue(db: sqlite_utils.Database) -> dict[str, str]:
    """Follow-ups due tomorrow, overdue, undated and closed, for two callers and campaigns."""
    campaign, other = new_campaign(db), new_campaign(db, "fair")
    ana = auth.create_caller(db, "Ana", ["en"]).id
    bea = auth.create_caller(db, "Bea", ["en"]).id
    household = add_household(db, campaign.id, caller_id=ana)
    now = utcnow()
    return {
        "campaign": campaign.id,
        "other": other.id,
        "ana": ana,
        "bea": bea,
        "household": household,
        "tomorrow": add_follow_up(db, campaign.id, household, ana, now + timedelta(days=1)),
        "overdue": add_follow_up(db, campaign.id, household, bea, now - timedelta(hours=1)),
        "undated": add_follow_up(db, campaign.id, household, ana, None, kind="referral"),
        "elsewhere": add_follow_up(db, other.id, household, ana, now + timedelta(days=2)),
        "closed": add_follow_up(db, campaign.id, household, ana, now, status="closed"),
    }


def _ids(items: list[FollowUpItem], queue: dict[str, str]) -> list[str]:
    names = {value: key for key, value in queue.items()}
    return [names[item.id] for item in items]


@pytest.mark.parametrize(
    ("campaign", "caller", "expected"),
    [
        (None, None, ["overdue", "tomorrow", "elsewhere", "undated"]),
        ("campaign", None, ["overdue", "tomorrow", "undated"]),
        ("campaign", "ana", ["tomorrow", "undated"]),
        (None, "bea", ["overdue"]),
    ],
)
def test_open_follow_ups_due_first(
    db: sqlite_utils.Database,
    queue: dict[str, str],
    campaign: str | None,
    caller: str | None,
    expected: list[str],
) -> None:
    items = followups.open_follow_ups(
        db,
        campaign_id=queue[campaign] if campaign else None,
        caller_id=queue[caller] if caller else None,
    )
    assert _ids(items, queue) == expected


def test_the_queue_says_who_and_what_is_overdue(
    db: sqlite_utils.Database, queue: dict[str, str]
) -> None:
    items = {item.id: item for item in followups.open_follow_ups(db)}
    overdue = items[queue["overdue"]]
    assert overdue.overdue and overdue.caller_name == "Bea"
    assert overdue.household_name.startswith("Family")
    assert not items[queue["tomorrow"]].overdue
    assert not items[queue["undated"]].overdue


def test_close_keeps_the_first_resolution(db: sqlite_utils.Database, queue: dict[str, str]) -> None:
    before = db.execute(
        "SELECT version FROM follow_ups WHERE id = ?", [queue["tomorrow"]]
    ).fetchone()
    closed = followups.close_follow_up(db, queue["tomorrow"], "  Hotspot delivered ")
    assert (closed.status, closed.resolution) == ("closed", "Hotspot delivered")
    assert closed.closed_at is not None
    after = db.execute(
        "SELECT version FROM follow_ups WHERE id = ?", [queue["tomorrow"]]
    ).fetchone()
    assert after[0] > before[0]
    again = followups.close_follow_up(db, queue["tomorrow"], "something else")
    assert again.resolution == "Hotspot delivered"
    assert queue["tomorrow"] not in {item.id for item in followups.open_follow_ups(db)}


def test_reassign(db: sqlite_utils.Database, queue: dict[str, str]) -> None:
    moved = followups.reassign_follow_up(db, queue["tomorrow"], queue["bea"])
    assert (moved.caller_id, moved.caller_name) == (queue["bea"], "Bea")
    assert followups.reassign_follow_up(db, queue["tomorrow"], None).caller_id is None


@pytest.mark.parametrize(
    ("follow_up", "caller", "error"),
    [
        ("closed", "bea", Conflict),
        ("tomorrow", "inactive", Conflict),
        ("tomorrow", "nobody", NotFound),
        ("no-such-follow-up", "bea", NotFound),
    ],
)
def test_refused_reassignments(
    db: sqlite_utils.Database,
    queue: dict[str, str],
    follow_up: str,
    caller: str,
    error: type[Exception],
) -> None:
    if caller == "inactive":
        db.execute("UPDATE callers SET active = 0 WHERE id = ?", [queue["bea"]])
    caller_id = queue.get(caller, queue["bea"] if caller == "inactive" else caller)
    with pytest.raises(error):
        followups.reassign_follow_up(db, queue.get(follow_up, follow_up), caller_id)


def test_closing_an_unknown_follow_up(db: sqlite_utils.Database) -> None:
    with pytest.raises(NotFound):
        followups.close_follow_up(db, "nope", "")
