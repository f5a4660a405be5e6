"""The sync API as a joined device calls it, through a test client: push a batch, pull
every page, and the ids a pull changed."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient

from app.core.events import Event

from .events import push_body
from .phone_bank import JoinedDevice


def push(client: TestClient, device: JoinedDevice, events: list[Event]) -> httpx.Response:
    """POST the events as one batch from ``device``."""
    return client.post(
        "/api/v1/sync/push", json=push_body(device.device_id, events), headers=device.headers
    )


def pull_all(
    client: TestClient, device: JoinedDevice, cursor: str | None = None, limit: int = 500
) -> tuple[list[dict[str, Any]], str | None]:
    """Every page until has_more is false; returns (pages, last cursor)."""
    pages: list[dict[str, Any]] = []
    while True:
        response = client.post(
            "/api/v1/sync/pull",
            json={"device_id": device.device_id, "cursor": cursor, "limit": limit},
            headers=device.headers,
        )
        assert response.status_code == 200, response.text
        page = response.json()
        pages.append(page)
        cursor = page["cursor"]
        if not page["has_more"]:
            return pages, cursor


def ids(pages: list[dict[str, Any]], entity: str, op: str = "put") -> set[str]:
    """The ids of the ``entity`` changes (``op``: put or remove) in ``pages``."""
    return {
        change["id"]
        for page in pages
        for change in page["changes"]
        if change["entity"] == entity and change["op"] == op
    }
