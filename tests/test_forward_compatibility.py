"""A device keeps working when a newer server sends fields it does not know yet.

A newer server cannot be had for real here, so its answers come from an httpx.MockTransport.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from app.core.models import Caller
from app.core.protocol import JoinResponse
from app.store import DeviceStore
from app.sync import SyncClient

PAGE_FROM_A_NEWER_SERVER: dict[str, Any] = {
    "cursor": "c1",
    "reset": True,
    "has_more": False,
    "server_time": "2026-11-22T15:00:00Z",
    "priority_hint": "added in a later release",
    "changes": [
        {
            "op": "put",
            "entity": "campaign",
            "id": "camp",
            "data": {"id": "camp", "slug": "tech", "name": "Tech", "color": "#ff0000"},
        },
        {
            "op": "put",
            "entity": "household",
            "id": "h1",
            "data": {
                "id": "h1",
                "name": "García family",
                "language": "es",
                "phones": [{"number": "+15105550101", "carrier": "unknown"}],
                "household_size": 4,
            },
        },
        {
            "op": "put",
            "entity": "assignment",
            "id": "camp:h1",
            "data": {"campaign_id": "camp", "household_id": "h1", "caller_id": "me", "rank": 1},
        },
    ],
}


def newer_server(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/sync/push"):
        return httpx.Response(200, json={"last_acked_seq": 0, "results": [], "queue": "new"})
    return httpx.Response(200, json=PAGE_FROM_A_NEWER_SERVER)


def test_unknown_fields_from_the_server_are_read_past(tmp_path: Path) -> None:
    store = DeviceStore.open(tmp_path / "device.sqlite")
    store.save_identity(
        "http://server.test",
        JoinResponse(
            device_id="d1",
            token="t",
            caller=Caller(id="me", name="Marisol"),
            server_time=datetime.now(UTC),
        ),
    )
    client = SyncClient(store, transport=httpx.MockTransport(newer_server))

    async def sync() -> None:
        await client.sync_once()
        await client.aclose()

    asyncio.run(sync())
    household = store.household("h1")
    assert household is not None
    assert (household.name, household.phones[0].number) == ("García family", "+15105550101")
    assert [item.household_id for item in store.households_for_list()] == ["h1"]
    assert store.cursor == "c1"
    store.close()
