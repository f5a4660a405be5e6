"""The language hand-off over the supervisor's API: the queue "needs a speaker of …",
giving a family to a caller, and a family's record of corrections."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from app.core.models import Caller
from tests.support.device_api import ids, pull_all, push
from tests.support.events import outcome_event
from tests.support.families import SeededBank
from tests.support.phone_bank import JoinedDevice

QUEUE = "/api/v1/admin/language-queue"


def test_a_family_no_one_speaks_for_is_queued_then_given_to_a_caller(
    client: TestClient,
    supervisor_headers: dict[str, str],
    seeded_bank: SeededBank,
    joined_device: Callable[[Caller], JoinedDevice],
    make_caller: Callable[..., Caller],
) -> None:
    campaign = seeded_bank.campaign.id
    ana = joined_device(seeded_bank.caller)
    dana = make_caller("Dana English", ("en",))
    pages, cursor = pull_all(client, ana)
    assert "hh-brown" in ids(pages, "household")
    asked = outcome_event(1, campaign, "hh-brown", "language_needed", language_needed="Somali")
    assert push(client, ana, [asked]).json()["results"][0]["status"] == "applied"

    queue = client.get(QUEUE, params={"campaign_id": campaign}, headers=supervisor_headers)
    assert queue.status_code == 200, queue.text
    (waiting,) = queue.json()
    assert (waiting["household_id"], waiting["language"], waiting["language_name"]) == (
        "hh-brown",
        "so",
        "Somali",
    )
    assert {"caller_id": dana.id, "name": "Dana English", "speaks": False} in waiting["callers"]
    assert "hh-brown" in ids(pull_all(client, ana, cursor)[0], "household", "remove")

    assign = f"{QUEUE}/{waiting['event_id']}/assign"
    nobody = client.post(assign, json={"caller_id": "no-such-caller"}, headers=supervisor_headers)
    assert nobody.status_code == 404 and "no-such-caller" in nobody.text
    given = client.post(assign, json={"caller_id": dana.id}, headers=supervisor_headers)
    assert given.status_code == 200, given.text
    again = client.post(assign, json={"caller_id": dana.id}, headers=supervisor_headers)
    assert again.status_code == 409 and "no longer waiting" in again.text
    assert client.get(QUEUE, headers=supervisor_headers).json() == []
    audit = client.get("/api/v1/admin/audit", headers=supervisor_headers)
    assert audit.status_code == 200, audit.text
    assert "language_queue.assign" in audit.text and "hh-brown" in audit.text
    assert "hh-brown" in ids(pull_all(client, joined_device(dana))[0], "household")

    record = client.get("/api/v1/admin/households/hh-brown/record", headers=supervisor_headers)
    assert record.status_code == 200, record.text
    household = record.json()["household"]
    assert household["language"] == "so"
    assert [note["handed_to"] for note in household["notes"]] == [None, dana.id]
