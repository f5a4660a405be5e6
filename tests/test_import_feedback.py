"""Import feedback a coordinator can act on: phone reasons in plain words, a hint and a
default area code for numbers written without one (Python, API, CLI), the preview listing
every row the file would reject or merge, and the rejected rows' download lasting the
session so that the report's link is one click."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.core.errors import InvalidPhoneNumber
from app.core.imports import MergedRow
from app.core.models import Campaign, CampaignDraft, Household
from sync_server import auth, importer
from sync_server.campaigns import create_campaign
from sync_server.cli import main
from sync_server.console.downloads import Downloads
from sync_server.console.services import ConsoleService
from sync_server.db import Store
from sync_server.records import household_from_row

CSV = {"Content-Type": "text/csv"}
PREVIEW = "/api/v1/admin/households/import/preview"


def roster(*rows: str) -> bytes:
    return ("Family Name,Phone\n" + "".join(f"{row}\n" for row in rows)).encode()


def stored(store: Store) -> dict[str, list[str]]:
    with store.reading() as db:
        households: list[Household] = [
            household_from_row(row) for row in db.query("SELECT * FROM households")
        ]
    return {
        household.name: [phone.number for phone in household.phones] for household in households
    }


@pytest.mark.parametrize(
    ("phone", "reason"),
    [
        ("abc", "'abc' is not a phone number: it has no digits"),
        ("555-12", "'555-12' is too short: 5 digits where a number in North America has 10"),
        (
            "510 555 01234",
            "'510 555 01234' has 11 digits where a number in North America has 10",
        ),
        ("+999 123 4567", "'+999 123 4567' starts with a country code that does not exist"),
        (
            "(555) 555-0123",
            "'(555) 555-0123' is not a number that can exist in North America: check the area "
            "code and the digits",
        ),
        (
            "555-0123",
            "'555-0123' has 7 digits: add the area code, or choose a default area code for "
            "the import",
        ),
    ],
)
def test_a_bad_phone_is_rejected_in_plain_words(store: Store, phone: str, reason: str) -> None:
    report = importer.import_households(store, roster(f"García,{phone}"), campaign_id=None)
    ((line, said),) = [(row.line, row.reason) for row in report.rejected]
    assert (line, said) == (2, f"no valid phone number — column 'Phone': {reason}")


@pytest.mark.parametrize("code", ["510", "(510)", " 510 "])
def test_a_default_area_code_completes_seven_digit_numbers(store: Store, code: str) -> None:
    data = roster("García,555-0123", "Nguyen,415-555-0124", "Chen,123-4567")
    report = importer.import_households(store, data, campaign_id=None, default_area_code=code)
    assert stored(store) == {"García": ["+15105550123"], "Nguyen": ["+14155550124"]}
    assert [(row.line, row.reason) for row in report.rejected] == [
        (
            4,
            "no valid phone number — column 'Phone': '123-4567' with the area code 510 is not "
            "a number that can exist in North America: check the area code and the digits",
        )
    ]


@pytest.mark.parametrize("code", ["51", "0510", "area"])
def test_a_wrong_default_area_code_is_refused_before_anything_is_read(
    store: Store, code: str
) -> None:
    with pytest.raises(InvalidPhoneNumber, match="is not an area code: in North America"):
        importer.import_households(
            store, roster("García,555-0123"), campaign_id=None, default_area_code=code
        )
    assert stored(store) == {}


def test_the_api_takes_a_default_area_code(
    client: TestClient, store: Store, campaign: Campaign, supervisor_headers: dict[str, str]
) -> None:
    headers = {**supervisor_headers, **CSV}
    answer = client.post(
        f"/api/v1/admin/campaigns/{campaign.id}/households/import",
        params={"default_area_code": "510"},
        content=roster("García,555-0123"),
        headers=headers,
    )
    assert answer.status_code == 200, answer.text
    assert stored(store) == {"García": ["+15105550123"]}
    refused = client.post(
        PREVIEW, params={"default_area_code": "5"}, content=roster("A,1"), headers=headers
    )
    assert refused.status_code == 422
    assert refused.json()["details"][0]["field"] == "default_area_code"


def test_the_cli_takes_a_default_area_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db_path, source = tmp_path / "phonebank.sqlite", tmp_path / "families.csv"
    store = Store(db_path)
    with store.transaction() as db:
        create_campaign(db, CampaignDraft(slug="tech-check", name="Tech check"))
    source.write_bytes(roster("García,555-0123"))
    argv = ["import-households", str(source), "--campaign", "tech-check", "--db", str(db_path)]
    try:
        assert main([*argv, "--area-code", "510"]) == 0
        assert stored(store) == {"García": ["+15105550123"]}
    finally:
        store.close()


def test_the_preview_lists_every_row_the_import_would_reject_or_merge(store: Store) -> None:
    importer.import_households(store, roster("Stored,510-555-0100"), campaign_id=None)
    with store.reading() as db:
        (stored_id,) = [row[0] for row in db.execute("SELECT id FROM households")]
    rows = [f"Family {i},510-555-01{i:02d}" for i in range(1, 13)]  # lines 2-13
    rows += [
        "Family 3,(510) 555-0103",  # line 14: the family of line 4 again
        "No phone,",  # line 15
        "stored,510.555.0100",  # line 16: the stored family
        "Bad,555-12",  # line 17
        "Family 3,510-555-0103",  # line 18: line 4 again
    ]
    data = roster(*rows)
    preview = importer.preview_import(data, stored=store)
    assert len(preview.sample) == 10
    assert [row.line for row in preview.rejected] == [15, 17]
    assert preview.rejected[1].reason.startswith("no valid phone number — column 'Phone': '555-12'")
    assert preview.merged == [
        MergedRow(line=14, name="Family 3", phone="+15105550103", into_line=4),
        MergedRow(line=16, name="stored", phone="+15105550100", into_household=stored_id),
        MergedRow(line=18, name="Family 3", phone="+15105550103", into_line=4),
    ]
    assert preview.imported == 12
    assert len(stored(store)) == 1  # the preview stored nothing

    report = importer.import_households(store, data, campaign_id=None)
    assert (report.imported, report.merged) == (preview.imported, len(preview.merged))
    assert report.rejected == preview.rejected


def test_the_preview_over_http_lists_rejected_and_merged_rows(
    client: TestClient, store: Store, supervisor_headers: dict[str, str]
) -> None:
    importer.import_households(store, roster("Chen,510-555-0100"), campaign_id=None)
    answer = client.post(
        PREVIEW,
        content=roster("Chen,510-555-0100", "Bad,abc", "Lee,510-555-0101", "Lee,5105550101"),
        headers={**supervisor_headers, **CSV},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [(row["line"], row["reason"]) for row in body["rejected"]] == [
        (3, "no valid phone number — column 'Phone': 'abc' is not a phone number: it has no digits")
    ]
    assert [
        (row["line"], row["into_line"], bool(row["into_household"])) for row in body["merged"]
    ] == [
        (2, None, True),
        (5, 4, False),
    ]
    assert body["imported"] == 1


def test_the_rejected_rows_link_lasts_the_session(store: Store) -> None:
    # The report shows its download link at once: it must still work when the coordinator
    # has read the report, not only for an export's few minutes.
    now = [0.0]
    downloads = Downloads(clock=lambda: now[0])
    service = ConsoleService(store, downloads=downloads)
    with store.transaction() as db:
        auth.create_supervisor(db, "coordinator", "correct horse battery")
    service.sign_in("coordinator", "correct horse battery")
    report = service.import_households(roster("Bad,abc"), None)
    ticket = service.rejected_rows_download(report)
    now[0] += 3 * 3600  # three hours later
    item = downloads.get(ticket)
    assert item is not None
    assert "'abc' is not a phone number" in item.produce().decode("utf-8-sig")
    service.sign_out()
    assert downloads.get(ticket) is None
