"""The audit log: every supervisor action appended (who, when, what, which records), never
edited, never holding a secret; filtered by the API and the console, exported by the CLI."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sync_server import audit
from sync_server.audit import ACTIONS, Actor, AuditError, AuditFilter, record
from sync_server.cli import main
from sync_server.db import Store
from tests.support.console import SignedInConsole
from tests.support.device_api import push
from tests.support.events import outcome_event
from tests.support.phone_bank import SUPERVISOR, JoinedDevice, join_device
from tests.support.server_rows import add_follow_up, make_household, seed_households

CSV = "Family,Phone,Language\nGarcía family,510-555-0101,es\nNguyen family,510-555-0103,vi\n"


def _actions(client: TestClient, headers: dict[str, str], **filters: str) -> list[str]:
    response = client.get("/api/v1/admin/audit", params=filters, headers=headers)
    assert response.status_code == 200, response.text
    return [entry["action"] for entry in response.json()]


def _walk(client: TestClient, store: Store, headers: dict[str, str]) -> dict[str, str]:
    """A supervisor's day through the API, one of every audited action; the secrets seen."""
    admin = "/api/v1/admin"

    def ok(
        method: str, url: str, extra: dict[str, str] | None = None, **options: object
    ) -> dict[str, object]:
        response = client.request(
            method,
            f"{admin}{url}",
            headers={**headers, **(extra or {})},
            **options,  # type: ignore[arg-type]
        )
        assert response.status_code < 300, (url, response.text)
        return (
            response.json()
            if response.content and "json" in response.headers.get("content-type", "")
            else {}
        )

    campaign = ok("POST", "/campaigns", json={"slug": "walk", "name": "Walk"})
    cid = str(campaign["id"])
    settings = {name: value for name, value in campaign.items() if name != "id"}
    ok("PUT", f"/campaigns/{cid}", json={**settings, "anonymise_after_days": 30})
    ok("PUT", f"/campaigns/{cid}/scripts/es", json={"language": "es", "title": "Hola"})
    ok("DELETE", f"/campaigns/{cid}/scripts/es")
    ok(
        "POST",
        f"/campaigns/{cid}/households/import",
        {"Content-Type": "text/csv"},
        content=CSV.encode(),
    )
    ana = ok("POST", "/callers", json={"name": "Ana", "languages": ["es", "vi", "en"]})
    ben = ok("POST", "/callers", json={"name": "Ben", "languages": ["en", "es", "vi"]})
    ok("PATCH", f"/callers/{ben['id']}", json={"languages": ["en", "es", "vi"]})
    invite = ok("POST", f"/callers/{ana['id']}/invites")
    ok("POST", f"/campaigns/{cid}/assignment/apply", json={})
    with store.reading() as db:
        household_ids = [r[0] for r in db.execute("SELECT id FROM households ORDER BY id")]
    ok(
        "POST",
        f"/campaigns/{cid}/assignment/move",
        json={"household_ids": household_ids, "to_caller_id": ana["id"]},
    )
    ok("POST", f"/campaigns/{cid}/assignment/rebalance", json={"quiet_days": 1})
    with store.transaction() as db:
        first = add_follow_up(db, cid, household_ids[0], str(ana["id"]), None)
        second = add_follow_up(db, cid, household_ids[0], str(ana["id"]), None)
    ok("POST", f"/follow-ups/{first}/close", json={"resolution": "done"})
    ok("POST", f"/follow-ups/{second}/reassign", json={"caller_id": ben["id"]})
    from sync_server import auth  # a device with two events for a household it does not hold

    with store.reading() as db:
        caller = auth.load_caller(db, str(ben["id"]))
    device = join_device(store, caller)
    events = [outcome_event(seq, cid, household_ids[0]) for seq in (1, 2)]
    assert push(client, device, events).status_code == 200
    ok("POST", f"/quarantine/{events[0].event_id}/accept")
    ok("POST", f"/quarantine/{events[1].event_id}/dismiss")
    with store.reading() as db:  # a family needs Somali, which no one speaks (issue 15)
        holder = db.execute(
            "SELECT caller_id FROM campaign_households WHERE household_id = ?", [household_ids[0]]
        ).fetchone()[0]
        holders_phone = join_device(store, auth.load_caller(db, holder))
    asked = outcome_event(1, cid, household_ids[0], "language_needed", language_needed="so")
    assert push(client, holders_phone, [asked]).status_code == 200
    ok("POST", f"/language-queue/{asked.event_id}/assign", json={"caller_id": ben["id"]})
    ok("POST", f"/campaigns/{cid}/announcements", json={"text": "Thanks!", "caller_id": ben["id"]})
    ok("POST", f"/devices/{device.device_id}/revoke")
    ok("POST", f"/devices/{device.device_id}/wipe")
    with store.transaction() as db:  # the family asked for no texts (issue 14, point 1)
        db.execute(
            "UPDATE households SET body = json_set(body, '$.text_opt_out', json('true')) "
            "WHERE id = ?",
            [household_ids[1]],
        )
    lift = {"channel": "text", "reason": "The mother asked for texts again"}
    ok("POST", f"/households/{household_ids[1]}/opt-outs/lift", json=lift)
    ok("DELETE", f"/households/{household_ids[1]}")
    ok("GET", f"/campaigns/{cid}/export.csv")
    ok("GET", f"/campaigns/{cid}/households.csv")
    ok("POST", "/retention/run")
    ok("GET", "/audit/export")
    account = {"username": "lincoln", "password": "a coordinator's password"}
    made = ok("POST", "/accounts", json={**account, "role": "coordinator", "schools": ["Lincoln"]})
    ok("PATCH", f"/accounts/{made['id']}", json={"schools": ["Lincoln", "Roosevelt"]})
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    return {
        "invite code": str(invite["code"]),
        "device token": device.token,
        "session token": headers["Authorization"].removeprefix("Bearer "),
        "password": SUPERVISOR[1],
        "coordinator's password": account["password"],
    }


