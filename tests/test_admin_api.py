"""The supervisor API over HTTP: only a supervisor gets in, and the flows work end to end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.models import Caller, Campaign
from sync_server.db import Store
from tests.support.device_api import push
from tests.support.events import outcome_event
from tests.support.phone_bank import JoinedDevice
from tests.support.server_rows import make_household, seed_households

CAMPAIGN = "/api/v1/admin/campaigns/some-campaign"
Body = dict[str, Any] | None
ROUTES: list[tuple[str, str, Body]] = [
    ("post", f"{CAMPAIGN}/assignment/plan", {}),
    ("post", f"{CAMPAIGN}/assignment/apply", {}),
    ("post", f"{CAMPAIGN}/assignment/move", {"household_ids": ["h"], "to_caller_id": None}),
    ("post", f"{CAMPAIGN}/assignment/rebalance", {}),
    ("get", f"{CAMPAIGN}/progress", None),
    ("get", f"{CAMPAIGN}/progress/weeks", None),
    ("get", f"{CAMPAIGN}/quiet-callers", None),
    ("get", "/api/v1/admin/follow-ups", None),
    ("post", "/api/v1/admin/follow-ups/f/close", {"resolution": ""}),
    ("post", "/api/v1/admin/follow-ups/f/reassign", {"caller_id": None}),
    ("get", "/api/v1/admin/quarantine", None),
    ("post", "/api/v1/admin/quarantine/e/accept", None),
    ("post", "/api/v1/admin/quarantine/e/dismiss", None),
    ("get", "/api/v1/admin/callers", None),
    ("patch", "/api/v1/admin/callers/c", {"active": False}),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
@pytest.mark.parametrize("who", ["nobody", "a device"])
def test_only_a_supervisor_gets_in(
    client: TestClient, request: pytest.FixtureRequest, who: str, method: str, path: str, body: Body
) -> None:
    headers = request.getfixturevalue("caller_device").headers if who == "a device" else {}
    response = client.request(method, path, json=body, headers=headers)
    assert response.status_code == 401, response.text
    assert response.json()["error"] == "unauthorized"


@pytest.fixture
def team(make_caller: Callable[..., Caller]) -> dict[str, Caller]:
    return {"ana": make_caller("Ana", ("en",)), "sofia": make_caller("Sofía", ("es", "en"))}


@dataclass
class Staffed:
    """The campaign with its team: Ana (en), and Sofía (es, en) whose phone has joined."""

    store: Store
    campaign: Campaign
    ana: Caller
    sofia: JoinedDevice


@pytest.fixture
def staffed(
    store: Store,
    campaign: Campaign,
    team: dict[str, Caller],
    joined_device: Callable[[Caller], JoinedDevice],
) -> Staffed:
    return Staffed(store, campaign, team["ana"], joined_device(team["sofia"]))


def test_assignment_reaches_the_callers_devices(
    client: TestClient, supervisor_headers: dict[str, str], staffed: Staffed
) -> None:
    spanish = make_household(1, language="es-MX")
    english = [make_household(n) for n in range(2, 5)]
    seed_households(staffed.store, staffed.campaign.id, [spanish, *english])
    sofia = staffed.sofia
    base = f"/api/v1/admin/campaigns/{staffed.campaign.id}/assignment"

    planned = client.post(f"{base}/plan", json={}, headers=supervisor_headers)
    assert planned.status_code == 200, planned.text
    assert len(planned.json()["moves"]) == 4 and not planned.json()["applied"]
    dry = client.post(f"{base}/apply", json={"dry_run": True}, headers=supervisor_headers)
    assert not dry.json()["applied"]
    applied = client.post(f"{base}/apply", json={}, headers=supervisor_headers)
    assert applied.json()["applied"]

    pull = client.post(
        "/api/v1/sync/pull", json={"device_id": sofia.device_id}, headers=sofia.headers
    )
    assert pull.status_code == 200, pull.text
    held = {c["id"] for c in pull.json()["changes"] if c["entity"] == "household"}
    assert spanish.id in held
    assert held <= {spanish.id, *(h.id for h in english)}

    moved = client.post(
        f"{base}/move",
        json={"household_ids": [spanish.id], "to_caller_id": staffed.ana.id},
        headers=supervisor_headers,
    )
    assert moved.status_code == 200, moved.text
    again = client.post(
        "/api/v1/sync/pull",
        json={"device_id": sofia.device_id, "cursor": pull.json()["cursor"]},
        headers=sofia.headers,
    )
    removed = {c["id"] for c in again.json()["changes"] if c["op"] == "remove"}
    assert spanish.id in removed


def test_a_quarantined_outcome_counts_once_accepted(
    client: TestClient, supervisor_headers: dict[str, str], staffed: Staffed
) -> None:
    household = make_household(1)
    campaign = staffed.campaign
    seed_households(staffed.store, campaign.id, [household], caller_id=staffed.ana.id)
    event = outcome_event(1, campaign.id, household.id, "reached_complete")
    pushed = push(client, staffed.sofia, [event])
    assert pushed.json()["results"][0]["status"] == "quarantined"
    progress_url = f"/api/v1/admin/campaigns/{campaign.id}/progress"
    assert client.get(progress_url, headers=supervisor_headers).json()["totals"]["completed"] == 0

    listed = client.get("/api/v1/admin/quarantine", headers=supervisor_headers).json()
    assert [item["event_id"] for item in listed] == [str(event.event_id)]
    accepted = client.post(
        f"/api/v1/admin/quarantine/{event.event_id}/accept", headers=supervisor_headers
    )
    assert accepted.json()["status"] == "accepted"

    report = client.get(progress_url, headers=supervisor_headers).json()
    assert report["totals"]["completed"] == 1
    assert {row["name"]: row["calls"] for row in report["by_caller"]} == {"Ana": 0, "Sofía": 1}
    everything = client.get(
        "/api/v1/admin/quarantine", params={"status": "all"}, headers=supervisor_headers
    )
    assert len(everything.json()) == 1


def test_callers_with_their_devices(
    client: TestClient,
    supervisor_headers: dict[str, str],
    team: dict[str, Caller],
    joined_device: Callable[[Caller], JoinedDevice],
) -> None:
    device = joined_device(team["ana"])
    client.post("/api/v1/admin/devices/" + device.device_id + "/revoke", headers=supervisor_headers)
    callers = client.get("/api/v1/admin/callers", headers=supervisor_headers).json()
    ana = next(caller for caller in callers if caller["name"] == "Ana")
    assert [(d["id"], d["revoked"]) for d in ana["devices"]] == [(device.device_id, True)]

    updated = client.patch(
        f"/api/v1/admin/callers/{team['ana'].id}",
        json={"languages": ["en", "vi"], "active": False},
        headers=supervisor_headers,
    )
    assert updated.status_code == 200, updated.text
    assert (updated.json()["languages"], updated.json()["active"]) == (["en", "vi"], False)


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("get", "/api/v1/admin/campaigns/nope/progress", None, 404),
        ("get", "/api/v1/admin/campaigns/{campaign}/progress?tz=Mars/Olympus", None, 400),
        ("post", "/api/v1/admin/campaigns/nope/assignment/plan", {}, 404),
        ("post", "/api/v1/admin/quarantine/nope/accept", None, 404),
        ("post", "/api/v1/admin/follow-ups/nope/close", {}, 404),
        ("patch", "/api/v1/admin/callers/nope", {"active": True}, 404),
        ("patch", "/api/v1/admin/callers/nope", {"languages": []}, 422),
        ("post", "/api/v1/admin/campaigns/{campaign}/assignment/plan", {"campaign_id": "x"}, 409),
        ("post", "/api/v1/admin/campaigns/{campaign}/assignment/move", {"household_ids": []}, 422),
    ],
)
def test_clear_errors(
    client: TestClient,
    supervisor_headers: dict[str, str],
    campaign: Campaign,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    status: int,
) -> None:
    response = client.request(
        method, path.format(campaign=campaign.id), json=body, headers=supervisor_headers
    )
    assert response.status_code == status, response.text
    assert response.json()["message"]
