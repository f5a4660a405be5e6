"""An outcome whose code its campaign does not define is kept in quarantine with that reason
(stored, not counted) until a supervisor defines the code and accepts it, or dismisses it;
the API shows each campaign's effective outcomes, the defaults included."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.dispositions import DEFAULT_DISPOSITIONS
from app.core.models import Caller, Campaign
from sync_server.db import Store
from tests.support.events import outcome_event, push_body
from tests.support.phone_bank import JoinedDevice
from tests.support.server_rows import make_household, seed_households

ADMIN = "/api/v1/admin"


@pytest.fixture
def push(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    make_caller: Callable[..., Caller],
    joined_device: Callable[[Caller], JoinedDevice],
) -> Callable[[str], dict[str, Any]]:
    """Push one outcome with a code for a household the device's caller has."""
    device = joined_device(make_caller())
    household = make_household(1)
    seed_households(store, campaign.id, [household], caller_id=device.caller.id)

    def outcome(code: str) -> dict[str, Any]:
        event = outcome_event(1, campaign.id, household.id, code)
        body = push_body(device.device_id, [event])
        response = client.post("/api/v1/sync/push", json=body, headers=device.headers)
        assert response.status_code == 200, response.text
        [result] = response.json()["results"]
        return {"status": result["status"], "event_id": str(event.event_id)}

    return outcome


def totals(client: TestClient, headers: dict[str, str], campaign: Campaign) -> tuple[int, int]:
    report = client.get(f"{ADMIN}/campaigns/{campaign.id}/progress", headers=headers).json()
    return report["totals"]["attempted"], report["totals"]["calls"]


def test_an_unknown_code_is_quarantined_with_its_reason_and_not_counted(
    client: TestClient, supervisor_headers: dict[str, str], campaign: Campaign, push: Any
) -> None:
    pushed = push("abducted_by_aliens")

    assert pushed["status"] == "quarantined"
    [held] = client.get(f"{ADMIN}/quarantine", headers=supervisor_headers).json()
    assert held["event_id"] == pushed["event_id"]
    assert (held["reason"], held["disposition"]) == ("unknown_disposition", "abducted_by_aliens")
    assert totals(client, supervisor_headers, campaign) == (0, 0)


def test_accepted_only_once_the_campaign_defines_the_code(
    client: TestClient, supervisor_headers: dict[str, str], campaign: Campaign, push: Any
) -> None:
    event_id = push("rsvp_yes")["event_id"]

    refused = client.post(f"{ADMIN}/quarantine/{event_id}/accept", headers=supervisor_headers)
    assert refused.status_code == 409
    assert "'rsvp_yes'" in refused.json()["message"]

    # Sent back as the API gave it: the computed outcomes are ignored, the new one stored.
    edited = client.get(f"{ADMIN}/campaigns/{campaign.id}", headers=supervisor_headers).json()
    edited["dispositions"] = [{"code": "rsvp_yes", "label": "Coming", "reached": True}]
    del edited["id"]
    saved = client.put(f"{ADMIN}/campaigns/{campaign.id}", json=edited, headers=supervisor_headers)
    assert saved.status_code == 200, saved.text

    accepted = client.post(f"{ADMIN}/quarantine/{event_id}/accept", headers=supervisor_headers)
    assert accepted.status_code == 200, accepted.text
    assert totals(client, supervisor_headers, campaign) == (1, 1)


def test_the_api_shows_each_campaigns_effective_dispositions(
    client: TestClient, supervisor_headers: dict[str, str], campaign: Campaign
) -> None:
    [listed] = client.get(f"{ADMIN}/campaigns", headers=supervisor_headers).json()
    assert listed["dispositions"] == []  # what is stored is unchanged
    codes = [disposition["code"] for disposition in listed["effective_dispositions"]]
    assert codes == [disposition.code for disposition in DEFAULT_DISPOSITIONS]

    schema = client.get("/api/openapi.json").json()
    listing = schema["paths"][f"{ADMIN}/campaigns"]["get"]["responses"]["200"]["content"]
    item = listing["application/json"]["schema"]["items"]["$ref"].rsplit("/", 1)[-1]
    assert "effective_dispositions" in schema["components"]["schemas"][item]["properties"]