@pytest.fixture
def walked(
    client: TestClient, store: Store, supervisor_headers: dict[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    secrets = _walk(client, store, supervisor_headers)
    login = client.post(
        "/api/v1/auth/login", json={"username": SUPERVISOR[0], "password": SUPERVISOR[1]}
    )
    return secrets, {"Authorization": f"Bearer {login.json()['token']}"}


def test_every_supervisor_action_is_recorded(
    client: TestClient, walked: tuple[dict[str, str], dict[str, str]]
) -> None:
    _, headers = walked
    seen = set(_actions(client, headers))
    # Targeting is the console's alone (test_the_console_records_what_it_does).
    assert set(ACTIONS) - seen == {"targeting.add"}


def test_an_entry_says_who_when_what_and_which_records(
    client: TestClient, store: Store, walked: tuple[dict[str, str], dict[str, str]]
) -> None:
    _, headers = walked
    [moved] = client.get(
        "/api/v1/admin/audit", params={"action": "assignment.move"}, headers=headers
    ).json()
    with store.reading() as db:
        households = sorted(r[0] for r in db.execute("SELECT id FROM households"))
        supervisor_id = db.execute(
            "SELECT id FROM supervisors WHERE username = ?", [SUPERVISOR[0]]
        ).fetchone()[0]
    assert moved["actor_kind"] == "supervisor"
    assert (moved["actor_name"], moved["actor_id"]) == (SUPERVISOR[0], supervisor_id)
    # The households that changed hands (the apply gave Ana some already).
    assert moved["target_kind"] == "household" and set(moved["target_ids"]) <= set(households)
    assert moved["detail"]["households"] == len(moved["target_ids"]) >= 1
    assert datetime.now(UTC) - datetime.fromisoformat(moved["at"]) < timedelta(days=1)


def test_no_secret_is_ever_in_the_log(
    store: Store, walked: tuple[dict[str, str], dict[str, str]]
) -> None:
    secrets, headers = walked
    secrets["new session token"] = headers["Authorization"].removeprefix("Bearer ")
    with store.reading() as db:
        log = json.dumps(db.execute("SELECT * FROM audit_log").fetchall())
    assert [name for name, secret in secrets.items() if secret in log] == []


def test_record_refuses_what_must_not_be_written(store: Store) -> None:
    with store.transaction() as db:
        with pytest.raises(AuditError, match="not an audited action"):
            record(db, audit.SYSTEM, "household.peek")
        with pytest.raises(AuditError, match="no secrets: invite_code"):
            record(db, audit.SYSTEM, "invite.create", invite_code="ABCDE-12345")
        assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET actor_name = 'someone else'", "DELETE FROM audit_log"]
)
def test_the_log_is_append_only(store: Store, statement: str) -> None:
    with store.transaction() as db:
        record(db, audit.SYSTEM, "retention.anonymise", households=1)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), store.transaction() as db:
        db.execute(statement)
    with store.reading() as db:
        assert db.execute("SELECT actor_name FROM audit_log").fetchall() == [("phonebank",)]


def test_the_api_filters_by_who_what_and_when(
    client: TestClient, store: Store, walked: tuple[dict[str, str], dict[str, str]]
) -> None:
    _, headers = walked
    with store.transaction() as db:
        record(db, Actor("supervisor", "someone-else", "s2"), "export.outcomes")
    assert _actions(client, headers, actor="someone-else") == ["export.outcomes"]
    assert set(_actions(client, headers, action="quarantine")) == {
        "quarantine.accept",
        "quarantine.dismiss",
    }
    assert _actions(client, headers, since=datetime.now(UTC).isoformat()) == []
    everything = _actions(client, headers)
    assert _actions(client, headers, until=datetime.now(UTC).isoformat()) == everything
    assert len(_actions(client, headers, limit="3")) == 3
    bad = client.get("/api/v1/admin/audit", params={"since": "last week"}, headers=headers)
    assert bad.status_code == 422 and "since" in bad.text


