"""Quarantined events: outcomes and notes pushed for a household its caller no longer had,
and outcomes whose code their campaign does not define (``QuarantinedEvent.reason``).

They are never dropped. A supervisor accepts one (its effects apply and it counts from
then on) or dismisses it (kept, marked dismissed, counted nowhere). Accepting a dismissed
event is allowed — a change of mind; dismissing an accepted one is not, since its effects
have already happened. An outcome with an unknown code is accepted only once its campaign
defines the code: until then no one knows what it means.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from app.core.dispositions import disposition_by_code
from app.core.errors import Conflict, NotFound
from app.core.reports import QuarantinedEvent, QuarantineStatus

from .campaigns import get_campaign
from .db import next_version
from .effects import apply_event_effects
from .roles import EVERY_SCHOOL, Scope
from .sql_filters import where_matching

_SELECT = """SELECT e.*, c.name AS caller_name, h.name AS household_name,
                    ch.caller_id AS assigned_caller_id
             FROM events e
             LEFT JOIN callers c ON c.id = e.caller_id
             LEFT JOIN households h ON h.id = e.household_id
             LEFT JOIN campaign_households ch
                    ON ch.campaign_id = e.campaign_id AND ch.household_id = e.household_id"""


def _item(row: dict[str, Any]) -> QuarantinedEvent:
    return QuarantinedEvent(
        event_id=row["event_id"],
        device_id=row["device_id"],
        caller_id=row["caller_id"],
        caller_name=row["caller_name"] or "",
        kind=row["kind"],
        campaign_id=row["campaign_id"],
        household_id=row["household_id"],
        household_name=row["household_name"],
        assigned_caller_id=row["assigned_caller_id"],
        disposition=row["disposition"],
        payload=json.loads(row["payload"]),
        recorded_at=row["recorded_at"],
        received_at=row["received_at"],
        status=row["quarantine_status"],
        reason=row["quarantine_reason"] or "not_assigned",
    )


def list_quarantined(
    db: sqlite_utils.Database,
    status: QuarantineStatus | None = "open",
    *,
    campaign_id: str | None = None,
    limit: int = 1000,
    scope: Scope = EVERY_SCHOOL,
) -> list[QuarantinedEvent]:
    """Quarantined events of the scope's households in the order the server received them;
    ``status=None``: all."""
    where, params = where_matching(
        f"e.quarantined = 1 AND {scope.clause('h.school')}",
        {"e.quarantine_status": status, "e.campaign_id": campaign_id},
    )
    params.update(scope.params)
    # `+e.version`: sorting the few quarantined rows beats walking a million events in
    # version order, which the planner prefers when statistics hide how few they are.
    return [
        _item(row)
        for row in db.query(
            f"{_SELECT} WHERE {where} ORDER BY +e.version LIMIT :limit", {**params, "limit": limit}
        )
    ]


def get_quarantined(db: sqlite_utils.Database, event_id: str) -> QuarantinedEvent:
    rows = list(db.query(f"{_SELECT} WHERE e.event_id = ? AND e.quarantined = 1", [event_id]))
    if not rows:
        raise NotFound(f"No quarantined event with id {event_id!r}")
    return _item(rows[0])


def accept(db: sqlite_utils.Database, event_id: str) -> QuarantinedEvent:
    """Let the event stand: its effects apply once, and progress counts it from now on.

    Nothing is assigned: the household stays with whoever has it.
    """
    with db.atomic():
        current = get_quarantined(db, event_id)
        if current.status == "accepted":
            return current
        if current.reason == "unknown_disposition" and current.disposition is not None:
            try:
                disposition_by_code(get_campaign(db, current.campaign_id), current.disposition)
            except NotFound as unknown:
                raise Conflict(
                    f"{unknown.message}: add it to the campaign's outcomes to accept this "
                    "event, or dismiss it"
                ) from unknown
        db.execute(
            "UPDATE events SET quarantine_status = 'accepted', version = ? WHERE event_id = ?",
            [next_version(db), event_id],
        )
        row = next(iter(db.query("SELECT * FROM events WHERE event_id = ?", [event_id])))
        apply_event_effects(db, row)
        return get_quarantined(db, event_id)


def dismiss(db: sqlite_utils.Database, event_id: str) -> QuarantinedEvent:
    """Set the event aside: kept, marked dismissed, with no effect and counted nowhere."""
    with db.atomic():
        current = get_quarantined(db, event_id)
        if current.status == "dismissed":
            return current
        if current.status == "accepted":
            raise Conflict("That event was already accepted and its effects applied")
        db.execute(
            "UPDATE events SET quarantine_status = 'dismissed' WHERE event_id = ?", [event_id]
        )
        return get_quarantined(db, event_id)
