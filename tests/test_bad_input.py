"""Malformed requests get a clear 4xx naming what is wrong, and store nothing."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from app.core.models import Campaign
from sync_server.app import MAX_BODY
from sync_server.db import Store
from tests.support.phone_bank import JoinedDevice


def event_count(store: Store) -> int:
    with store.reading() as db:
        return int(db.execute("SELECT count(*) FROM events").fetchone()[0])


def test_malformed_json_is_400(client: TestClient, caller_device: JoinedDevice) -> None:
    response = client.post(
        "/api/v1/sync/push",
        content=b'{"device_id": "x", "events": [',
        headers={**caller_device.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": "malformed_json",
        "message": "The request body is not valid JSON",
        "details": [],
    }


@pytest.mark.parametrize(
    ("event", "field"),
    [
        ({"seq": "one"}, "events.0.seq"),
        ({"seq": 0}, "events.0.seq"),
        ({"event_id": "not-a-uuid"}, "events.0.event_id"),
        ({"recorded_at": "yesterday"}, "events.0.recorded_at"),
        ({"payload": {"kind": "teleported"}}, "events.0.payload"),
        ({"surprise": True}, "events.0.surprise"),
    ],
)
def test_a_wrongly_typed_event_names_the_field(
    client: TestClient,
    store: Store,
    caller_device: JoinedDevice,
    event: dict[str, object],
    field: str,
) -> None:
    good = {
        "event_id": "8d3f3f64-5717-4562-b3fc-2c963f66afa6",
        "seq": 1,
        "recorded_at": "2026-11-22T10:00:00Z",
        "payload": {
            "kind": "outcome_recorded",
            "campaign_id": "c",
            "household_id": "h",
            "disposition": "no_answer",
        },
    }
    body = {"device_id": caller_device.device_id, "events": [{**good, **event}]}
    response = client.post("/api/v1/sync/push", json=body, headers=caller_device.headers)
    assert response.status_code == 422
    fields = [detail["field"] for detail in response.json()["details"]]
    assert any(name.startswith(field) for name in fields), fields
    assert field in response.json()["message"]
    assert event_count(store) == 0


def test_an_oversized_body_is_413(client: TestClient, caller_device: JoinedDevice) -> None:
    padding = "x" * (MAX_BODY + 1)
    response = client.post(
        "/api/v1/sync/push",
        content=json.dumps({"device_id": caller_device.device_id, "events": [], "pad": padding}),
        headers={**caller_device.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"] == "body_too_large"


def test_an_oversized_streamed_body_without_length_is_413(
    client: TestClient, caller_device: JoinedDevice
) -> None:
    def chunks():
        for _ in range(MAX_BODY // 100_000 + 2):
            yield b" " * 100_000

    response = client.post(
        "/api/v1/sync/push",
        content=chunks(),
        headers={**caller_device.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 413


def test_a_batch_over_the_limit_is_refused(client: TestClient, caller_device: JoinedDevice) -> None:
    event = {
        "event_id": "8d3f3f64-5717-4562-b3fc-2c963f66afa6",
        "seq": 1,
        "recorded_at": "2026-11-22T10:00:00Z",
        "payload": {"kind": "note_added", "campaign_id": "c", "household_id": "h", "text": "hi"},
    }
    body = {"device_id": caller_device.device_id, "events": [event] * 501}
    response = client.post("/api/v1/sync/push", json=body, headers=caller_device.headers)
    assert response.status_code == 422
    assert "events" in response.json()["message"]


def test_two_events_with_one_seq_are_refused(
    client: TestClient, store: Store, caller_device: JoinedDevice
) -> None:
    event = {
        "seq": 1,
        "recorded_at": "2026-11-22T10:00:00Z",
        "payload": {"kind": "note_added", "campaign_id": "c", "household_id": "h", "text": "hi"},
    }
    events = [
        {**event, "event_id": "8d3f3f64-5717-4562-b3fc-2c963f66afa6"},
        {**event, "event_id": "9d3f3f64-5717-4562-b3fc-2c963f66afa6"},
    ]
    response = client.post(
        "/api/v1/sync/push",
        json={"device_id": caller_device.device_id, "events": events},
        headers=caller_device.headers,
    )
    assert response.status_code == 422
    assert response.json()["message"] == "Two events in the batch have the same seq"
    assert event_count(store) == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"slug": "Tech Check!", "name": "x"}, "slug"),
        ({"slug": "ok"}, "name"),
        ({"slug": "ok", "name": "x", "calling_window": {"start": "25:00"}}, "calling_window.start"),
    ],
)
def test_a_bad_campaign_names_the_field(
    client: TestClient, supervisor_headers: dict[str, str], body: dict[str, object], field: str
) -> None:
    response = client.post("/api/v1/admin/campaigns", json=body, headers=supervisor_headers)
    assert response.status_code == 422
    assert field in response.json()["message"]
    listed = client.get("/api/v1/admin/campaigns", headers=supervisor_headers).json()
    assert listed == []


def test_a_duplicate_campaign_slug_is_409(
    client: TestClient, supervisor_headers: dict[str, str], campaign: Campaign
) -> None:
    response = client.post(
        "/api/v1/admin/campaigns",
        json={"slug": campaign.slug, "name": "Again"},
        headers=supervisor_headers,
    )
    assert response.status_code == 409
    assert response.json()["message"] == "A campaign called 'tech-check' already exists"
