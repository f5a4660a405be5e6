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

from app.core.events import (
    EventPayload,
    FollowUpClosed,
    FollowUpScheduled,
    LanguageCorrected,
    NoteAdded,
    OutcomeRecorded,
    PhoneCorrected,
)
from app.core.models import FollowUp, Household, OutcomeSummary, PhoneNumber

from ._rows import follow_up_row, household_from_row, household_row, outcome_row

BAD_NUMBER_DISPOSITIONS = frozenset({"wrong_number", "disconnected"})


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
    match payload:
        case OutcomeRecorded():
            _outcome(db, event_id, recorded_at, payload, caller_id)
        case FollowUpScheduled():
            _insert_follow_up(
                db,
                FollowUp(
                    id=payload.follow_up_id,
                    campaign_id=payload.campaign_id,
                    household_id=payload.household_id,
                    caller_id=caller_id,
                    kind=payload.follow_up_kind,
                    due_at=payload.due_at,
                    detail=payload.detail,
                    created_at=recorded_at,
                ),
            )
        case FollowUpClosed():
            _close_follow_up(db, recorded_at, payload)
        case PhoneCorrected():
            _save_household(db, corrected_phones(household, payload))
        case LanguageCorrected():
            _save_household(db, household.model_copy(update={"language": payload.language}))
        case NoteAdded():
            pass  # a note lives in the outbox only; notes_for() reads it from there


def corrected_phones(household: Household, correction: PhoneCorrected) -> Household:
    """The household after a phone correction, as the server will make it.

    The old number is marked bad when it is declared bad or replaced; a new number goes
    first in the list unless the household has it already.
    """
    phones = [phone.model_copy() for phone in household.phones]
    if correction.old_number and (correction.bad or correction.new_number):
        for phone in phones:
            if phone.number == correction.old_number:
                phone.bad = True
    if correction.new_number and all(p.number != correction.new_number for p in phones):
        phones.insert(0, PhoneNumber(number=correction.new_number))
    return household.model_copy(update={"phones": phones})


def _household(db: sqlite_utils.Database, household_id: str) -> Household | None:
    rows = list(db.query("SELECT body FROM households WHERE id = ?", [household_id]))
    return household_from_row(rows[0]) if rows else None


def _save_household(db: sqlite_utils.Database, household: Household) -> None:
    db.table("households").upsert(household_row(household), pk="id")


def _outcome(
    db: sqlite_utils.Database,
    event_id: UUID,
    recorded_at: datetime,
    payload: OutcomeRecorded,
    caller_id: str,
) -> None:
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
    # The same side effects the server gives the outcome, so the list is right before sync.
    household = _household(db, payload.household_id)
    if household is not None:
        changed = household
        if payload.disposition == "do_not_call":
            changed = changed.model_copy(update={"do_not_call": True})
        if payload.disposition in BAD_NUMBER_DISPOSITIONS and payload.phone:
            changed = corrected_phones(
                changed,
                PhoneCorrected(
                    campaign_id=payload.campaign_id,
                    household_id=payload.household_id,
                    old_number=payload.phone,
                    bad=True,
                ),
            )
        if changed != household:
            _save_household(db, changed)
    if payload.follow_up_id and payload.callback_at:
        _insert_follow_up(
            db,
            FollowUp(
                id=payload.follow_up_id,
                campaign_id=payload.campaign_id,
                household_id=payload.household_id,
                caller_id=caller_id,
                kind="callback",
                due_at=payload.callback_at,
                detail=payload.notes,
                created_at=recorded_at,
            ),
        )


def _insert_follow_up(db: sqlite_utils.Database, follow_up: FollowUp) -> None:
    # ignore=True: a follow-up the server already sent back (maybe closed since) wins.
    db.table("follow_ups").insert(follow_up_row(follow_up), pk="id", ignore=True)


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
