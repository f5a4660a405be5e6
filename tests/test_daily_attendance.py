"""Daily attendance: the morning's absence list replaces yesterday's and reaches callers."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from app.core.models import Caller, Campaign
from tests.support.device_api import ids, pull_all
from tests.support.phone_bank import JoinedDevice

MONDAY = """Student ID,Student Name,Family Name,Phone,Language
1001,Ana,García,(510) 555-0101,Spanish
1002,Luis,Nguyen,(510) 555-0102,Vietnamese
1003,Sara,Haddad,(510) 555-0103,Arabic
"""
TUESDAY = """Student ID,Student Name,Family Name,Phone,Language
1002,Luis,Nguyen,(510) 555-0102,Vietnamese
1004,Mei,Chen,(510) 555-0104,Chinese
"""


def test_the_morning_list_replaces_yesterdays_on_the_callers_device(
    client: TestClient,
    supervisor_headers: dict[str, str],
    make_caller: Callable[..., Caller],
    joined_device: Callable[[Caller], JoinedDevice],
) -> None:
    created = client.post(
        "/api/v1/admin/campaigns",
        json={"slug": "attendance", "name": "Daily attendance", "kind": "daily_attendance"},
        headers=supervisor_headers,
    ).json()
    device = joined_device(make_caller("Chaunita", ("en", "es", "vi", "ar", "zh")))

    def import_list(csv: str) -> dict[str, int]:
        response = client.post(
            f"/api/v1/admin/campaigns/{created['id']}/households/import?replace_open=true",
            content=csv.encode(),
            headers={**supervisor_headers, "Content-Type": "text/csv"},
        )
        assert response.status_code == 200, response.text
        return response.json()

    monday = import_list(MONDAY)
    assert (monday["imported"], monday["assigned"], monday["closed"]) == (3, 3, 0)
    pages, cursor = pull_all(client, device)
    names = {c["data"]["name"] for p in pages for c in p["changes"] if c["entity"] == "household"}
    assert names == {"García", "Nguyen", "Haddad"}

    tuesday = import_list(TUESDAY)
    assert (tuesday["imported"], tuesday["merged"], tuesday["closed"]) == (1, 1, 2)
    assert tuesday["assigned"] == 1
    pages, _ = pull_all(client, device, cursor)
    assert len(ids(pages, "household", "remove")) == 2
    added = [
        c["data"]["name"]
        for p in pages
        for c in p["changes"]
        if c["op"] == "put" and c["entity"] == "household"
    ]
    assert added == ["Chen"]


def test_a_standard_campaign_is_not_assigned_unless_asked(
    client: TestClient,
    supervisor_headers: dict[str, str],
    campaign: Campaign,
    make_caller: Callable[..., Caller],
) -> None:
    make_caller("Marisol", ("es",))
    url = f"/api/v1/admin/campaigns/{campaign.id}/households/import"
    headers = {**supervisor_headers, "Content-Type": "text/csv"}
    first = client.post(url, content=MONDAY.encode(), headers=headers).json()
    assert first["assigned"] == 0
    again = client.post(f"{url}?assign=true", content=MONDAY.encode(), headers=headers).json()
    assert again["assigned"] == 3
