"""Rows of the server database to core models and back; the one place that knows columns."""

from __future__ import annotations

import json
from typing import Any

from app.core.models import Campaign, FollowUp, Household, OutcomeSummary, Script


def household_row(household: Household, *, dedupe_key: str) -> dict[str, Any]:
    """Columns for ``households`` (without version/created_at/updated_at). What is not known
    (None) is left out of the body: a smaller row, and the model reads it back as None."""
    body = household.model_dump_json(exclude_none=True)
    return {"id": household.id, "body": body, "dedupe_key": dedupe_key}


def household_from_row(row: dict[str, Any]) -> Household:
    return Household.model_validate_json(row["body"])


def campaign_from_row(row: dict[str, Any]) -> Campaign:
    return Campaign.model_validate_json(row["body"])


def script_from_row(row: dict[str, Any]) -> Script:
    return Script.model_validate_json(row["body"])


def follow_up_from_row(row: dict[str, Any]) -> FollowUp:
    return FollowUp.model_validate({name: row[name] for name in FollowUp.model_fields})


def outcome_from_row(row: dict[str, Any]) -> OutcomeSummary:
    payload = json.loads(row["payload"])
    return OutcomeSummary(
        event_id=row["event_id"],
        campaign_id=row["campaign_id"],
        household_id=row["household_id"],
        caller_id=row["caller_id"],
        disposition=row["disposition"],
        channel=row["channel"] or "call",
        notes=payload.get("notes", ""),
        recorded_at=row["recorded_at"],
    )
