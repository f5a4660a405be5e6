"""Device rows to core models and back; the one place that knows the local columns."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from app.core.events import Event
from app.core.models import Assignment, FollowUp, Household, OutcomeSummary


def iso(moment: datetime) -> str:
    """UTC ISO 8601, so that text order is time order; a naive time is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def household_row(household: Household) -> dict[str, Any]:
    return {
        "id": household.id,
        "name": household.name,
        "language": household.language,
        "body": household.model_dump_json(),
    }


def household_from_row(row: dict[str, Any]) -> Household:
    return Household.model_validate_json(row["body"])


def assignment_row(assignment_id: str, assignment: Assignment) -> dict[str, Any]:
    return {
        "id": assignment_id,
        "campaign_id": assignment.campaign_id,
        "household_id": assignment.household_id,
        "caller_id": assignment.caller_id,
        "assigned_at": iso(assignment.assigned_at) if assignment.assigned_at else None,
    }


def follow_up_row(follow_up: FollowUp) -> dict[str, Any]:
    return {
        "id": follow_up.id,
        "campaign_id": follow_up.campaign_id,
        "household_id": follow_up.household_id,
        "status": follow_up.status,
        "kind": follow_up.kind,
        "due_at": iso(follow_up.due_at) if follow_up.due_at else None,
        "body": follow_up.model_dump_json(),
    }


def follow_up_from_row(row: dict[str, Any]) -> FollowUp:
    return FollowUp.model_validate_json(row["body"])


def outcome_row(outcome: OutcomeSummary) -> dict[str, Any]:
    return {
        "event_id": outcome.event_id,
        "campaign_id": outcome.campaign_id,
        "household_id": outcome.household_id,
        "caller_id": outcome.caller_id,
        "disposition": outcome.disposition,
        "channel": outcome.channel,
        "notes": outcome.notes,
        "recorded_at": iso(outcome.recorded_at),
    }


def outcome_from_row(row: dict[str, Any]) -> OutcomeSummary:
    return OutcomeSummary.model_validate(row)


def outbox_row(event: Event, device_id: str | None, position: int) -> dict[str, Any]:
    return {
        "event_id": str(event.event_id),
        "position": position,
        "device_id": device_id,
        "seq": event.seq,
        "kind": event.payload.kind,
        "campaign_id": event.payload.campaign_id,
        "household_id": event.payload.household_id,
        "payload": event.payload.model_dump_json(),
        "recorded_at": iso(event.recorded_at),
        "state": "pending",
    }


def event_from_row(row: dict[str, Any]) -> Event:
    """The event as it goes on the wire (a row with a seq: pending or acked)."""
    return Event.model_validate(
        {
            "event_id": row["event_id"],
            "seq": row["seq"],
            "recorded_at": row["recorded_at"],
            "payload": json.loads(row["payload"]),
        }
    )
