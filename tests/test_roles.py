"""Roles: every route has a decision per role, and a school coordinator sees and acts only on
their schools' households (sync_server/roles.py)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.core.models import Caller, Campaign
from sync_server import auth
from sync_server import db as server_db
from sync_server.app import create_app
from sync_server.db import Store
from sync_server.roles import ROUTE_ACCESS, Access, route_access
from tests.support.cli import run
from tests.support.phone_bank import JoinedDevice
from tests.support.server_rows import add_device, add_follow_up, add_household, add_outcome

COORDINATOR = ("lincoln-coordinator", "lincoln password")
LINCOLN, ROOSEVELT = "Lincoln Elementary", "Roosevelt Middle"


def documented_routes() -> list[tuple[str, str]]:
    """Every API operation the app serves (FastAPI includes routers lazily, so its
    ``app.routes`` does not list them flat; the OpenAPI schema is built from the same routes)."""
    paths = create_app(":memory:").openapi()["paths"]
    return sorted((method.upper(), path) for path, item in paths.items() for method in item)


ROUTES = documented_routes()


def test_every_route_has_a_role_decision() -> None:
    undecided = [route for route in ROUTES if route not in ROUTE_ACCESS]
    assert not undecided, f"add these to sync_server/roles.py ROUTE_ACCESS: {undecided}"


def test_the_table_names_no_route_that_is_gone() -> None:
    assert set(ROUTE_ACCESS) <= set(ROUTES)


@pytest.mark.parametrize(("method", "path"), sorted(ROUTE_ACCESS))
def test_a_concrete_path_finds_its_own_rule(method: str, path: str) -> None:
    assert route_access(method, concrete(path)) == ROUTE_ACCESS[method, path]


def test_a_route_no_one_decided_is_for_admins_only() -> None:
    assert route_access("GET", "/api/v1/admin/something-new") == "admin"


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "00000000-0000-0000-0000-000000000000", path)


def sign_in(client: TestClient, username: str, password: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


@pytest.fixture
def coordinator_headers(
    client: TestClient, store: Store, supervisor_headers: dict[str, str]
) -> dict[str, str]:
    """A coordinator of Lincoln Elementary, made by the admin through the API."""
    response = client.post(
        "/api/v1/admin/accounts",
        json={
            "username": COORDINATOR[0],
            "password": COORDINATOR[1],
            "role": "coordinator",
            "schools": [LINCOLN],
        },
        headers=supervisor_headers,
    )
    assert response.status_code == 201, response.text
    return sign_in(client, *COORDINATOR)


def refusal(access: Access, role: str) -> int | None:
    """The status a role gets from a route of this access before it looks at any data."""
    if role == "caller":
        return None if access == "device" else 401
    if access == "device":
        return 401
    if access == "admin" and role == "coordinator":
        return 403
    return None


CALLED = [(m, p) for m, p in sorted(ROUTE_ACCESS) if ROUTE_ACCESS[m, p] != "open"]


@pytest.mark.parametrize("role", ["admin", "coordinator", "caller"])
@pytest.mark.parametrize(("method", "path"), CALLED)
def test_each_role_gets_what_the_table_says(
    client: TestClient,
    supervisor_headers: dict[str, str],
    coordinator_headers: dict[str, str],
    caller_device: JoinedDevice,
    role: str,
    method: str,
    path: str,
) -> None:
    headers = {
        "admin": supervisor_headers,
        "coordinator": coordinator_headers,
        "caller": caller_device.headers,
    }[role]
    response = client.request(method, concrete(path), json={}, headers=headers)
    expected = refusal(ROUTE_ACCESS[method, path], role)
    if expected is None:
        assert response.status_code not in (401, 403), response.text
    else:
        assert response.status_code == expected, response.text
    if expected == 403:
        assert "Only a district admin" in response.json()["message"]


# --- the coordinator's households ------------------------------------------------------------


@dataclass
class TwoSchools:
    campaign: Campaign
    caller: Caller
    lincoln: list[str]
    roosevelt: str
    follow_ups: dict[str, str]
    quarantined: dict[str, str]


@pytest.fixture
def two_schools(store: Store, campaign: Campaign, caller: Caller) -> TwoSchools:
    """Two Lincoln families and one Roosevelt family, each called once, with an open
    follow-up and a quarantined event; one Lincoln family and the Roosevelt one unassigned."""
    with store.transaction() as db:
        device = add_device(db, caller.id)
        lincoln = [
            add_household(db, campaign.id, school=LINCOLN, caller_id=caller.id),
            add_household(db, campaign.id, school=LINCOLN),
        ]
        roosevelt = add_household(db, campaign.id, school=ROOSEVELT)
        for household_id in (lincoln[0], roosevelt):
            add_outcome(db, device, campaign.id, household_id, "completed")
        follow_ups = {
            school: add_follow_up(db, campaign.id, household_id, caller.id, None)
            for school, household_id in ((LINCOLN, lincoln[0]), (ROOSEVELT, roosevelt))
        }
        quarantined = {
            school: add_outcome(db, device, campaign.id, household_id, quarantined=True)
            for school, household_id in ((LINCOLN, lincoln[1]), (ROOSEVELT, roosevelt))
        }
    return TwoSchools(campaign, caller, lincoln, roosevelt, follow_ups, quarantined)


def who(request: pytest.FixtureRequest, role: str) -> dict[str, str]:
    fixture = "supervisor_headers" if role == "admin" else "coordinator_headers"
    headers: dict[str, str] = request.getfixturevalue(fixture)
    return headers


SEEN = {"admin": {LINCOLN, ROOSEVELT}, "coordinator": {LINCOLN}}


@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_progress_counts_only_the_roles_schools(
    client: TestClient, two_schools: TwoSchools, request: pytest.FixtureRequest, role: str
) -> None:
    url = f"/api/v1/admin/campaigns/{two_schools.campaign.id}/progress"
    report = client.get(url, headers=who(request, role)).json()
    schools = {group["key"] for group in report["by_school"]}
    assert schools == SEEN[role]
    expected_households = 3 if role == "admin" else 2
    assert report["totals"]["households"] == expected_households
    assert report["totals"]["attempted"] == len(SEEN[role])
    assert sum(day["calls"] for day in report["by_day"]) == len(SEEN[role])
    assert [c["assigned"] for c in report["by_caller"]] == [1]


@pytest.mark.parametrize("role", ["admin", "coordinator"])
@pytest.mark.parametrize("export", ["export.csv", "households.csv"])
def test_exports_hold_only_the_roles_schools(
    client: TestClient,
    two_schools: TwoSchools,
    request: pytest.FixtureRequest,
    role: str,
    export: str,
) -> None:
    url = f"/api/v1/admin/campaigns/{two_schools.campaign.id}/{export}"
    response = client.get(url, headers=who(request, role))
    assert response.status_code == 200, response.text
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    households = {row["household_id"] for row in rows}
    assert (two_schools.roosevelt in households) == (role == "admin")
    assert two_schools.lincoln[0] in households


@pytest.mark.parametrize("role", ["admin", "coordinator"])
@pytest.mark.parametrize(
    ("url", "key"),
    [("/api/v1/admin/follow-ups", "follow_ups"), ("/api/v1/admin/quarantine", "quarantined")],
)
def test_lists_hold_only_the_roles_schools(
    client: TestClient,
    two_schools: TwoSchools,
    request: pytest.FixtureRequest,
    role: str,
    url: str,
    key: str,
) -> None:
    listed = client.get(url, headers=who(request, role)).json()
    ids = {item.get("id") or item.get("event_id") for item in listed}
    expected: dict[str, str] = getattr(two_schools, key)
    assert ids == {expected[school] for school in SEEN[role]}


def test_the_callers_list_counts_only_the_coordinators_families(
    client: TestClient, two_schools: TwoSchools, coordinator_headers: dict[str, str]
) -> None:
    callers = client.get("/api/v1/admin/callers", headers=coordinator_headers).json()
    assert [(c["id"], c["assigned"]) for c in callers] == [(two_schools.caller.id, 1)]


def another_schools_family(two_schools: TwoSchools) -> list[tuple[str, str, dict[str, object]]]:
    """Every way to read or act on the Roosevelt family, by id."""
    campaign, roosevelt = two_schools.campaign.id, two_schools.roosevelt
    caller = two_schools.caller.id
    assignment = f"/api/v1/admin/campaigns/{campaign}/assignment"
    return [
        ("GET", f"/api/v1/admin/households/{roosevelt}/record", {}),
        ("DELETE", f"/api/v1/admin/households/{roosevelt}", {}),
        ("POST", f"{assignment}/move", {"household_ids": [roosevelt], "to_caller_id": caller}),
        ("POST", f"{assignment}/plan", {"household_ids": [roosevelt]}),
        ("POST", f"{assignment}/apply", {"household_ids": [roosevelt]}),
        ("POST", f"/api/v1/admin/follow-ups/{two_schools.follow_ups[ROOSEVELT]}/close", {}),
        (
            "POST",
            f"/api/v1/admin/follow-ups/{two_schools.follow_ups[ROOSEVELT]}/reassign",
            {"caller_id": None},
        ),
        ("POST", f"/api/v1/admin/quarantine/{two_schools.quarantined[ROOSEVELT]}/accept", {}),
        ("POST", f"/api/v1/admin/quarantine/{two_schools.quarantined[ROOSEVELT]}/dismiss", {}),
    ]


ANOTHER_SCHOOL = [
    "record",
    "delete",
    "move",
    "plan",
    "apply",
    "close follow-up",
    "reassign follow-up",
    "accept quarantined",
    "dismiss quarantined",
]


@pytest.mark.parametrize("action", ANOTHER_SCHOOL)
def test_another_schools_family_is_not_found_for_a_coordinator(
    client: TestClient,
    store: Store,
    two_schools: TwoSchools,
    coordinator_headers: dict[str, str],
    supervisor_headers: dict[str, str],
    action: str,
) -> None:
    method, url, body = another_schools_family(two_schools)[ANOTHER_SCHOOL.index(action)]
    before = household_state(store, two_schools.roosevelt)
    response = client.request(method, url, json=body, headers=coordinator_headers)
    assert response.status_code == 404, response.text
    assert "Roosevelt" not in response.text and "Family" not in response.text
    assert household_state(store, two_schools.roosevelt) == before
    # The same request by an admin does reach the family.
    assert client.request(method, url, json=body, headers=supervisor_headers).status_code < 400


def household_state(store: Store, household_id: str) -> tuple[object, ...]:
    with store.reading() as db:
        return tuple(
            db.execute(
                """SELECT h.body, ch.caller_id,
                          (SELECT group_concat(status) FROM follow_ups WHERE household_id = h.id),
                          (SELECT group_concat(quarantine_status) FROM events
                           WHERE household_id = h.id)
                   FROM households h JOIN campaign_households ch ON ch.household_id = h.id
                   WHERE h.id = ?""",
                [household_id],
            ).fetchone()
        )


def test_a_coordinator_assigns_only_their_schools_families(
    client: TestClient, store: Store, two_schools: TwoSchools, coordinator_headers: dict[str, str]
) -> None:
    url = f"/api/v1/admin/campaigns/{two_schools.campaign.id}/assignment/apply"
    plan = client.post(url, json={}, headers=coordinator_headers).json()
    assert [move["household_id"] for move in plan["moves"]] == [two_schools.lincoln[1]]
    assert household_state(store, two_schools.roosevelt)[1] is None


def test_a_coordinators_own_family_is_theirs_to_read(
    client: TestClient, two_schools: TwoSchools, coordinator_headers: dict[str, str]
) -> None:
    url = f"/api/v1/admin/households/{two_schools.lincoln[0]}/record"
    assert client.get(url, headers=coordinator_headers).status_code == 200


# --- accounts --------------------------------------------------------------------------------


def test_an_admin_only_action_says_why(
    client: TestClient, coordinator_headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/admin/accounts",
        json={"username": "me-too", "password": "12345678", "role": "admin"},
        headers=coordinator_headers,
    )
    assert response.status_code == 403
    assert response.json()["message"] == (
        "Only a district admin can do that; a school coordinator cannot"
    )


def test_accounts_are_made_and_changed_with_the_audit_log(
    client: TestClient,
    store: Store,
    supervisor_headers: dict[str, str],
    coordinator_headers: dict[str, str],
) -> None:
    listed = client.get("/api/v1/admin/accounts", headers=supervisor_headers).json()
    coordinator = next(a for a in listed if a["username"] == COORDINATOR[0])
    assert (coordinator["role"], coordinator["schools"]) == ("coordinator", [LINCOLN])
    response = client.patch(
        f"/api/v1/admin/accounts/{coordinator['id']}",
        json={"schools": [ROOSEVELT, LINCOLN]},
        headers=supervisor_headers,
    )
    assert response.json()["schools"] == [LINCOLN, ROOSEVELT]
    audit = client.get(
        "/api/v1/admin/audit", params={"action": "account"}, headers=supervisor_headers
    ).json()
    assert [entry["action"] for entry in audit] == ["account.create", "account.update"]
    assert "lincoln password" not in str(audit)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"role": "coordinator"}, 409),  # a coordinator with no school
        ({"role": "coordinator", "schools": ["  "]}, 409),
        ({"role": "manager"}, 422),
    ],
)
def test_a_coordinator_needs_a_school(
    client: TestClient, supervisor_headers: dict[str, str], body: dict[str, object], status: int
) -> None:
    response = client.post(
        "/api/v1/admin/accounts",
        json={"username": "new", "password": "12345678", **body},
        headers=supervisor_headers,
    )
    assert response.status_code == status, response.text


def test_the_last_admin_stays_an_admin(
    client: TestClient, store: Store, supervisor_headers: dict[str, str]
) -> None:
    with store.reading() as db:
        (admin,) = auth.list_accounts(db)
    response = client.patch(
        f"/api/v1/admin/accounts/{admin.id}",
        json={"role": "coordinator", "schools": [LINCOLN]},
        headers=supervisor_headers,
    )
    assert response.status_code == 409


def test_a_changed_role_applies_to_the_next_request(
    client: TestClient, supervisor_headers: dict[str, str], coordinator_headers: dict[str, str]
) -> None:
    accounts = client.get("/api/v1/admin/accounts", headers=supervisor_headers).json()
    coordinator = next(a for a in accounts if a["username"] == COORDINATOR[0])
    assert client.get("/api/v1/admin/retention", headers=coordinator_headers).status_code == 403
    client.patch(
        f"/api/v1/admin/accounts/{coordinator['id']}",
        json={"role": "admin"},
        headers=supervisor_headers,
    )
    assert client.get("/api/v1/admin/retention", headers=coordinator_headers).status_code == 200


def test_the_cli_makes_and_changes_coordinators(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "cli.sqlite")
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    code, out, _ = run(
        capsys,
        *("create-supervisor", "maria", "--password-stdin", "--role", "coordinator"),
        *("--school", LINCOLN, "--db", db),
    )
    assert code == 0 and f"maria: coordinator ({LINCOLN})" in out
    code, out, _ = run(capsys, "account", "maria", "--school", ROOSEVELT, "--db", db)
    assert code == 0 and f"maria: coordinator ({ROOSEVELT})" in out
    code, out, _ = run(capsys, "account", "--db", db)
    assert out.splitlines() == [f"maria: coordinator ({ROOSEVELT})"]
    store = Store(db)
    try:
        with store.reading() as conn:
            actions = [row[0] for row in conn.execute("SELECT action FROM audit_log")]
    finally:
        store.close()
    assert actions == ["account.create", "account.update"]


def test_accounts_made_before_roles_become_district_admins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.sqlite"
    before_roles = server_db.MIGRATIONS[: server_db.MIGRATIONS.index(server_db._roles)]
    with monkeypatch.context() as patched:
        patched.setattr(server_db, "MIGRATIONS", before_roles)
        old = server_db.connect(path)
        old.execute(
            """INSERT INTO supervisors (id, username, password_hash, created_at)
               VALUES ('s1', 'old-hand', 'x', '2026-01-01')"""
        )
        old.conn.commit()
        old.close()
    upgraded = server_db.connect(path)
    try:
        (account,) = auth.list_accounts(upgraded)
    finally:
        upgraded.close()
    assert (account.role, account.schools) == ("admin", [])


def test_a_coordinator_cannot_lift_another_schools_opt_out(
    client: TestClient, store: Store, two_schools: TwoSchools, coordinator_headers: dict[str, str]
) -> None:
    url = f"/api/v1/admin/households/{two_schools.roosevelt}/opt-outs/lift"
    body = {"channel": "text", "reason": "She asked for texts again"}
    response = client.post(url, json=body, headers=coordinator_headers)
    assert response.status_code == 404, response.text
    with store.reading() as db:
        assert db.execute("SELECT count(*) FROM opt_out_lifts").fetchone()[0] == 0
