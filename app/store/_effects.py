"""What an event does to the device's cache, written once and used twice.

Recording an action applies its event here in the same transaction as the outbox row;
after a pull replaced cached rows with the server's, the events the server has not
acknowledged yet are applied again (the way Replicache rebases pending mutations), so
the caller keeps seeing their own unsynced work. Every effect is therefore idempotent.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import sqlite_utils

from app.core.effects import follow_up_opened, household_after, needs_campaign
from app.core.events import EventPayload, FollowUpClosed, NoteAdded, OutcomeRecorded
from app.core.household_notes import with_note
from app.core.models import Caller, Campaign, FollowUp, Household, HouseholdNote, OutcomeSummary

from ._rows import follow_up_row, household_from_row, household_row, outcome_row


def apply_event(
    db: sqlite_utils.Database,
    event_id: UUID,
    recorded_at: datetime,
    payload: EventPayload,
    caller_id: str,
) -> None:
    """Apply one event to the cache; an event for a household not cached changes nothing."""
    household = _household(db, payload.household_id)
    if household is None:
        return
    if isinstance(payload, OutcomeRecorded):
        summary = OutcomeSummary(
            event_id=str(event_id),
            campaign_id=payload.campaign_id,
            household_id=payload.household_id,
            caller_id=caller_id,
            disposition=payload.disposition,
            channel=payload.channel,
            notes=payload.notes,
            recorded_at=recorded_at,
        )
        db.table("outcomes").insert(outcome_row(summary), pk="event_id", ignore=True)
    campaign = _campaign(db, payload.campaign_id) if needs_campaign(payload) else None
    changed = household_after(household, payload, campaign)
    if isinstance(payload, NoteAdded):
        changed = with_note(changed, _note(db, event_id, recorded_at, payload, caller_id))
    if changed is not household:
        db.table("households").upsert(household_row(changed), pk="id")
    follow_up = follow_up_opened(
        payload, event_id=event_id, caller_id=caller_id, created_at=recorded_at
    )
    if follow_up is not None:
        # ignore=True: a follow-up the server already sent back (maybe closed since) wins.
        db.table("follow_ups").insert(follow_up_row(follow_up), pk="id", ignore=True)
    if isinstance(payload, FollowUpClosed):
        _close_follow_up(db, recorded_at, payload)


def _note(
    db: sqlite_utils.Database,
    event_id: UUID,
    recorded_at: datetime,
    payload: NoteAdded,
    caller_id: str,
) -> HouseholdNote:
    """The note as the server will send it back (same id), signed with this caller's name."""
    row = db.execute("SELECT value FROM meta WHERE key = 'caller'").fetchone()
    name = Caller.model_validate_json(row[0]).name if row and row[0] else ""
    return HouseholdNote(
        id=str(event_id),
        text=payload.text,
        caller_id=caller_id or None,
        caller_name=name,
        recorded_at=recorded_at,
        campaign_id=payload.campaign_id,
    )


def _household(db: sqlite_utils.Database, household_id: str) -> Household | None:
    rows = list(db.query("SELECT body FROM households WHERE id = ?", [household_id]))
    return household_from_row(rows[0]) if rows else None


def _campaign(db: sqlite_utils.Database, campaign_id: str) -> Campaign | None:
    rows = list(db.query("SELECT body FROM campaigns WHERE id = ?", [campaign_id]))
    return Campaign.model_validate_json(rows[0]["body"]) if rows else None


def _close_follow_up(
    db: sqlite_utils.Database, recorded_at: datetime, payload: FollowUpClosed
) -> None:
    rows = list(db.query("SELECT body FROM follow_ups WHERE id = ?", [payload.follow_up_id]))
    if not rows:
        return
    follow_up = FollowUp.model_validate_json(rows[0]["body"])
    if follow_up.status == "closed":
        return
    closed = follow_up.model_copy(
        update={
            "status": "closed",
            "closed_at": recorded_at,
            "resolution": payload.resolution,
        }
    )
    db.table("follow_ups").upsert(follow_up_row(closed), pk="id")
