"""The export's phone column is the E.164 number without its + — read as the same number by
a spreadsheet, VAN, an SIS and Phonebank's own importer — while free text that a
spreadsheet would run as a formula is still neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from fastapi.testclient import TestClient

from app.core.models import Caller, Campaign
from sync_server import importer
from sync_server.db import Store
from sync_server.records import household_from_row
from tests.support.events import outcome_event, push_body
from tests.support.phone_bank import JoinedDevice
from tests.support.server_rows import assign

FORMULA = '=HYPERLINK("http://evil.example","click")'


def test_the_exported_phone_re_imports_as_the_same_household(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    supervisor_headers: dict[str, str],
    make_caller: Callable[..., Caller],
    joined_device: Callable[[Caller], JoinedDevice],
) -> None:
    source = "Family Name,Phone,Language\nGarcía,(510) 555-0123,Spanish\n"
    importer.import_households(store, source.encode(), campaign_id=campaign.id)
    with store.reading() as db:
        [before] = [household_from_row(row) for row in db.query("SELECT * FROM households")]
    device = joined_device(make_caller())
    assign(store, campaign.id, before.id, device.caller.id)
    event = outcome_event(
        1, campaign.id, before.id, "reached_complete", phone="+15105550123", notes=FORMULA
    )
    pushed = client.post(
        "/api/v1/sync/push", json=push_body(device.device_id, [event]), headers=device.headers
    )
    assert pushed.status_code == 200, pushed.text

    response = client.get(
        f"/api/v1/admin/campaigns/{campaign.id}/export.csv", headers=supervisor_headers
    )
    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline=""))
    assert row["e164_phone"] == "15105550123"
    assert row["notes"] == f"'{FORMULA}"  # a spreadsheet shows it as text, never runs it

    report = importer.import_households(store, response.content, campaign_id=campaign.id)
    assert (report.rejected, report.imported, report.merged) == ([], 0, 1)
    with store.reading() as db:
        after = [household_from_row(row) for row in db.query("SELECT * FROM households")]
    # (The export's household_id column is read back as the household's external id.)
    assert [(h.id, h.name, h.phones, h.language) for h in after] == [
        (before.id, before.name, before.phones, before.language)
    ]
