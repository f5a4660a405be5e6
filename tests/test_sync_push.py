"""Push: exactly-once by (device_id, seq), gaps refused, unassigned households quarantined."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.core.events import Event
from app.core.models import Caller, Campaign, Household
from sync_server.db import Store
from tests.support.device_api import push
from tests.support.events import outcome_event, push_body
from tests.support.phone_bank import JoinedDevice
from tests.support.server_rows import assign, make_household, seed_households


@dataclass
class Pushing:
    """Ana's device, joined, and three households assigned to her in the campaign."""

    client: TestClient
    store: Store
    campaign: Campaign
    device: JoinedDevice
    households: list[Household]

    def outcome(self, seq: int, household: int = 0, *args: Any, **payload: Any) -> Event:
        """An outcome for the ``household``-th household, ``seq``-th on the device."""
        return outcome_event(seq, self.campaign.id, self.households[household].id, *args, **payload)

    def push(self, events: list[Event], client: TestClient | None = None) -> httpx.Response:
        return push(client or self.client, self.device, events)

    def stored_events(self) -> list[dict[str, object]]:
        with self.store.reading() as db:
            return list(db.query("SELECT * FROM events ORDER BY device_id, seq"))


@pytest.fixture
def pushing(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    caller: Caller,
    caller_device: JoinedDevice,
) -> Pushing:
    seeded = [make_household(index) for index in range(3)]
    seed_households(store, campaign.id, seeded, caller_id=caller.id)
    return Pushing(client, store, campaign, caller_device, seeded)


def test_push_stores_each_event_and_acks_the_last_seq(pushing: Pushing) -> None:
    events = [pushing.outcome(seq) for seq in (1, 2, 3)]
    response = pushing.push(events)
    assert response.status_code == 200, response.text
    assert response.json()["last_acked_seq"] == 3
    assert [r["status"] for r in response.json()["results"]] == ["applied"] * 3
    assert [row["event_id"] for row in pushing.stored_events()] == [str(e.event_id) for e in events]


def test_the_same_batch_twice_is_stored_once(pushing: Pushing) -> None:
    events = [pushing.outcome(1)]
    first = pushing.push(events)
    second = pushing.push(events)
    assert first.json()["results"][0]["status"] == "applied"
    assert second.json()["results"][0]["status"] == "duplicate"
    assert second.json()["last_acked_seq"] == 1
    assert len(pushing.stored_events()) == 1


def test_the_same_batch_concurrently_is_stored_once(pushing: Pushing) -> None:
    events = [pushing.outcome(seq, seq % 3) for seq in range(1, 21)]
    statuses: list[int] = []

    def send() -> None:
        statuses.append(pushing.push(events).status_code)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 6
    assert [row["seq"] for row in pushing.stored_events()] == list(range(1, 21))


@pytest.mark.parametrize("first_seq", [2, 5])
def test_a_gap_is_refused_with_the_servers_last_seq(pushing: Pushing, first_seq: int) -> None:
    response = pushing.push([pushing.outcome(first_seq)])
    assert response.status_code == 409
    assert response.json() == {
        "error": "seq_gap",
        "message": f"Expected event seq 1 next, got {first_seq}; resend from 1",
        "last_acked_seq": 0,
    }
    assert pushing.stored_events() == []


def test_a_gap_inside_a_batch_stores_nothing_of_it(pushing: Pushing) -> None:
    response = pushing.push([pushing.outcome(seq) for seq in (1, 2, 4)])
    assert response.status_code == 409
    assert response.json()["last_acked_seq"] == 0
    assert pushing.stored_events() == []


def test_a_batch_mixing_resent_and_new_events_applies_only_the_new(pushing: Pushing) -> None:
    events = [pushing.outcome(seq) for seq in (1, 2, 3, 4)]
    pushing.push(events[:2])
    response = pushing.push(events)
    assert [r["status"] for r in response.json()["results"]] == [
        "duplicate",
        "duplicate",
        "applied",
        "applied",
    ]
    assert len(pushing.stored_events()) == 4


def test_an_event_for_an_unassigned_household_is_kept_in_quarantine(pushing: Pushing) -> None:
    assign(pushing.store, pushing.campaign.id, pushing.households[1].id, None)
    response = pushing.push([pushing.outcome(1, 1, "reached_complete"), pushing.outcome(2)])
    assert [r["status"] for r in response.json()["results"]] == ["quarantined", "applied"]
    rows = pushing.stored_events()
    assert [(row["quarantined"], row["quarantine_status"]) for row in rows] == [
        (1, "open"),
        (0, None),
    ]


def test_device_clocks_do_not_order_events(pushing: Pushing) -> None:
    now = datetime.now(UTC)
    skewed = [now + timedelta(days=3), now - timedelta(days=9), now - timedelta(days=10)]
    events = [
        pushing.outcome(seq, recorded_at=moment)
        for seq, moment in zip((1, 2, 3), skewed, strict=True)
    ]
    pushing.push(events)
    assert [row["event_id"] for row in pushing.stored_events()] == [str(e.event_id) for e in events]


def test_a_failure_before_commit_leaves_no_partial_batch(
    pushing: Pushing, monkeypatch: pytest.MonkeyPatch
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
    events = [pushing.outcome(seq) for seq in (1, 2, 3, 4)]
    failing = TestClient(pushing.client.app, raise_server_exceptions=False)
    response = pushing.push(events, client=failing)
    assert response.status_code == 500
    assert pushing.stored_events() == []
    with pushing.store.reading() as db:
        assert db.execute("SELECT last_seq FROM devices").fetchone()[0] == 0


def test_a_token_cannot_push_for_another_device(
    pushing: Pushing,
    make_caller: Callable[..., Caller],
    joined_device: Callable[[Caller], JoinedDevice],
) -> None:
    other = joined_device(make_caller("Bo", ("en",)))
    body = push_body(other.device_id, [pushing.outcome(1)])
    response = pushing.client.post("/api/v1/sync/push", json=body, headers=pushing.device.headers)
    assert response.status_code == 403
    assert pushing.stored_events() == []


def test_a_callback_creates_a_follow_up_once(pushing: Pushing) -> None:
    due = datetime.now(UTC) + timedelta(days=1)
    event = pushing.outcome(1, 0, "call_back_later", callback_at=due, follow_up_id="fu-1")
    pushing.push([event])
    pushing.push([event])
    with pushing.store.reading() as db:
        rows = list(db.query("SELECT id, kind, status, household_id FROM follow_ups"))
    assert rows == [
        {
            "id": "fu-1",
            "kind": "callback",
            "status": "open",
            "household_id": pushing.households[0].id,
        }
    ]