def test_the_api_exports_csv_and_json_lines(
    client: TestClient, walked: tuple[dict[str, str], dict[str, str]]
) -> None:
    _, headers = walked
    url = "/api/v1/admin/audit/export"
    rows = list(csv.DictReader(io.StringIO(client.get(url, headers=headers).text)))
    lines = client.get(url, params={"format": "jsonl"}, headers=headers).text.splitlines()
    assert rows[0]["action"] == "auth.sign_in" and json.loads(rows[0]["target_ids"]) == []
    # The second export holds the first one's own entry at its end.
    actions = [json.loads(line)["action"] for line in lines]
    assert actions == [*(row["action"] for row in rows), "export.audit"]


def test_the_cli_exports_since_a_date(
    walked: tuple[dict[str, str], dict[str, str]],
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    today = datetime.now(UTC).date().isoformat()
    assert main(["audit", "--since", today, "--format", "jsonl", "--db", str(db_path)]) == 0
    entries = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {"household.delete", "assignment.move"} <= {e["action"] for e in entries}
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    target = db_path.parent / "audit.csv"
    assert main(["audit", "--since", tomorrow, str(target), "--db", str(db_path)]) == 0
    assert target.read_text().splitlines()[0].startswith("id,at,actor_kind")
    assert len(target.read_text().splitlines()) == 1  # only the header: nothing since
    assert main(["audit", "--since", "yesterday", "--db", str(db_path)]) == 2
    assert "not a date" in capsys.readouterr().err


def test_the_console_records_what_it_does(store: Store) -> None:
    console = SignedInConsole.seed(store)
    households = [make_household(i) for i in range(2)]
    seed_households(store, console.campaign_id, households, console.ana)
    ids = [h.id for h in households]
    console.service.move_households(console.campaign_id, ids, console.ben)
    console.service.add_to_campaign(console.campaign_id, ids)
    console.service.delete_household(ids[0])
    entries = console.service.audit_entries(AuditFilter())
    assert [(e.action, e.actor_name) for e in entries] == [
        ("auth.sign_in", SUPERVISOR[0]),
        ("assignment.move", SUPERVISOR[0]),
        ("targeting.add", SUPERVISOR[0]),
        ("household.delete", SUPERVISOR[0]),
    ]
    assert console.service.audit_actors() == [SUPERVISOR[0]]
    assert entries[1].target_ids == sorted(ids)
    ticket = console.service.audit_download(AuditFilter(action="household"))
    assert ticket
    console.service.sign_out()
    with store.reading() as db:
        last = db.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert last == ("auth.sign_out",)


def test_an_unused_device_stays_out_of_it(caller_device: JoinedDevice, store: Store) -> None:
    # Devices joining and syncing are callers' actions, not supervisors': not recorded.
    with store.reading() as db:
        assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0


def test_the_console_reads_an_entry_in_one_line() -> None:
    from app.core.privacy import AuditEntry
    from sync_server.console.components.audit_entry_row import entry_text
    from sync_server.console.components.audit_log_panel import since_moment

    entry = AuditEntry(
        id=1,
        at=datetime(2026, 12, 1, 21, 30, tzinfo=UTC),
        actor_kind="supervisor",
        actor_name="coordinator",
        action="assignment.move",
        target_kind="household",
        target_ids=["h1", "h2", "h3", "h4", "h5"],
    )
    assert entry_text(entry) == (
        "2026-12-01 21:30 UTC · coordinator · Moved households · household h1, h2, h3 (+2)"
    )
    assert since_moment(" 2026-11-30 ") == datetime(2026, 11, 30, tzinfo=UTC)
    assert since_moment("") is None
    with pytest.raises(ValueError):
        since_moment("last week")


def test_the_command_line_records_its_supervisor_chores(
    db_path: Path, store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    families = tmp_path / "families.csv"
    families.write_text(CSV, encoding="utf-8")
    db = ["--db", str(db_path)]
    assert main(["campaign", "create", "walk", "--name", "Walk", *db]) == 0
    assert main(["import-households", str(families), "--campaign", "walk", *db]) == 0
    assert main(["invite", "Ana", "--languages", "es,vi", *db]) == 0
    assert main(["assign", "--campaign", "walk", *db]) == 0
    assert main(["export", "--campaign", "walk", "-", *db]) == 0
    code = capsys.readouterr().out.split("Invite code: ")[1].split()[0]
    with store.reading() as conn:
        rows = conn.execute("SELECT actor_kind, action, detail FROM audit_log").fetchall()
    assert [action for _, action, _ in rows] == [
        "campaign.create",
        "import.households",
        "caller.create",
        "invite.create",
        "assignment.apply",
        "export.outcomes",
    ]
    assert {kind for kind, _, _ in rows} == {"operator"}
    assert code not in json.dumps(rows)
