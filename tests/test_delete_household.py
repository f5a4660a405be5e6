"""A supervisor deletes a family on request: its personal data leaves the server, the
devices and the exports; its outcomes keep counting, anonymised."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from app.core.errors import Conflict, NotFound
from app.core.events import Event, FollowUpScheduled, NoteAdded
from app.core.models import Caller
from app.core.privacy import ANONYMISED_NAME
from sync_server.db import Store
from sync_server.progress_tables import refresh_progress
from sync_server.retention import run_retention
from tests.support.device_api import ids, pull_all, push
from tests.support.events import device_event, outcome_event
from tests.support.families import SeededBank
from tests.support.phone_bank import JoinedDevice

NOTE = "Abuela Rosario prefers mornings; Luis needs a hotspot"
ANSWER = "Lives at 12 Calle Sol"
GARCIA = "hh-garcia"
PERSONAL = (
    "García",
    "Luis",
    "Pat García",
    "5105550101",
    "5105550102",
    NOTE,
    ANSWER,
    "hotspot-for-luis",
)


@pytest.fixture
def called(
    client: TestClient,
    seeded_bank: SeededBank,
    joined_device: Callable[[Caller], JoinedDevice],
) -> tuple[JoinedDevice, str | None]:
    """The caller's phone, synced, after calling the García family: an outcome with a note,
    an answer and the number called, a callback with a detail, a note; then a pull."""
    device = joined_device(seeded_bank.caller)
    campaign_id = seeded_bank.campaign.id
    events = [
        outcome_event(
            1,
            campaign_id,
            GARCIA,
            "reached_complete",
            notes=NOTE,
            answers={"address": ANSWER},
            phone="+15105550101",
            needs_found=["hotspot-for-luis"],
        ),
        outcome_event(2, campaign_id, "hh-smith", "no_answer", notes="left a message"),
        device_event(
            3,
            FollowUpScheduled(
                campaign_id=campaign_id,
                household_id=GARCIA,
                follow_up_id="fu-garcia",
                due_at=datetime.now(UTC) + timedelta(days=1),
                detail="Bring the hotspot for Luis",
            ),
        ),
        device_event(4, NoteAdded(campaign_id=campaign_id, household_id=GARCIA, text=NOTE)),
    ]
    assert push(client, device, events).status_code == 200
    pages, cursor = pull_all(client, device)
    assert GARCIA in ids(pages, "household")
    return device, cursor


@dataclass(frozen=True)
class Supervisor:
    """A signed-in supervisor at the API."""

    client: TestClient
    headers: dict[str, str]

    def get(self, url: str, **params: str) -> httpx.Response:
        return self.client.get(url, params=params, headers=self.headers)

    def delete(self, household_id: str = GARCIA) -> dict[str, object]:
        response = self.client.delete(
            f"/api/v1/admin/households/{household_id}", headers=self.headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, object] = response.json()
        return body


@pytest.fixture
def supervisor(client: TestClient, supervisor_headers: dict[str, str]) -> Supervisor:
    return Supervisor(client, supervisor_headers)


def _everything(store: Store) -> str:
    """The whole database as SQL text: what a copy of the file would reveal."""
    with store.reading() as db:
        return "\n".join(db.conn.iterdump())


@pytest.mark.usefixtures("called")
def test_the_familys_personal_data_leaves_the_server(store: Store, supervisor: Supervisor) -> None:
    before = _everything(store)
    assert all(text in before for text in PERSONAL)
    with store.transaction() as db:  # the dashboard's summary, with the family's needs
        refresh_progress(db)
        assert db.execute(
            "SELECT tags FROM progress_households WHERE household_id = ?", [GARCIA]
        ).fetchone() == ('["no-device"]',)

    result = supervisor.delete()

    assert result["households"] == 1 and result["already"] == 0
    assert result["events"] == 3 and result["follow_ups"] == 1
    after = _everything(store)
    assert [text for text in PERSONAL if text in after] == []
    # The Smith family's call and note are untouched.
    assert "Smith family" in after and "left a message" in after
    with store.reading() as db:
        row = db.execute("SELECT name, phones, language FROM households WHERE id = ?", [GARCIA])
        assert row.fetchone() == (ANONYMISED_NAME, "[]", "es")
        follow_up = db.execute("SELECT status, detail FROM follow_ups WHERE id = 'fu-garcia'")
        assert follow_up.fetchone() == ("closed", "")
        summary = "SELECT tags FROM progress_households WHERE household_id = ?"
        assert db.execute(summary, [GARCIA]).fetchone() == ("[]",)


@pytest.mark.usefixtures("called")
def test_its_outcomes_still_count_in_progress(
    seeded_bank: SeededBank, supervisor: Supervisor
) -> None:
    url = f"/api/v1/admin/campaigns/{seeded_bank.campaign.id}/progress"
    before = supervisor.get(url).json()["totals"]
    supervisor.delete()
    after = supervisor.get(url).json()["totals"]
    for figure in ("households", "attempted", "reached", "completed", "calls"):
        assert after[figure] == before[figure], figure
    assert after["open_households"] == before["open_households"] - 1


def test_every_device_drops_it_at_its_next_pull(
    client: TestClient, supervisor: Supervisor, called: tuple[JoinedDevice, str | None]
) -> None:
    device, cursor = called
    supervisor.delete()
    pages, _ = pull_all(client, device, cursor)
    assert GARCIA in ids(pages, "household", "remove")
    assert "fu-garcia" in ids(pages, "follow_up", "remove")
    assert ids(pages, "household") == set()  # nothing of it is sent again
    assert not any("García" in str(change) for page in pages for change in page["changes"])


@pytest.fixture
def sent_late(
    seeded_bank: SeededBank, supervisor: Supervisor, called: tuple[JoinedDevice, str | None]
) -> tuple[Event, dict[str, object]]:
    """The family deleted, then the phone sends work it recorded before it knew: an outcome
    with a note naming the family. Returns the event and the push's answer."""
    device, _ = called
    supervisor.delete()
    late = outcome_event(5, seeded_bank.campaign.id, GARCIA, "no_answer", notes=f"late: {NOTE}")
    response = push(supervisor.client, device, [late])
    assert response.status_code == 200
    answer: dict[str, object] = response.json()
    return late, answer


