"""Rows of the server database to core models and back; the one place that knows columns."""

from __future__ import annotations

import json
from typing import Any

from app.core.models import Campaign, FollowUp, Household, OutcomeSummary, Script


def household_row(household: Household, *, dedupe_key: str) -> dict[str, Any]:
    """Columns for ``households`` (without version/created_at/updated_at)."""
    data = household.model_dump(mode="json")
    return {
        **{key: data[key] for key in ("id", "name", "language", "school", "timezone")},
        "address": data["address"],
        "external_id": data["external_id"],
        "phones": json.dumps(data["phones"], ensure_ascii=False),
        "members": json.dumps(data["members"], ensure_ascii=False),
        "tags": json.dumps(data["tags"], ensure_ascii=False),
        "do_not_call": int(household.do_not_call),
        "text_opt_out": int(household.text_opt_out),
        "dedupe_key": dedupe_key,
    }


def household_from_row(row: dict[str, Any]) -> Household:
    return Household(
        id=row["id"],
        name=row["name"],
        phones=json.loads(row["phones"]),
        language=row["language"],
        members=json.loads(row["members"]),
        tags=json.loads(row["tags"]),
        school=row["school"],
        timezone=row["timezone"],
        address=row["address"],
        external_id=row["external_id"],
        do_not_call=bool(row["do_not_call"]),
        text_opt_out=bool(row["text_opt_out"]),
    )


def campaign_from_row(row: dict[str, Any]) -> Campaign:
    return Campaign.model_validate_json(row["body"])


def script_from_row(row: dict[str, Any]) -> Script:
    return Script.model_validate_json(row["body"])


def follow_up_from_row(row: dict[str, Any]) -> FollowUp:
    return FollowUp(
        id=row["id"],
        campaign_id=row["campaign_id"],
        household_id=row["household_id"],
        caller_id=row["caller_id"],
        kind=row["kind"],
        due_at=row["due_at"],
        detail=row["detail"],
        status=row["status"],
        created_at=row["created_at"],
        closed_at=row["closed_at"],
        resolution=row["resolution"],
    )


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
