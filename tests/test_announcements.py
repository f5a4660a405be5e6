"""Announcements (issue 15, point 6): a supervisor posts to a campaign's callers or to one
caller; only those callers' devices get it at the next pull; reading it is an event that
syncs, after which the console's list names the reader and the caller's devices drop it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from app.core.errors import PhonebankError
from app.core.events import AnnouncementRead, Event
from app.core.models import Caller, CampaignDraft
from app.core.protocol import JoinResponse, PullResponse
from app.store import DeviceStore
from sync_server.campaigns import create_campaign
from sync_server.db import Store
from tests.support.console import SignedInConsole
from tests.support.device_api import ids, pull_all, push
from tests.support.families import SeededBank
from tests.support.phone_bank import SUPERVISOR, JoinedDevice
from tests.support.server_rows import assign


@dataclass(frozen=True)
class Bank:
    """The seeded campaign behind the API, seen by its supervisor and by callers' devices."""

    client: TestClient
    store: Store
    headers: dict[str, str]
    seeded: SeededBank
    join: Callable[[Caller], JoinedDevice]
    make_caller: Callable[..., Caller]

    @property
    def campaign(self) -> str:
        return self.seeded.campaign.id

    def post(self, text: str, campaign_id: str = "", **body: str) -> dict[str, Any]:
        response = self.client.post(
            url(campaign_id or self.campaign), json={"text": text, **body}, headers=self.headers
        )
        assert response.status_code == 201, response.text
        posted: dict[str, Any] = response.json()
        return posted

    def listed(self, campaign_id: str = "") -> list[dict[str, Any]]:
        response = self.client.get(url(campaign_id or self.campaign), headers=self.headers)
        assert response.status_code == 200, response.text
        statuses: list[dict[str, Any]] = response.json()
        return statuses

    def pulled(self, device: JoinedDevice) -> set[str]:
        return ids(pull_all(self.client, device)[0], "announcement")


@pytest.fixture
def bank(
    make_caller: Callable[..., Caller],
    joined_device: Callable[[Caller], JoinedDevice],
    seeded_bank: SeededBank,
    supervisor_headers: dict[str, str],
    client: TestClient,
    store: Store,
) -> Bank:
    return Bank(client, store, supervisor_headers, seeded_bank, joined_device, make_caller)


def url(campaign_id: str) -> str:
    return f"/api/v1/admin/campaigns/{campaign_id}/announcements"


def sync(client: TestClient, device: JoinedDevice, local: DeviceStore) -> None:
    """What the app's sync does: push the outbox, then apply every pull page."""
    pending = local.pending_events()
    if pending:
        pushed = push(client, device, pending)
        assert pushed.status_code == 200, pushed.text
        local.mark_acked(pushed.json()["last_acked_seq"])
    pages, _ = pull_all(client, device, local.cursor)
    for page in pages:
        local.apply_pull_page(PullResponse.model_validate(page))


def test_campaign_wide_and_one_to_one_announcements_reach_only_their_callers(bank: Bank) -> None:
    ben = bank.make_caller("Ben Okoro", ("en",))
    cleo = bank.make_caller("Cleo Outside", ("en",))  # no family in the campaign
    assign(bank.store, bank.campaign, "hh-brown", ben.id)
    everyone = bank.post("  Phones close at 8 tonight ")
    ana = bank.seeded.caller.id
    to_ana = bank.post("Great call with the Garcías!", caller_id=ana)
    assert everyone["text"] == "Phones close at 8 tonight"
    assert everyone["caller_id"] is None and everyone["author"] == SUPERVISOR[0]
    assert to_ana["caller_id"] == ana

    assert bank.pulled(bank.join(bank.seeded.caller)) == {everyone["id"], to_ana["id"]}
    assert bank.pulled(bank.join(ben)) == {everyone["id"]}, "Ben must not get Ana's feedback"
    assert bank.pulled(bank.join(cleo)) == set(), "no family in the campaign: none of it"

    audit = bank.client.get("/api/v1/admin/audit", headers=bank.headers)
    assert audit.status_code == 200, audit.text
    assert "announcement.post" in audit.text and str(to_ana["id"]) in audit.text
    assert "Great call" not in audit.text, "the audit log keeps ids, not what was written"


