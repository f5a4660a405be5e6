"""Shared fixtures: a real server app over a real SQLite file, and ways to populate it."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.core.models import Caller, Campaign, Household, PhoneNumber
from sync_server import auth
from sync_server.app import create_app
from sync_server.clock import iso, utcnow
from sync_server.db import Store, next_version
from sync_server.records import household_row

SUPERVISOR = ("coordinator", "correct horse battery")


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


@dataclass(frozen=True)
class JoinedDevice:
    device_id: str
    token: str
    caller: Caller

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def joined_device(client: TestClient, store: Store) -> Callable[[Caller], JoinedDevice]:
    def join(caller: Caller) -> JoinedDevice:
        with store.transaction() as db:
            code, _ = auth.create_invite(db, caller.id)
        response = client.post("/api/v1/join", json={"code": code, "device_name": "test"})
        assert response.status_code == 200, response.text
        body = response.json()
        return JoinedDevice(device_id=body["device_id"], token=body["token"], caller=caller)

    return join


def make_household(index: int, *, language: str = "en", tags: tuple[str, ...] = ()) -> Household:
    return Household(
        id=str(uuid.uuid4()),
        name=f"Family {index}",
        phones=[PhoneNumber(number=f"+1510555{index % 10000:04d}")],
        language=language,
        tags=list(tags),
    )


def seed_households(
    store: Store,
    campaign_id: str,
    households: list[Household],
    caller_id: str | None = None,
) -> None:
    """Put households straight into the database, in the campaign, assigned to caller_id."""
    now = iso(utcnow())
    with store.transaction() as db:
        for household in households:
            row = household_row(household, dedupe_key=household.id)
            db.table("households").insert(
                {**row, "version": next_version(db), "created_at": now, "updated_at": now}
            )
            db.table("campaign_households").insert(
                {
                    "campaign_id": campaign_id,
                    "household_id": household.id,
                    "caller_id": caller_id,
                    "assigned_at": now if caller_id else None,
                    "added_at": now,
                    "open": 1,
                    "version": next_version(db),
                }
            )


def assign(store: Store, campaign_id: str, household_id: str, caller_id: str | None) -> None:
    """Move one household to another caller (or unassign it), as a supervisor would."""
    with store.transaction() as db:
        db.execute(
            """UPDATE campaign_households SET caller_id = ?, assigned_at = ?, version = ?
               WHERE campaign_id = ? AND household_id = ?""",
            [caller_id, iso(utcnow()), next_version(db), campaign_id, household_id],
        )
