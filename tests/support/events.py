"""Building events for tests."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from app.core.dispositions import DEFAULT_DISPOSITIONS, disposition_by_code
from app.core.events import Event, EventPayload, OutcomeRecorded
from app.core.outcome_draft import OutcomeDraft
from app.store import DeviceStore


def device_event(seq: int, payload: EventPayload, recorded_at: datetime | None = None) -> Event:
    """``payload`` as a device's ``seq``-th event: a new id, recorded now (or then)."""
    recorded_at = recorded_at or datetime.now(UTC)
    return Event(event_id=uuid.uuid4(), seq=seq, recorded_at=recorded_at, payload=payload)


def outcome_event(
    seq: int,
    campaign_id: str,
    household_id: str,
    disposition: str = "no_answer",
    *,
    recorded_at: datetime | None = None,
    **payload: Any,
) -> Event:
    outcome = OutcomeRecorded(
        campaign_id=campaign_id, household_id=household_id, disposition=disposition, **payload
    )
    return device_event(seq, outcome, recorded_at)


def push_body(device_id: str, events: list[Event]) -> dict[str, Any]:
    return {"device_id": device_id, "events": [event.model_dump(mode="json") for event in events]}


def record_outcome(
    device: DeviceStore,
    campaign_id: str,
    household_id: str,
    disposition: str = "no_answer",
    *,
    closes_follow_ups: Sequence[str] = (),
    **fields: Any,
) -> Event:
    """An outcome recorded on ``device`` as the caller's session records it: the code as its
    cached campaign (or, with none cached, the defaults) means it."""
    campaign = device.campaign(campaign_id)
    chosen = (
        disposition_by_code(campaign, disposition)
        if campaign is not None
        else next(d for d in DEFAULT_DISPOSITIONS if d.code == disposition)
    )
    draft = OutcomeDraft(campaign_id, household_id, disposition, **fields)
    return device.record_outcome(draft, chosen, closes_follow_ups=closes_follow_ups)
