"""What the people running the server watch: /api/health, Prometheus /api/metrics (guarded,
labelled by route template, never by family data), one log line per request with its id,
and the security headers on every answer."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, Response
from fastapi.testclient import TestClient

from app.store import DeviceStore
from app.sync import SyncClient
from sync_server.app import create_app
from sync_server.db import MIGRATIONS, Store
from sync_server.request_log import JsonFormatter
from tests.support.events import record_outcome
from tests.support.phone_bank import PhoneBank
from tests.support.server import ServerProcess


@pytest.fixture
def https_app(db_path: Path) -> Iterator[TestClient]:
    app = create_app(db_path, https=True, metrics_token="s3cret")

    @app.get("/test-cookie")
    def cookie() -> Response:  # no route of ours sets one today; any future one is covered
        response = Response("ok")
        response.set_cookie("session", "abc", httponly=True)
        return response

    with TestClient(app) as client:
        yield client
    app.state.store.close()


def test_health_reports_the_database_schema_and_build(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["database"] == {"reachable": True, "writable": True}
    assert body["schema_version"] == len(MIGRATIONS)
    assert body["version"]
    assert body["build"] is None  # no offline app served here


def test_health_fails_when_the_database_takes_no_writes(
    client: TestClient, server_app: FastAPI
) -> None:
    store: Store = server_app.state.store
    # Under the store's lock, as every user of its one connection: the retention pass the
    # server starts with may be in a transaction on it right now.
    with store.lock:
        store.db.execute("PRAGMA query_only = ON")  # as a read-only file or a full disk would
    answer = client.get("/api/health")
    assert answer.status_code == 503
    assert answer.json()["database"]["reachable"] is True
    assert answer.json()["database"]["writable"] is False
    with store.lock:
        store.db.execute("PRAGMA query_only = OFF")
    assert client.get("/api/health").status_code == 200


def test_health_names_the_offline_app_build(tmp_path: Path) -> None:
    web = tmp_path / "web"
    web.mkdir()
    (web / "bundle.json").write_text(json.dumps({"label": "2026-11-22.1", "files": {}}))
    app = create_app(tmp_path / "db.sqlite", web_app=web)
    with TestClient(app) as client:
        assert client.get("/api/health").json()["build"] == "2026-11-22.1"
    app.state.store.close()


def test_metrics_need_the_token(https_app: TestClient) -> None:
    assert https_app.get("/api/metrics").status_code == 401
    wrong = https_app.get("/api/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    right = https_app.get("/api/metrics", headers={"Authorization": "Bearer s3cret"})
    assert right.status_code == 200
    assert right.headers["content-type"].startswith("text/plain")


def test_without_a_token_metrics_answer_only_this_machine(client: TestClient) -> None:
    assert client.get("/api/metrics").status_code == 401  # TestClient's host is "testclient"


def test_security_headers_and_hsts_over_https(https_app: TestClient) -> None:
    headers = https_app.get("/api/health").headers
    policy = headers["content-security-policy"]
    for needed in ("'wasm-unsafe-eval'", "'unsafe-eval'", "worker-src 'self' blob:",
                   "frame-ancestors 'self'", "object-src 'none'"):  # fmt: skip
        assert needed in policy
    assert headers["strict-transport-security"].startswith("max-age=")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"  # invite links carry their code
    cookie = https_app.get("/test-cookie").headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_no_hsts_over_plain_http(client: TestClient) -> None:
    headers = client.get("/api/health").headers
    assert "strict-transport-security" not in headers
    assert "content-security-policy" in headers
    assert "cdn.jsdelivr.net" not in headers["content-security-policy"]


def test_one_log_line_per_request_with_its_id_and_no_query(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="phonebank.requests"):
        given = client.get("/api/health", headers={"X-Request-ID": "lb-42"})
        made = client.get("/?invite=ABCDE-FGHJK")
    assert given.headers["x-request-id"] == "lb-42"
    assert len(made.headers["x-request-id"]) == 32
    lines = [r.getMessage() for r in caplog.records if r.name == "phonebank.requests"]
    assert len(lines) == 2
    assert lines[0].startswith("lb-42 GET /api/health 200 ")
    assert "ABCDE" not in lines[1]  # an invite code is a secret
    record = next(r for r in caplog.records if r.name == "phonebank.requests")
    entry = json.loads(JsonFormatter().format(record))
    assert (entry["request_id"], entry["path"], entry["status"]) == ("lb-42", "/api/health", 200)


def test_an_unusable_request_id_is_replaced(client: TestClient) -> None:
    answer = client.get("/api/health", headers={"X-Request-ID": "bad id\twith spaces"})
    assert answer.headers["x-request-id"] != "bad id\twith spaces"


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_metrics_of_a_real_server_after_devices_sync(tmp_path: Path) -> None:
    db_path = tmp_path / "data" / "phonebank.sqlite"
    db_path.parent.mkdir()
    seeding = Store(db_path)
    bank = PhoneBank.create(seeding)
    caller = bank.caller("Ana")
    households = bank.households(caller, 3)
    code = bank.invite(caller)
    seeding.close()
    with ServerProcess(db_path) as server:
        device = DeviceStore.open(tmp_path / "device.db")
        async with SyncClient(device, timeout=10) as client:
            await client.join(server.url, code)
            await client.sync_once()  # the list arrives
            for household in households:
                record_outcome(device, bank.campaign.id, household.id, "no_answer")
            await client.sync_once()
        device.close()
        httpx.get(
            f"{server.url}/api/v1/admin/campaigns/{bank.campaign.id}"
        )  # a 401, by its template
        text = httpx.get(f"{server.url}/api/metrics").text  # from this machine: allowed
    assert 'phonebank_sync_pushed_events_total{status="applied"} 3.0' in text
    assert "phonebank_sync_pushes_total 1.0" in text
    assert 'phonebank_sync_pulls_total{reset="true"} 1.0' in text
    assert "phonebank_devices_seen_last_hour 1.0" in text
    assert "phonebank_quarantine_open 0.0" in text
    assert 'route="/api/v1/sync/push",status="200"' in text
    assert 'route="/api/v1/admin/campaigns/{campaign_id}",status="401"' in text
    assert "phonebank_http_request_duration_seconds_bucket" in text
    assert bank.campaign.id not in text  # templates, never raw paths
    for household in households:
        assert household.id not in text and household.name not in text
