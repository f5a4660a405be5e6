"""Schemathesis against /api/openapi.json, as a caller and as a supervisor: no 5xx, and every
answer matches the schema. Bounded examples so it fits in the test command."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import response_schema_conformance

from app.core.models import CampaignDraft
from sync_server import auth
from sync_server.app import create_app
from sync_server.campaigns import create_campaign
from sync_server.db import Store
from tests.support.phone_bank import SUPERVISOR
from tests.support.server_rows import make_household, seed_households

CHECKS = [not_a_server_error, response_schema_conformance]
FUZZ = settings(
    max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
# Schemathesis reads the schema when the module is collected, so the app exists from then on.
_FOLDER = Path(tempfile.mkdtemp(prefix="phonebank-fuzz-"))
APP = create_app(_FOLDER / "fuzz.sqlite")
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)


@pytest.fixture(scope="module")
def identities() -> Iterator[dict[str, dict[str, str]]]:
    store: Store = APP.state.store
    with store.transaction() as db:
        auth.create_supervisor(db, *SUPERVISOR)
        campaign = create_campaign(db, CampaignDraft(slug="fuzz", name="Fuzz"))
        caller = auth.create_caller(db, "Fuzz", ["en", "es"])
        code, _ = auth.create_invite(db, caller.id)
    seed_households(store, campaign.id, [make_household(i) for i in range(3)], caller.id)
    client = TestClient(APP)
    device = client.post("/api/v1/join", json={"code": code}).json()
    session = client.post(
        "/api/v1/auth/login", json={"username": SUPERVISOR[0], "password": SUPERVISOR[1]}
    ).json()
    yield {
        "supervisor": {"Authorization": f"Bearer {session['token']}"},
        "caller": {"Authorization": f"Bearer {device['token']}"},
    }
    store.close()
    shutil.rmtree(_FOLDER, ignore_errors=True)


@schema.parametrize()
@FUZZ
def test_as_a_supervisor(case, identities) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate(headers=identities["supervisor"], checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_as_a_caller(case, identities) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate(headers=identities["caller"], checks=CHECKS)


def test_the_schema_covers_the_api() -> None:
    operations = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in operations)
    paths = {result.ok().path for result in operations if isinstance(result, Ok)}
    assert {"/api/v1/join", "/api/v1/sync/push", "/api/v1/sync/pull"} <= paths
