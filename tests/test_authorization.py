"""Every endpoint checks who is asking: no token, a revoked token, the wrong kind of token."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.testclient import TestClient

from app.core.models import Caller
from sync_server.app import create_app
from sync_server.db import Store
from tests.support.phone_bank import JoinedDevice

PUBLIC = {"/api/v1/join", "/api/v1/auth/login", "/api/health"}


def api_routes() -> list[tuple[str, str]]:
    """Every documented API operation, read from the OpenAPI schema the app serves."""
    paths = create_app(":memory:").openapi()["paths"]
    return sorted((method.upper(), path) for path, item in paths.items() for method in item)


PROTECTED = [(method, path) for method, path in api_routes() if path not in PUBLIC]
SUPERVISOR_ONLY = [(m, p) for m, p in PROTECTED if p.startswith("/api/v1/admin/")]
DEVICE_ONLY = [(m, p) for m, p in PROTECTED if p.startswith("/api/v1/sync/")]


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "00000000-0000-0000-0000-000000000000", path)


def call(
    client: TestClient, method: str, path: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    return client.request(method, concrete(path), json={}, headers=headers or {})


def test_the_route_table_is_what_we_think() -> None:
    assert len(SUPERVISOR_ONLY) >= 8
    assert {p for _, p in DEVICE_ONLY} == {
        "/api/v1/sync/push",
        "/api/v1/sync/pull",
        "/api/v1/sync/erased",
    }


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_no_token_is_401(client: TestClient, method: str, path: str) -> None:
    response = call(client, method, path)
    assert response.status_code == 401, response.text
    assert response.json()["error"] == "unauthorized"


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_a_made_up_token_is_401(client: TestClient, method: str, path: str) -> None:
    response = call(client, method, path, {"Authorization": "Bearer not-a-real-token"})
    assert response.status_code == 401


@pytest.mark.parametrize(("method", "path"), SUPERVISOR_ONLY)
def test_a_caller_device_cannot_use_supervisor_endpoints(
    client: TestClient, caller_device: JoinedDevice, method: str, path: str
) -> None:
    assert call(client, method, path, caller_device.headers).status_code == 401


@pytest.mark.parametrize(("method", "path"), DEVICE_ONLY)
def test_a_supervisor_session_cannot_use_device_endpoints(
    client: TestClient, supervisor_headers: dict[str, str], method: str, path: str
) -> None:
    assert call(client, method, path, supervisor_headers).status_code == 401


@pytest.mark.parametrize("path", ["/api/v1/sync/push", "/api/v1/sync/pull"])
def test_a_revoked_device_gets_401(
    client: TestClient, supervisor_headers: dict[str, str], caller_device: JoinedDevice, path: str
) -> None:
    device = caller_device
    body: dict[str, object] = {"device_id": device.device_id}
    if path.endswith("push"):
        body["events"] = []
    assert client.post(path, json=body, headers=device.headers).status_code == 200
    revoked = client.post(
        f"/api/v1/admin/devices/{device.device_id}/revoke", headers=supervisor_headers
    )
    assert revoked.status_code == 204
    response = client.post(path, json=body, headers=device.headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_deactivated_caller_loses_access(
    client: TestClient, store: Store, caller: Caller, caller_device: JoinedDevice
) -> None:
    device = caller_device
    with store.transaction() as db:
        db.execute("UPDATE callers SET active = 0 WHERE id = ?", [caller.id])
    body = {"device_id": device.device_id}
    assert client.post("/api/v1/sync/pull", json=body, headers=device.headers).status_code == 401


def test_a_logged_out_session_is_401(
    client: TestClient, supervisor_headers: dict[str, str]
) -> None:
    assert client.get("/api/v1/admin/campaigns", headers=supervisor_headers).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=supervisor_headers).status_code == 204
    assert client.get("/api/v1/admin/campaigns", headers=supervisor_headers).status_code == 401


FAMILIES_DATA = {
    ("DELETE", "/api/v1/admin/households/{household_id}"),
    ("GET", "/api/v1/admin/retention"),
    ("POST", "/api/v1/admin/retention/run"),
    ("GET", "/api/v1/admin/audit"),
    ("GET", "/api/v1/admin/audit/export"),
    ("GET", "/api/v1/admin/campaigns/{campaign_id}/households.csv"),
}
"""Issue 14's endpoints: a family's data deleted, retention, the audit log, the SIS export."""


def test_the_families_data_endpoints_are_supervisor_only() -> None:
    # Being in SUPERVISOR_ONLY puts each through the no-token, made-up-token and
    # caller-device refusals above.
    assert set(SUPERVISOR_ONLY) >= FAMILIES_DATA


@pytest.mark.parametrize(("method", "path"), sorted(FAMILIES_DATA))
def test_a_caller_device_changes_and_reads_no_familys_data(
    client: TestClient,
    store: Store,
    caller_device: JoinedDevice,
    method: str,
    path: str,
) -> None:
    with store.transaction() as db:
        db.execute(
            """INSERT INTO households (id, body, dedupe_key, version, created_at, updated_at)
               VALUES ('h1', '{"id": "h1", "name": "García family"}', 'h1', 1, '', '')"""
        )
    url = path.replace("{household_id}", "h1").replace("{campaign_id}", "c1")
    response = client.request(method, url, headers=caller_device.headers)
    assert response.status_code == 401 and "García" not in response.text
    with store.reading() as db:
        assert db.execute("SELECT name FROM households").fetchall() == [("García family",)]
        assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0
