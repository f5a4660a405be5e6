"""Building events for tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from app.core.events import Event, OutcomeRecorded


def outcome_event(
    seq: int,
    campaign_id: str,
    household_id: str,
    disposition: str = "no_answer",
    *,
    recorded_at: datetime | None = None,
    **payload: Any,
) -> Event:
    return Event(
        event_id=uuid.uuid4(),
        seq=seq,
        recorded_at=recorded_at or datetime.now(UTC),
        payload=OutcomeRecorded(
            campaign_id=campaign_id, household_id=household_id, disposition=disposition, **payload
        ),
    )


def push_body(device_id: str, events: list[Event]) -> dict[str, Any]:
    return {"device_id": device_id, "events": [event.model_dump(mode="json") for event in events]}
