"""What an accepted event changes besides the event log: follow-ups, phones, language, do-not-call.

Applied when an event arrives for a household assigned to its caller, or later when a
supervisor accepts a quarantined event. The rules are app.core.effects, shared with the
device; applying an event twice changes nothing the second time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlite_utils
from pydantic import TypeAdapter

from app.core.effects import (
    follow_up_opened,
    household_after,
    may_change_household,
    needs_campaign,
)
from app.core.errors import NotFound
from app.core.events import EventPayload, FollowUpClosed
from app.core.models import Campaign

from .campaigns import get_campaign
from .clock import iso, utcnow
from .db import next_version
from .household_corrections import apply_household_corrections
from .records import household_from_row

_payload_adapter: TypeAdapter[EventPayload] = TypeAdapter(EventPayload)


def parse_payload(payload_json: str) -> EventPayload:
    return _payload_adapter.validate_json(payload_json)


def apply_event_effects(
    db: sqlite_utils.Database,
    event_row: dict[str, Any],
    payload: EventPayload | None = None,
    *,
    now: datetime | None = None,
) -> None:
    """Apply one stored event's side effects (the row as in the ``events`` table).

    ``payload`` is the row's parsed payload when the caller has it already; ``now`` the
    moment the effects are applied at (read once per push batch rather than per event).
    """
    payload = payload or parse_payload(event_row["payload"])
    moment = now or utcnow()
    _update_household(db, payload, moment)
    follow_up = follow_up_opened(
        payload,
        event_id=event_row["event_id"],
        caller_id=event_row["caller_id"],
        created_at=moment,
    )
    now_iso = iso(moment)
    if follow_up is not None:
        db.execute(
            """INSERT INTO follow_ups (id, campaign_id, household_id, caller_id, kind,
                   due_at, detail, status, created_at, source_event_id, version)
               VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?) ON CONFLICT (id) DO NOTHING""",
            [
                follow_up.id,
                follow_up.campaign_id,
                follow_up.household_id,
                follow_up.caller_id,
                follow_up.kind,
                iso(follow_up.due_at) if follow_up.due_at else None,
                follow_up.detail,
                now_iso,
                event_row["event_id"],
                next_version(db),
            ],
        )
    if isinstance(payload, FollowUpClosed):
        db.execute(
            """UPDATE follow_ups SET status = 'closed', resolution = ?, closed_at = ?, version = ?
               WHERE id = ? AND status = 'open'""",
            [payload.resolution, now_iso, next_version(db), payload.follow_up_id],
        )
    apply_household_corrections(db, event_row, payload)


def _update_household(db: sqlite_utils.Database, payload: EventPayload, now: datetime) -> None:
    if not may_change_household(payload):
        return
    rows = list(db.query("SELECT * FROM households WHERE id = ?", [payload.household_id]))
    if not rows:
        return
    household = household_from_row(rows[0])
    campaign = _campaign(db, payload.campaign_id) if needs_campaign(payload) else None
    changed = household_after(household, payload, campaign)
    if changed is household:
        return
    db.execute(
        "UPDATE households SET body = ?, version = ?, updated_at = ? WHERE id = ?",
        [changed.model_dump_json(), next_version(db), iso(now), household.id],
    )


def _campaign(db: sqlite_utils.Database, campaign_id: str) -> Campaign | None:
    try:
        return get_campaign(db, campaign_id)
    except NotFound:
        return None
