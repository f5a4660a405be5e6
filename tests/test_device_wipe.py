"""A lost device (issue 14 point 2), on the server: the wipe order, the 410 ``device_wiped``
answer at its next contact, its delivery and the device's report of what it erased, the
audit log, who may do what, and what the console says about it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.models import Caller, Campaign
from app.core.reports import DeviceInfo
from sync_server.console.components.caller_card import device_state
from sync_server.console.components.campaign_form import draft_from, texts_of
from sync_server.db import Store
from tests.support.cli import run
from tests.support.console import SignedInConsole
from tests.support.device_api import push
from tests.support.events import outcome_event
from tests.support.phone_bank import JoinedDevice
from tests.support.server_rows import add_device, make_household, seed_households

SYNC = ["/api/v1/sync/push", "/api/v1/sync/pull"]


def _body(device: JoinedDevice, path: str) -> dict[str, Any]:
    return {"device_id": device.device_id, **({"events": []} if path.endswith("push") else {})}


def _pull(client: TestClient, device: JoinedDevice) -> Any:
    return client.post("/api/v1/sync/pull", json=_body(device, "pull"), headers=device.headers)


def _wipe(client: TestClient, headers: dict[str, str], device_id: str) -> int:
    return client.post(f"/api/v1/admin/devices/{device_id}/wipe", headers=headers).status_code


def _device_row(store: Store, device_id: str) -> dict[str, Any]:
    with store.reading() as db:
        return dict(next(db.query("SELECT * FROM devices WHERE id = ?", [device_id])))


@pytest.fixture
def pushed(
    client: TestClient, store: Store, caller_device: JoinedDevice, campaign: Campaign
) -> JoinedDevice:
    """``caller_device`` after it pushed two outcomes (seq 1 and 2) for its one household."""
    [household] = [make_household(0)]
    seed_households(store, campaign.id, [household], caller_device.caller.id)
    events = [outcome_event(seq, campaign.id, household.id) for seq in (1, 2)]
    assert push(client, caller_device, events).status_code == 200
    return caller_device


@pytest.mark.parametrize("path", SYNC)
def test_a_wiped_device_gets_410_device_wiped_at_its_next_contact_and_the_delivery_is_kept(
    client: TestClient,
    store: Store,
    supervisor_headers: dict[str, str],
    caller_device: JoinedDevice,
    path: str,
) -> None:
    assert client.post(
        path, json=_body(caller_device, path), headers=caller_device.headers
    ).is_success
    assert _wipe(client, supervisor_headers, caller_device.device_id) == 204
    assert _device_row(store, caller_device.device_id)["wipe_delivered_at"] is None

    answer = client.post(path, json=_body(caller_device, path), headers=caller_device.headers)

    assert answer.status_code == 410, answer.text
    assert answer.json()["error"] == "device_wiped"
    row = _device_row(store, caller_device.device_id)
    assert row["wipe_delivered_at"] is not None and row["revoked_at"] is not None
    first = row["wipe_delivered_at"]
    again = client.post(path, json=_body(caller_device, path), headers=caller_device.headers)
    assert again.status_code == 410
    assert _device_row(store, caller_device.device_id)["wipe_delivered_at"] == first


def test_sign_out_stays_a_401_and_a_wipe_after_it_wins(
    client: TestClient,
    store: Store,
    supervisor_headers: dict[str, str],
    caller_device: JoinedDevice,
) -> None:
    url = f"/api/v1/admin/devices/{caller_device.device_id}/revoke"
    assert client.post(url, headers=supervisor_headers).status_code == 204
    pull = _pull(client, caller_device)
    assert pull.status_code == 401
    assert _wipe(client, supervisor_headers, caller_device.device_id) == 204
    pull = _pull(client, caller_device)
    assert (pull.status_code, pull.json()["error"]) == (410, "device_wiped")


def test_a_wipe_of_an_inactive_callers_device_still_reaches_it(
    client: TestClient,
    supervisor_headers: dict[str, str],
    caller: Caller,
    caller_device: JoinedDevice,
) -> None:
    client.patch(
        f"/api/v1/admin/callers/{caller.id}", json={"active": False}, headers=supervisor_headers
    )
    assert _wipe(client, supervisor_headers, caller_device.device_id) == 204
    pull = _pull(client, caller_device)
    assert pull.status_code == 410


def test_the_wipe_is_its_own_audited_action_with_the_last_seq_the_server_held(
    client: TestClient, store: Store, supervisor_headers: dict[str, str], pushed: JoinedDevice
) -> None:
    assert _wipe(client, supervisor_headers, pushed.device_id) == 204
    assert _wipe(client, supervisor_headers, pushed.device_id) == 204  # again: no change
    url = f"/api/v1/admin/devices/{pushed.device_id}/revoke"
    assert client.post(url, headers=supervisor_headers).status_code == 204
    with store.reading() as db:
        entries = list(db.query("SELECT * FROM audit_log WHERE action LIKE 'device.%' ORDER BY id"))
    assert [entry["action"] for entry in entries] == ["device.wipe", "device.wipe", "device.revoke"]
    assert all(json.loads(e["target_ids"]) == [pushed.device_id] for e in entries)
    assert [json.loads(e["detail"]).get("already") for e in entries[:2]] == [False, True]
    assert json.loads(entries[0]["detail"])["last_seq"] == 2
    assert entries[0]["actor_kind"] == "supervisor"


def test_only_a_supervisor_orders_a_wipe_and_only_of_a_device_that_exists(
    client: TestClient, supervisor_headers: dict[str, str], caller_device: JoinedDevice
) -> None:
    assert _wipe(client, caller_device.headers, caller_device.device_id) == 401
    assert _wipe(client, {}, caller_device.device_id) == 401
    assert _wipe(client, supervisor_headers, "no-such-device") == 404
    pull = _pull(client, caller_device)
    assert pull.status_code == 200  # the refused orders changed nothing


def _report(
    device: JoinedDevice, unsent: int = 3, highest: int = 5, **extra: Any
) -> dict[str, Any]:
    return {
        "device_id": device.device_id,
        "reason": "wipe",
        "unsent_events": unsent,
        "highest_seq": highest,
        **extra,
    }


def test_the_devices_report_of_what_it_erased_is_kept_once_and_shown_to_supervisors(
    client: TestClient, store: Store, supervisor_headers: dict[str, str], pushed: JoinedDevice
) -> None:
    _wipe(client, supervisor_headers, pushed.device_id)
    _pull(client, pushed)

    sent = client.post("/api/v1/sync/erased", json=_report(pushed), headers=pushed.headers)
    later = client.post("/api/v1/sync/erased", json=_report(pushed, 0, 9), headers=pushed.headers)

    assert (sent.status_code, later.status_code) == (204, 204)
    callers = client.get("/api/v1/admin/callers", headers=supervisor_headers).json()
    [device] = [DeviceInfo.model_validate(d) for c in callers for d in c["devices"]]
    assert (device.erased_reason, device.erased_unsent, device.erased_seq) == ("wipe", 3, 5)
    assert device.last_seq == 2 and device.wipe_delivered_at and device.erased_at
    assert "3 unsent events lost" in device_state(device)
    assert "seq 5" in device_state(device) and "up to seq 2" in device_state(device)


def test_a_caller_erasing_their_phone_signs_its_token_out(
    client: TestClient, store: Store, caller_device: JoinedDevice
) -> None:
    report = _report(caller_device, 0, 0, reason="sign_out")
    assert (
        client.post("/api/v1/sync/erased", json=report, headers=caller_device.headers).status_code
        == 204
    )
    row = _device_row(store, caller_device.device_id)
    assert (row["erased_reason"], row["erased_unsent"]) == ("sign_out", 0)
    pull = _pull(client, caller_device)
    assert pull.status_code == 401


def test_an_erase_report_needs_the_token_of_the_device_it_names(
    client: TestClient,
    store: Store,
    caller: Caller,
    caller_device: JoinedDevice,
    joined_device: Any,
) -> None:
    other = joined_device(caller)
    assert (
        client.post(
            "/api/v1/sync/erased", json=_report(caller_device), headers=other.headers
        ).status_code
        == 401
    )
    made_up = {"Authorization": "Bearer not-a-token"}
    assert (
        client.post("/api/v1/sync/erased", json=_report(caller_device), headers=made_up).status_code
        == 401
    )
    assert _device_row(store, caller_device.device_id)["erased_at"] is None


def _info(**fields: Any) -> DeviceInfo:
    now = datetime.now(UTC)
    return DeviceInfo(id="d1", name="Ana's phone", created_at=now - timedelta(days=3), **fields)


def test_the_console_says_only_what_it_can_know_about_a_wiped_devices_lost_work() -> None:
    ordered = datetime.now(UTC) - timedelta(hours=2)
    waiting = device_state(_info(wipe_ordered_at=ordered, revoked=True, last_seq=7))
    assert "wipe ordered" in waiting and "waiting for its next contact" in waiting
    delivered = device_state(
        _info(wipe_ordered_at=ordered, wipe_delivered_at=ordered, revoked=True, last_seq=7)
    )
    assert "wipe delivered" in delivered
    assert "events after seq 7 were not received" in delivered
    done = device_state(
        _info(
            wipe_ordered_at=ordered,
            wipe_delivered_at=ordered,
            erased_at=ordered,
            erased_unsent=0,
            erased_seq=7,
            revoked=True,
            last_seq=7,
        )
    )
    assert "wipe done" in done and "nothing unsent was lost" in done
    signed_out = device_state(_info(revoked=True, revoked_at=ordered))
    assert "signed out" in signed_out and "unsent work stays on it" in signed_out


def test_the_console_service_wipes_and_audits(store: Store) -> None:
    console = SignedInConsole.seed(store)
    with store.transaction() as db:
        device_id = add_device(db, console.ana)
    console.service.wipe_device(device_id)
    [ana] = [c for c in console.service.callers() if c.id == console.ana]
    assert ana.devices[0].wipe_ordered_at is not None and ana.devices[0].revoked
    with store.reading() as db:
        actions = [row["action"] for row in db.query("SELECT action FROM audit_log")]
    assert "device.wipe" in actions


def test_a_campaign_hides_families_after_14_silent_days_unless_set_otherwise(
    client: TestClient, supervisor_headers: dict[str, str], campaign: Campaign
) -> None:
    assert campaign.hide_families_after_days == 14
    url = f"/api/v1/admin/campaigns/{campaign.id}"
    body = campaign.model_dump(mode="json", exclude={"id"})
    changed = client.put(
        url, json={**body, "hide_families_after_days": 3}, headers=supervisor_headers
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["hide_families_after_days"] == 3
    refused = client.put(
        url, json={**body, "hide_families_after_days": 0}, headers=supervisor_headers
    )
    assert refused.status_code == 422


def test_the_console_form_and_the_cli_set_how_long_a_silent_phone_shows_its_families(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign = Campaign(id="c1", slug="tech-check", name="Tech check")
    texts = texts_of(campaign)
    assert texts["hide_families_after_days"] == "14"
    assert (
        draft_from({**texts, "hide_families_after_days": "5"}, campaign).hide_families_after_days
        == 5
    )
    db = tmp_path / "cli.sqlite"
    argv = ["campaign", "create", "spring", "--name", "Spring", "--hide-families-after", "7"]
    code, _, err = run(capsys, *argv, "--db", str(db))
    assert code == 0, err
    store = Store(db)
    with store.reading() as read:
        [body] = [row["body"] for row in read.query("SELECT body FROM campaigns")]
    store.close()
    assert Campaign.model_validate_json(body).hide_families_after_days == 7
