"""Push reads the assignments of the households a batch names (by household, not by walking
the caller's whole list): an event counts only for a household open and assigned to its
caller in that event's campaign; any other is kept, quarantined."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.core.models import Campaign
from app.core.protocol import PushResponse
from sync_server.db import Store
from tests.support.device_api import push
from tests.support.events import outcome_event
from tests.support.phone_bank import JoinedDevice
from tests.support.server_rows import add_device, add_household, new_campaign


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("mine", "applied"),
        ("another caller's", "quarantined"),
        ("unassigned", "quarantined"),
        ("closed", "quarantined"),
        ("mine in another campaign", "quarantined"),
    ],
)
def test_an_event_is_applied_only_for_an_open_household_of_its_caller_and_campaign(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    caller_device: JoinedDevice,
    where: str,
    expected: str,
) -> None:
    ana = caller_device.caller.id
    with store.transaction() as db:
        db.execute("INSERT INTO callers (id, name, created_at) VALUES ('bo', 'Bo', 'now')")
        add_device(db, "bo")
        other = new_campaign(db, "other-campaign")
        # Ana's other households fill her list, so a lookup by caller would find them too.
        for _ in range(5):
            add_household(db, campaign.id, caller_id=ana)
        household = {
            "mine": lambda: add_household(db, campaign.id, caller_id=ana),
            "another caller's": lambda: add_household(db, campaign.id, caller_id="bo"),
            "unassigned": lambda: add_household(db, campaign.id),
            "closed": lambda: add_household(db, campaign.id, caller_id=ana, open_=False),
            "mine in another campaign": lambda: add_household(db, other.id, caller_id=ana),
        }[where]()

    response = push(client, caller_device, [outcome_event(1, campaign.id, household)])

    assert response.status_code == 200, response.text
    answer = PushResponse.model_validate_json(response.content)
    assert [result.status for result in answer.results] == [expected]
    with store.reading() as db:
        reason = db.execute("SELECT quarantine_reason FROM events").fetchone()[0]
    assert reason == (None if expected == "applied" else "not_assigned")
