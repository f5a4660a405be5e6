"""The household export for the school's records (SIS): one row per family with its
current phones, language, opt-outs, last outcome and open follow-ups."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.core.events import FollowUpScheduled, PhoneCorrected
from app.core.models import Caller
from sync_server.cli import main
from sync_server.db import Store
from sync_server.household_export import COLUMNS
from tests.support.console import SignedInConsole
from tests.support.device_api import push
from tests.support.events import device_event, outcome_event
from tests.support.families import SeededBank
from tests.support.phone_bank import JoinedDevice


def _rows(text: str) -> dict[str, dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    assert reader.fieldnames == COLUMNS
    return {row["household_id"]: row for row in reader}


@pytest.fixture
def worked(
    client: TestClient, seeded_bank: SeededBank, joined_device: Callable[[Caller], JoinedDevice]
) -> SeededBank:
    """The García family's first number was wrong and a caller added the right one, then
    reached them and scheduled a callback; the Smiths did not answer twice."""
    device = joined_device(seeded_bank.caller)
    campaign_id = seeded_bank.campaign.id
    events = [
        outcome_event(1, campaign_id, "hh-garcia", "no_answer"),
        device_event(
            2,
            PhoneCorrected(
                campaign_id=campaign_id,
                household_id="hh-garcia",
                old_number="+15105550101",
                new_number="+15105550199",
            ),
        ),
        outcome_event(3, campaign_id, "hh-garcia", "reached_complete"),
        device_event(
            4,
            FollowUpScheduled(
                campaign_id=campaign_id,
                household_id="hh-garcia",
                follow_up_id="fu-1",
                due_at=datetime(2026, 12, 3, 17, 0, tzinfo=UTC),
                detail="Chromebook for Luis",
            ),
        ),
        outcome_event(5, campaign_id, "hh-smith", "no_answer"),
        outcome_event(6, campaign_id, "hh-smith", "no_answer"),
    ]
    assert push(client, device, events).status_code == 200
    return seeded_bank


def test_one_row_per_family_with_what_the_school_needs(
    client: TestClient, supervisor_headers: dict[str, str], worked: SeededBank
) -> None:
    url = f"/api/v1/admin/campaigns/{worked.campaign.id}/households.csv"
    response = client.get(url, headers=supervisor_headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "households" in response.headers["content-disposition"]
    rows = _rows(response.text)
    assert set(rows) == {h.id for h in worked.households}
    garcia = rows["hh-garcia"]
    assert garcia["household"] == "García family" and garcia["language"] == "es"
    assert garcia["phones"] == "15105550199; 15105550102"  # the new number first
    assert garcia["new_phones"] == "15105550199"
    assert garcia["bad_phones"] == "15105550101"
    assert (garcia["last_outcome"], garcia["outcomes"]) == ("reached_complete", "2")
    assert garcia["last_caller"] == "Ana Reyes"
    assert garcia["open_follow_ups"] == "callback due 2026-12-03 17:00: Chromebook for Luis"
    assert (rows["hh-smith"]["last_outcome"], rows["hh-smith"]["outcomes"]) == ("no_answer", "2")
    assert rows["hh-okafor"]["text_opt_out"] == "yes" and rows["hh-okafor"]["do_not_call"] == "no"
    assert (rows["hh-chen"]["last_outcome"], rows["hh-chen"]["outcomes"]) == ("", "0")


def test_a_cell_a_spreadsheet_would_run_is_neutralised(
    client: TestClient, store: Store, supervisor_headers: dict[str, str], worked: SeededBank
) -> None:
    with store.transaction() as db:
        db.execute(
            "UPDATE households SET body = json_set(body, '$.name', '=HYPERLINK(\"x\")') "
            "WHERE id = 'hh-brown'"
        )
    url = f"/api/v1/admin/campaigns/{worked.campaign.id}/households.csv"
    rows = _rows(client.get(url, headers=supervisor_headers).text)
    assert rows["hh-brown"]["household"] == '\'=HYPERLINK("x")'


def test_an_unknown_campaign_is_404(client: TestClient, supervisor_headers: dict[str, str]) -> None:
    response = client.get("/api/v1/admin/campaigns/nope/households.csv", headers=supervisor_headers)
    assert response.status_code == 404 and "nope" in response.json()["message"]


def test_the_cli_writes_it(
    worked: SeededBank, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = db_path.parent / "sis.csv"
    argv = ["export-households", "--campaign", worked.campaign.slug, str(target)]
    assert main([*argv, "--db", str(db_path)]) == 0
    assert _rows(target.read_text(encoding="utf-8-sig"))["hh-garcia"]["new_phones"] == (
        "15105550199"
    )
    assert main(["export-households", "--campaign", "nope", "-", "--db", str(db_path)]) == 1
    assert "nope" in capsys.readouterr().err


def test_the_console_download_is_recorded_when_fetched(store: Store) -> None:
    console = SignedInConsole.seed(store)
    ticket = console.service.households_export_download(console.campaign_id)
    with store.reading() as db:
        before = db.execute("SELECT count(*) FROM audit_log WHERE action LIKE 'export%'")
        assert before.fetchone()[0] == 0
    download = console.service.downloads.get(ticket)
    assert download is not None
    assert download.produce().decode("utf-8-sig").startswith("household_id,")
    with store.reading() as db:
        after = db.execute("SELECT action FROM audit_log WHERE action LIKE 'export%'")
        assert after.fetchall() == [("export.households",)]
