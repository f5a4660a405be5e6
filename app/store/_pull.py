"""Applying one pull page's changes to the cache (the caller wraps it in a transaction)."""

from __future__ import annotations

import sqlite_utils

from app.core.announcements import Announcement
from app.core.models import Assignment, Campaign, FollowUp, Household, OutcomeSummary, Script
from app.core.protocol import Change

from ._rows import assignment_row, follow_up_row, household_row, outcome_row
from ._schema import CACHED_TABLES


def drop_cache(db: sqlite_utils.Database) -> None:
    """Forget every cached entity; the outbox and the identity stay."""
    for table in CACHED_TABLES:
        db.execute(f"DELETE FROM {table}")


def apply_change(db: sqlite_utils.Database, change: Change) -> str | None:
    """Apply one change; return the household it touched, if any."""
    if change.op == "remove":
        return _remove(db, change)
    data = change.data or {}
    match change.entity:
        case "campaign":
            campaign = Campaign.model_validate(data, extra="ignore")
            row = {"id": change.id, "body": campaign.model_dump_json()}
            db.table("campaigns").upsert(row, pk="id")
        case "script":
            script = Script.model_validate(data, extra="ignore")
            db.table("scripts").upsert(
                {
                    "id": change.id,
                    "campaign_id": script.campaign_id,
                    "language": script.language,
                    "body": script.model_dump_json(),
                },
                pk="id",
            )
        case "household":
            household = Household.model_validate(data, extra="ignore")
            db.table("households").upsert(household_row(household), pk="id")
            return household.id
        case "assignment":
            assignment = Assignment.model_validate(data, extra="ignore")
            db.table("assignments").upsert(assignment_row(change.id, assignment), pk="id")
            return assignment.household_id
        case "follow_up":
            follow_up = FollowUp.model_validate(data, extra="ignore")
            db.table("follow_ups").upsert(follow_up_row(follow_up), pk="id")
            return follow_up.household_id
        case "outcome":
            outcome = OutcomeSummary.model_validate(data, extra="ignore")
            db.table("outcomes").upsert(outcome_row(outcome), pk="event_id")
            return outcome.household_id
        case "announcement":
            announcement = Announcement.model_validate(data, extra="ignore")
            db.table("announcements").upsert(
                {
                    "id": change.id,
                    "campaign_id": announcement.campaign_id,
                    "posted_at": announcement.posted_at.isoformat(),
                    "body": announcement.model_dump_json(),
                },
                pk="id",
            )
    return None


def _remove(db: sqlite_utils.Database, change: Change) -> str | None:
    match change.entity:
        case "campaign":
            db.execute("DELETE FROM scripts WHERE campaign_id = ?", [change.id])
            db.execute("DELETE FROM campaigns WHERE id = ?", [change.id])
        case "script":
            db.execute("DELETE FROM scripts WHERE id = ?", [change.id])
        case "household":
            # What the device held about the family goes with it; its own events stay in
            # the outbox (the server keeps them, quarantined if need be).
            for table in ("follow_ups", "outcomes", "assignments"):
                db.execute(f"DELETE FROM {table} WHERE household_id = ?", [change.id])
            db.execute("DELETE FROM households WHERE id = ?", [change.id])
        case "assignment":
            db.execute("DELETE FROM assignments WHERE id = ?", [change.id])
        case "follow_up":
            db.execute("DELETE FROM follow_ups WHERE id = ?", [change.id])
        case "outcome":
            db.execute("DELETE FROM outcomes WHERE event_id = ?", [change.id])
        case "announcement":
            db.execute("DELETE FROM announcements WHERE id = ?", [change.id])
    return None