def test_reading_on_the_device_syncs_and_the_console_names_the_reader(
    bank: Bank, tmp_path: Path
) -> None:
    client = bank.client
    posted = bank.post("Ask every family about hotspots")
    device = bank.join(bank.seeded.caller)
    local = DeviceStore.open(tmp_path / "phone.db")
    try:
        joined = JoinResponse(
            device_id=device.device_id,
            token=device.token,
            caller=bank.seeded.caller,
            server_time=datetime.now(UTC),
        )
        local.save_identity("http://testserver", joined)
        sync(client, device, local)
        (shown,) = local.announcements()
        assert (shown.id, shown.text, shown.author) == (
            posted["id"],
            "Ask every family about hotspots",
            SUPERVISOR[0],
        )
        listed = [(a["announcement"]["id"], a["readers"]) for a in bank.listed()]
        assert listed == [(posted["id"], [])]

        local.mark_announcement_read(shown.id)
        assert local.announcements() == [], "read: it leaves the device at once"
        sync(client, device, local)

        (status,) = bank.listed()
        assert [r["caller_name"] for r in status["readers"]] == ["Ana Reyes"]
        assert local.announcements(unread_only=False) == [], "the server stops sending it"
        assert bank.pulled(bank.join(bank.seeded.caller)) == set(), "nor to Ana's other phone"
    finally:
        local.close()


def test_a_read_of_someone_elses_announcement_is_quarantined(bank: Bank) -> None:
    ben = bank.make_caller("Ben Okoro", ("en",))
    posted = bank.post("Just for Ben", caller_id=ben.id)
    forged = Event(
        event_id=uuid4(),
        seq=1,
        recorded_at=datetime.now(UTC),
        payload=AnnouncementRead(campaign_id=bank.campaign, announcement_id=str(posted["id"])),
    )
    result = push(bank.client, bank.join(bank.seeded.caller), [forged]).json()["results"][0]
    assert result["status"] == "quarantined"
    (status,) = bank.listed()
    assert status["readers"] == []


def test_only_a_supervisor_posts_or_lists_and_bad_targets_are_refused(bank: Bank) -> None:
    client, campaign, supervisor_headers = bank.client, bank.campaign, bank.headers
    caller_headers = bank.join(bank.seeded.caller).headers
    for headers in (caller_headers, {}):
        posted = client.post(url(campaign), json={"text": "hi"}, headers=headers)
        assert posted.status_code in (401, 403), posted.text
        listed = client.get(url(campaign), headers=headers)
        assert listed.status_code in (401, 403), listed.text
    nobody = client.post(
        url(campaign), json={"text": "hi", "caller_id": "no-such"}, headers=supervisor_headers
    )
    assert nobody.status_code == 404 and "no-such" in nobody.text
    missing = client.post(url("no-campaign"), json={"text": "hi"}, headers=supervisor_headers)
    assert missing.status_code == 404
    for text in ("", "x" * 1001):
        refused = client.post(url(campaign), json={"text": text}, headers=supervisor_headers)
        assert refused.status_code == 422, refused.text
    with bank.store.transaction() as db:
        other = create_campaign(db, CampaignDraft(slug="other", name="Other"))
    bank.post("Elsewhere", other.id)
    assert bank.listed() == []


def test_the_console_posts_to_one_caller_and_refuses_an_empty_message(store: Store) -> None:
    console = SignedInConsole.seed(store)
    service = console.service
    posted = service.post_announcement(console.campaign_id, " Listen to Ben's call ", console.ben)
    (status,) = service.announcements(console.campaign_id)
    assert (status.announcement.id, status.announcement.caller_id) == (posted.id, console.ben)
    assert status.announcement.text == "Listen to Ben's call" and status.readers == []
    for text in ("   ", "x" * 1001):
        with pytest.raises(PhonebankError, match="1 to 1,000 characters"):
            service.post_announcement(console.campaign_id, text)
    assert len(service.announcements(console.campaign_id)) == 1
