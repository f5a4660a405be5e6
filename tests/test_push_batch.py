"""One push batch read in a few set-wise queries: every kind of event in one batch still gets
its own status, in seq order, and the version numbers stay one per stored event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from app.core.events import Event
from app.core.models import Campaign
from app.core.protocol import PushResponse
from sync_server.db import Store
from tests.support.device_api import push
from tests.support.events import outcome_event
from tests.support.phone_bank import JoinedDevice
from tests.support.server_rows import make_household, seed_households


@dataclass
class Bank:
    """Ana's joined device; two households assigned to her and a third to no one."""

    client: TestClient
    store: Store
    campaign: Campaign
    device: JoinedDevice
    households: list[str]

    def push(self, events: list[Event]) -> PushResponse:
        response = push(self.client, self.device, events)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
        return PushResponse.model_validate_json(response.content)


@pytest.fixture
def bank(client: TestClient, store: Store, campaign: Campaign, caller_device: JoinedDevice) -> Bank:
    households = [make_household(index) for index in range(3)]
    for assigned, caller in ((households[:2], caller_device.caller.id), (households[2:], None)):
        seed_households(store, campaign.id, assigned, caller_id=caller)
    return Bank(client, store, campaign, caller_device, [house.id for house in households])


def stored(store: Store) -> list[tuple[int, str, int, str | None, int]]:
    with store.reading() as db:
        return [
            (row[0], row[1], row[2], row[3], row[4])
            for row in db.execute(
                """SELECT seq, event_id, quarantined, quarantine_reason, version
                   FROM events ORDER BY seq"""
            )
        ]


def version_counter(store: Store) -> int:
    with store.reading() as db:
        return int(db.execute("SELECT value FROM version_counter").fetchone()[0])


def test_a_mixed_batch_gets_a_status_per_event_in_seq_order(bank: Bank) -> None:
    campaign, store = bank.campaign, bank.store
    mine, other, nobodys = bank.households
    first = outcome_event(1, campaign.id, mine)
    bank.push([first])
    counter_before = version_counter(store)
    repeated = outcome_event(6, campaign.id, other)
    batch: list[Event] = [
        first.model_copy(update={"seq": 2}),  # already stored, sent under a new seq
        outcome_event(3, campaign.id, nobodys),  # not assigned to Ana
        outcome_event(4, campaign.id, mine, "teleported"),  # a code the campaign lacks
        outcome_event(
            5,
            campaign.id,
            other,
            "call_back_later",
            callback_at=datetime.now(UTC) + timedelta(days=1),
            follow_up_id="fu-1",
        ),
        repeated,
        repeated.model_copy(update={"seq": 7}),  # the same event twice in one batch
    ]

    answer = bank.push(list(reversed(batch)))  # any order on the wire

    assert answer.last_acked_seq == 7
    assert [(result.seq, result.status) for result in answer.results] == [
        (2, "duplicate"),
        (3, "quarantined"),
        (4, "quarantined"),
        (5, "applied"),
        (6, "applied"),
        (7, "duplicate"),
    ]
    rows = stored(store)
    assert [(seq, quarantined, reason) for seq, _, quarantined, reason, _ in rows] == [
        (1, 0, None),
        (3, 1, "not_assigned"),
        (4, 1, "unknown_disposition"),
        (5, 0, None),
        (6, 0, None),
    ]
    assert rows[-1][1] == str(repeated.event_id)
    # One version per stored event, in seq order, and the callback's follow-up takes one more.
    new_versions = [version for seq, _, _, _, version in rows if seq > 1]
    assert new_versions == list(range(counter_before + 1, counter_before + 5))
    with store.reading() as db:
        follow_up = db.execute("SELECT version FROM follow_ups").fetchone()[0]
    assert follow_up == counter_before + 5 == version_counter(store)


def test_a_batch_of_only_stored_events_moves_the_seq_and_stores_nothing(bank: Bank) -> None:
    events = [outcome_event(seq, bank.campaign.id, bank.households[0]) for seq in (1, 2)]
    bank.push(events)
    before, counter = stored(bank.store), version_counter(bank.store)

    renumbered = [event.model_copy(update={"seq": event.seq + 2}) for event in events]
    answer = bank.push(renumbered)

    assert answer.last_acked_seq == 4
    assert {result.status for result in answer.results} == {"duplicate"}
    assert stored(bank.store) == before
    assert version_counter(bank.store) == counter
