"""What an accepted event changes besides the event log: follow-ups, phones, language, do-not-call.

Applied when an event arrives for a household assigned to its caller, or later when a
supervisor accepts a quarantined event. Every effect is idempotent, so applying an event
twice changes nothing the second time.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import sqlite_utils
from pydantic import TypeAdapter

from app.core.events import (
    EventPayload,
    FollowUpClosed,
    FollowUpScheduled,
    LanguageCorrected,
    OutcomeRecorded,
    PhoneCorrected,
)
from app.core.models import PhoneNumber

from .clock import iso, utcnow
from .db import next_version

_payload_adapter: TypeAdapter[EventPayload] = TypeAdapter(EventPayload)

BAD_NUMBER_DISPOSITIONS = frozenset({"wrong_number", "disconnected"})


def parse_payload(payload_json: str) -> EventPayload:
    return _payload_adapter.validate_json(payload_json)


def apply_event_effects(
    db: sqlite_utils.Database, event_row: dict[str, Any], payload: EventPayload | None = None
) -> None:
    """Apply one stored event's side effects (the row as in the ``events`` table).

    ``payload`` is the row's parsed payload when the caller has it already.
    """
    payload = payload or parse_payload(event_row["payload"])
    caller_id = event_row["caller_id"]
    if isinstance(payload, OutcomeRecorded):
        _apply_outcome(db, payload, event_row)
    elif isinstance(payload, FollowUpScheduled):
        _open_follow_up(
            db,
            follow_up_id=payload.follow_up_id,
            payload=payload,
            caller_id=caller_id,
            kind=payload.follow_up_kind,
            due_at=iso(payload.due_at) if payload.due_at else None,
            detail=payload.detail,
            source_event_id=event_row["event_id"],
        )
    elif isinstance(payload, FollowUpClosed):
        db.execute(
            """UPDATE follow_ups SET status = 'closed', resolution = ?, closed_at = ?, version = ?
               WHERE id = ? AND status = 'open'""",
            [payload.resolution, iso(utcnow()), next_version(db), payload.follow_up_id],
        )
    elif isinstance(payload, PhoneCorrected):
        _correct_phone(db, payload)
    elif isinstance(payload, LanguageCorrected):
        _update_household(db, payload.household_id, language=payload.language)


def _apply_outcome(
    db: sqlite_utils.Database, payload: OutcomeRecorded, event_row: dict[str, Any]
) -> None:
    if payload.callback_at is not None:
        _open_follow_up(
            db,
            follow_up_id=payload.follow_up_id
            or str(uuid.uuid5(uuid.NAMESPACE_URL, f"callback:{event_row['event_id']}")),
            payload=payload,
            caller_id=event_row["caller_id"],
            kind="callback",
            due_at=iso(payload.callback_at),
            detail=payload.notes,
            source_event_id=event_row["event_id"],
        )
    if payload.disposition == "do_not_call":
        _update_household(db, payload.household_id, do_not_call=1)
    if payload.disposition in BAD_NUMBER_DISPOSITIONS and payload.phone:
        _correct_phone(
            db,
            PhoneCorrected(
                campaign_id=payload.campaign_id,
                household_id=payload.household_id,
                old_number=payload.phone,
                bad=True,
            ),
        )


def _open_follow_up(
    db: sqlite_utils.Database,
    *,
    follow_up_id: str,
    payload: OutcomeRecorded | FollowUpScheduled,
    caller_id: str,
    kind: str,
    due_at: str | None,
    detail: str,
    source_event_id: str,
) -> None:
    db.execute(
        """INSERT OR IGNORE INTO follow_ups (id, campaign_id, household_id, caller_id, kind,
               due_at, detail, status, created_at, source_event_id, version)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)""",
        [
            follow_up_id,
            payload.campaign_id,
            payload.household_id,
            caller_id,
            kind,
            due_at,
            detail,
            iso(utcnow()),
            source_event_id,
            next_version(db),
        ],
    )


def _correct_phone(db: sqlite_utils.Database, correction: PhoneCorrected) -> None:
    row = db.execute(
        "SELECT phones FROM households WHERE id = ?", [correction.household_id]
    ).fetchone()
    if row is None:
        return
    phones = [PhoneNumber.model_validate(item) for item in json.loads(row[0])]
    if correction.old_number:
        for phone in phones:
            if phone.number == correction.old_number and (correction.bad or correction.new_number):
                phone.bad = True
    if correction.new_number and all(p.number != correction.new_number for p in phones):
        phones.insert(0, PhoneNumber(number=correction.new_number))
    encoded = json.dumps([p.model_dump(mode="json") for p in phones], ensure_ascii=False)
    if encoded != row[0]:
        _update_household(db, correction.household_id, phones=encoded)


def _update_household(db: sqlite_utils.Database, household_id: str, **columns: Any) -> None:
    assignments = ", ".join(f"{name} = ?" for name in columns)
    db.execute(
        f"UPDATE households SET {assignments}, version = ?, updated_at = ? WHERE id = ?",
        [*columns.values(), next_version(db), iso(utcnow()), household_id],
    )
