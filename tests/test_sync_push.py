"""Push: exactly-once by (device_id, seq), gaps refused, unassigned households quarantined."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from app.core.models import Caller, Campaign, Household
from sync_server.db import Store
from tests.support.events import outcome_event, push_body
from tests.support.phone_bank import JoinedDevice
from tests.support.server_rows import assign, make_household, seed_households


@pytest.fixture
def households(store: Store, campaign: Campaign, caller: Caller) -> list[Household]:
    seeded = [make_household(index) for index in range(3)]
    seed_households(store, campaign.id, seeded, caller_id=caller.id)
    return seeded


def stored_events(store: Store) -> list[dict[str, object]]:
    with store.reading() as db:
        return list(db.query("SELECT * FROM events ORDER BY device_id, seq"))


def test_push_stores_each_event_and_acks_the_last_seq(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    caller_device: JoinedDevice,
    households: list[Household],
) -> None:
    events = [outcome_event(seq, campaign.id, households[0].id) for seq in (1, 2, 3)]
    response = client.post(
        "/api/v1/sync/push",
        json=push_body(caller_device.device_id, events),
        headers=caller_device.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["last_acked_seq"] == 3
    assert [r["status"] for r in response.json()["results"]] == ["applied"] * 3
    assert [row["event_id"] for row in stored_events(store)] == [str(e.event_id) for e in events]


def test_the_same_batch_twice_is_stored_once(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    caller_device: JoinedDevice,
    households: list[Household],
) -> None:
    body = push_body(caller_device.device_id, [outcome_event(1, campaign.id, households[0].id)])
    first = client.post("/api/v1/sync/push", json=body, headers=caller_device.headers)
    second = client.post("/api/v1/sync/push", json=body, headers=caller_device.headers)
    assert first.json()["results"][0]["status"] == "applied"
    assert second.json()["results"][0]["status"] == "duplicate"
    assert second.json()["last_acked_seq"] == 1
    assert len(stored_events(store)) == 1


def test_the_same_batch_concurrently_is_stored_once(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    caller_device: JoinedDevice,
    households: list[Household],
) -> None:
    events = [outcome_event(seq, campaign.id, households[seq % 3].id) for seq in range(1, 21)]
    body = push_body(caller_device.device_id, events)
    statuses: list[int] = []

    def send() -> None:
        statuses.append(
            client.post("/api/v1/sync/push", json=body, headers=caller_device.headers).status_code
        )

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 6
    assert [row["seq"] for row in stored_events(store)] == list(range(1, 21))


@pytest.mark.parametrize("first_seq", [2, 5])
def test_a_gap_is_refused_with_the_servers_last_seq(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    caller_device: JoinedDevice,
    households: list[Household],
    first_seq: int,
) -> None:
    body = push_body(
        caller_device.device_id, [outcome_event(first_seq, campaign.id, households[0].id)]
    )
    response = client.post("/api/v1/sync/push", json=body, headers=caller_device.headers)
    assert response.status_code == 409
    assert response.json() == {
        "error": "seq_gap",
        "message": f"Expected event seq 1 next, got {first_seq}; resend from 1",
        "last_acked_seq": 0,
    }
    assert stored_events(store) == []


def test_a_gap_inside_a_batch_stores_nothing_of_it(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    caller_device: JoinedDevice,
    households: list[Household],
) -> None:
    events = [outcome_event(seq, campaign.id, households[0].id) for seq in (1, 2, 4)]
    response = client.post(
        "/api/v1/sync/push",
        json=push_body(caller_device.device_id, events),
        headers=caller_device.headers,
    )
    assert response.status_code == 409
    assert response.json()["last_acked_seq"] == 0
    assert stored_events(store) == []


def test_a_batch_mixing_resent_and_new_events_applies_only_the_new(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    caller_device: JoinedDevice,
    households: list[Household],
) -> None:
    events = [outcome_event(seq, campaign.id, households[0].id) for seq in (1, 2, 3, 4)]
    client.post(
        "/api/v1/sync/push",
        json=push_body(caller_device.device_id, events[:2]),
        headers=caller_device.headers,
    )
    response = client.post(
        "/api/v1/sync/push",
        json=push_body(caller_device.device_id, events),
        headers=caller_device.headers,
    )
    assert [r["status"] for r in response.json()["results"]] == [
        "duplicate",
        "duplicate",
        "applied",
        "applied",
    ]
    assert len(stored_events(store)) == 4


def test_an_event_for_an_unassigned_household_is_kept_in_quarantine(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    caller_device: JoinedDevice,
    households: list[Household],
) -> None:
    assign(store, campaign.id, households[1].id, None)
    events = [
        outcome_event(1, campaign.id, households[1].id, "reached_complete"),
        outcome_event(2, campaign.id, households[0].id),
    ]
    response = client.post(
        "/api/v1/sync/push",
        json=push_body(caller_device.device_id, events),
        headers=caller_device.headers,
    )
    assert [r["status"] for r in response.json()["results"]] == ["quarantined", "applied"]
    rows = stored_events(store)
    assert [(row["quarantined"], row["quarantine_status"]) for row in rows] == [
        (1, "open"),
        (0, None),
    ]


def test_device_clocks_do_not_order_events(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    caller_device: JoinedDevice,
    households: list[Household],
) -> None:
    now = datetime.now(UTC)
    skewed = [now + timedelta(days=3), now - timedelta(days=9), now - timedelta(days=10)]
    events = [
        outcome_event(seq, campaign.id, households[0].id, recorded_at=moment)
        for seq, moment in zip((1, 2, 3), skewed, strict=True)
    ]
    client.post(
        "/api/v1/sync/push",
        json=push_body(caller_device.device_id, events),
        headers=caller_device.headers,
    )
    assert [row["event_id"] for row in stored_events(store)] == [str(e.event_id) for e in events]


def test_a_failure_before_commit_leaves_no_partial_batch(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    caller_device: JoinedDevice,
    households: list[Household],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sync_server import push_pull

    calls = 0
    real = push_pull.apply_event_effects

    def fail_on_third(db, row, payload):
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("disk on fire")
        real(db, row, payload)

    monkeypatch.setattr(push_pull, "apply_event_effects", fail_on_third)
    events = [outcome_event(seq, campaign.id, households[0].id) for seq in (1, 2, 3, 4)]
    failing = TestClient(client.app, raise_server_exceptions=False)
    response = failing.post(
        "/api/v1/sync/push",
        json=push_body(caller_device.device_id, events),
        headers=caller_device.headers,
    )
    assert response.status_code == 500
    assert stored_events(store) == []
    with store.reading() as db:
        assert db.execute("SELECT last_seq FROM devices").fetchone()[0] == 0


def test_a_token_cannot_push_for_another_device(
    client: TestClient,
    campaign: Campaign,
    caller_device: JoinedDevice,
    households: list[Household],
    make_caller: Callable[..., Caller],
    joined_device: Callable[[Caller], JoinedDevice],
    store: Store,
) -> None:
    other = joined_device(make_caller("Bo", ("en",)))
    body = push_body(other.device_id, [outcome_event(1, campaign.id, households[0].id)])
    response = client.post("/api/v1/sync/push", json=body, headers=caller_device.headers)
    assert response.status_code == 403
    assert stored_events(store) == []


def test_a_callback_creates_a_follow_up_once(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    caller_device: JoinedDevice,
    households: list[Household],
) -> None:
    due = datetime.now(UTC) + timedelta(days=1)
    event = outcome_event(
        1, campaign.id, households[0].id, "call_back_later", callback_at=due, follow_up_id="fu-1"
    )
    body = push_body(caller_device.device_id, [event])
    client.post("/api/v1/sync/push", json=body, headers=caller_device.headers)
    client.post("/api/v1/sync/push", json=body, headers=caller_device.headers)
    with store.reading() as db:
        rows = list(db.query("SELECT id, kind, status, household_id FROM follow_ups"))
    assert rows == [
        {"id": "fu-1", "kind": "callback", "status": "open", "household_id": households[0].id}
    ]