def test_work_a_device_sends_later_is_kept_aside(
    store: Store, sent_late: tuple[Event, dict[str, object]]
) -> None:
    _, answer = sent_late
    results = answer["results"]
    assert isinstance(results, list)
    assert results[0]["status"] == "quarantined"
    with store.reading() as db:
        assert db.execute("SELECT name FROM households WHERE id = ?", [GARCIA]).fetchone() == (
            ANONYMISED_NAME,
        )


@pytest.mark.usefixtures("called")
def test_the_exports_no_longer_show_it(seeded_bank: SeededBank, supervisor: Supervisor) -> None:
    base = f"/api/v1/admin/campaigns/{seeded_bank.campaign.id}"
    outcomes_before = supervisor.get(f"{base}/export.csv").text
    supervisor.delete()
    outcomes = supervisor.get(f"{base}/export.csv").text
    households = supervisor.get(f"{base}/households.csv").text
    assert len(outcomes.splitlines()) == len(outcomes_before.splitlines())  # still counted
    for export in (outcomes, households):
        assert [text for text in PERSONAL if text in export] == []
    assert GARCIA not in households and "Smith family" in households


@pytest.mark.usefixtures("called")
def test_deleting_again_changes_nothing_and_an_unknown_id_is_404(
    store: Store, supervisor: Supervisor
) -> None:
    supervisor.delete()
    assert supervisor.delete()["already"] == 1
    before = _everything(store)
    url = "/api/v1/admin/households/hh-nobody"
    response = supervisor.client.delete(url, headers=supervisor.headers)
    assert response.status_code == 404
    assert "hh-nobody" in response.json()["message"] or "household" in response.json()["message"]
    # Only the audit log's own bookkeeping could differ; nothing was changed or recorded.
    assert _everything(store) == before


@pytest.mark.usefixtures("called")
def test_the_deletion_is_in_the_audit_log_without_the_familys_data(
    store: Store, supervisor: Supervisor
) -> None:
    supervisor.delete()
    entries = supervisor.get("/api/v1/admin/audit", action="household.delete").json()
    assert [(e["actor_name"], e["target_ids"]) for e in entries] == [("coordinator", [GARCIA])]
    with store.reading() as db:
        log = str(db.execute("SELECT * FROM audit_log").fetchall())
    assert [text for text in PERSONAL if text in log] == []


def test_the_cli_deletes_a_family(
    store: Store, called: tuple[JoinedDevice, str | None], db_path: object
) -> None:
    from sync_server.cli import main

    assert main(["delete-household", GARCIA, "--db", str(db_path)]) == 0
    assert main(["delete-household", "hh-nobody", "--db", str(db_path)]) == 1
    with store.reading() as db:
        name = db.execute("SELECT name FROM households WHERE id = ?", [GARCIA]).fetchone()[0]
        actor = db.execute(
            "SELECT actor_kind, actor_name FROM audit_log WHERE action = 'household.delete'"
        ).fetchone()
    assert name == ANONYMISED_NAME
    assert actor[0] == "operator" and actor[1].startswith("cli:")


def test_the_daily_run_removes_the_free_text_of_work_sent_later(
    store: Store, sent_late: tuple[Event, dict[str, object]]
) -> None:
    late, _ = sent_late
    assert NOTE in _everything(store)
    with store.transaction() as db:
        run_retention(db, dry_run=False)
        status = db.execute(
            "SELECT quarantine_status FROM events WHERE event_id = ?", [str(late.event_id)]
        ).fetchone()
    assert NOTE not in _everything(store)
    assert status == ("dismissed",)  # nobody can accept it back into counting


def test_a_family_is_found_by_the_schools_number_too(
    store: Store, seeded_bank: SeededBank, db_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from sync_server import auth
    from sync_server.cli import main
    from sync_server.console.services import ConsoleService
    from tests.support.phone_bank import SUPERVISOR

    numbers = {"hh-garcia": "S-1001", "hh-lopez": "S-2002", "hh-chen": "S-2002"}
    with store.transaction() as db:
        auth.create_supervisor(db, *SUPERVISOR)
        for household, number in numbers.items():
            db.execute(
                "UPDATE households SET body = json_set(body, '$.external_id', ?) WHERE id = ?",
                [number, household],
            )
    console = ConsoleService(store)
    console.sign_in(*SUPERVISOR)
    assert console.delete_household(" S-1001 ").households == 1
    with pytest.raises(Conflict, match="2 households have the external id 'S-2002'"):
        console.delete_household("S-2002")
    with pytest.raises(NotFound, match="No household with id or external id 'S-9'"):
        console.delete_household("S-9")
    assert main(["delete-household", "S-2002", "--db", str(db_path)]) == 1
    assert "delete each by its household id" in capsys.readouterr().err
    with store.reading() as db:
        names = dict(db.execute("SELECT id, name FROM households").fetchall())
        targets = db.execute(
            "SELECT target_ids FROM audit_log WHERE action = 'household.delete'"
        ).fetchall()
    assert names["hh-garcia"] == ANONYMISED_NAME
    assert names["hh-lopez"] == "Lopez family" and names["hh-chen"] == "Chen family"
    assert targets == [('["hh-garcia"]',)]  # the household's id, not the school's number
