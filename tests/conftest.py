"""Shared fixtures: a real server app over a real SQLite file, ways to populate it, and a
device (its store, its joined identity) to talk to it. The builders are in tests/support."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.core.models import Caller, Campaign
from app.store import DeviceStore
from sync_server import auth
from sync_server.app import create_app
from sync_server.db import Store
from tests.support.families import SeededBank, seed_bank
from tests.support.faulty_transport import FaultyTransport
from tests.support.phone_bank import SUPERVISOR, JoinedDevice, PhoneBank, invite


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def web_app() -> Path:
    """The offline app's bundle in build/web, as `./run.sh` serves it: built now if its
    sources changed since the last build (the first build downloads wheels from PyPI)."""
    from sync_server.pwa import DEFAULT_OUT, build_web, is_stale

    if is_stale(DEFAULT_OUT):
        build_web(DEFAULT_OUT)
    return DEFAULT_OUT


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "phonebank.sqlite"


@pytest.fixture
def server_app(db_path: Path) -> FastAPI:
    return create_app(db_path)


@pytest.fixture
def client(server_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(server_app) as test_client:
        yield test_client
    server_app.state.store.close()


@pytest.fixture
def store(server_app: FastAPI) -> Store:
    app_store: Store = server_app.state.store
    return app_store


@pytest.fixture
def bank(store: Store) -> PhoneBank:
    """A campaign on the server's database, to seed callers and households into."""
    return PhoneBank.create(store)


@pytest.fixture
def ana(bank: PhoneBank) -> Caller:
    """A caller named Ana on ``bank``, speaking English and Spanish."""
    return bank.caller("Ana")


@pytest.fixture
def seeded_bank(store: Store) -> SeededBank:
    """The demo's tech-check campaign and scripts, a caller, and the eight known families."""
    return seed_bank(store)


@pytest.fixture
def supervisor_headers(client: TestClient, store: Store) -> dict[str, str]:
    with store.transaction() as db:
        auth.create_supervisor(db, *SUPERVISOR)
    response = client.post(
        "/api/v1/auth/login", json={"username": SUPERVISOR[0], "password": SUPERVISOR[1]}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


@pytest.fixture
def campaign(client: TestClient, supervisor_headers: dict[str, str]) -> Campaign:
    response = client.post(
        "/api/v1/admin/campaigns",
        json={"slug": "tech-check", "name": "Tech check 2026", "default_language": "en"},
        headers=supervisor_headers,
    )
    assert response.status_code == 201, response.text
    return Campaign.model_validate(response.json())


@pytest.fixture
def make_caller(store: Store) -> Callable[..., Caller]:
    def make(name: str = "Ana", languages: tuple[str, ...] = ("en", "es")) -> Caller:
        with store.transaction() as db:
            return auth.create_caller(db, name, list(languages))

    return make


@pytest.fixture
def caller(make_caller: Callable[..., Caller]) -> Caller:
    return make_caller("Ana", ("en", "es"))


@pytest.fixture
def joined_device(client: TestClient, store: Store) -> Callable[[Caller], JoinedDevice]:
    """Join a device for a caller through the API, as the app does with an invite."""

    def join(caller: Caller) -> JoinedDevice:
        response = client.post(
            "/api/v1/join", json={"code": invite(store, caller), "device_name": "test"}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        return JoinedDevice(device_id=body["device_id"], token=body["token"], caller=caller)

    return join


@pytest.fixture
def caller_device(caller: Caller, joined_device: Callable[[Caller], JoinedDevice]) -> JoinedDevice:
    """``caller``'s device, joined: what the server sees of a phone."""
    return joined_device(caller)


@pytest.fixture
def device_store(tmp_path: Path) -> DeviceStore:
    """A device's own database (cache and outbox), not joined yet."""
    return DeviceStore.open(tmp_path / "device.db")


@pytest.fixture
def transport(server_app: FastAPI) -> FaultyTransport:
    """The in-process server behind a transport that loses what a test plans it to."""
    return FaultyTransport(httpx.ASGITransport(app=server_app))
