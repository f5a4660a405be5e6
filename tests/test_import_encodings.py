"""A CSV's encoding decided from the whole file, or chosen by the supervisor (Python, API
and CLI): a line with bytes the encoding cannot read is rejected with its line number and
the reason in words, never imported garbled; encodings are named in words."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.core.errors import UnreadableCsv
from app.core.models import Campaign, Household
from sync_server import importer
from sync_server.cli import main
from sync_server.db import Store
from sync_server.records import household_from_row

NAMES = ["Peña", "Nguyễn Văn An", "Trần", "Müller", "Lê Thị Hương", "François", "Phạm", "Đặng"]
LATIN = ["Peña", "Pérez", "Müller", "François", "Gonçalves", "João", "Ibáñez", "Noël"]
CSV = {"Content-Type": "text/csv"}
PREVIEW = "/api/v1/admin/households/import/preview"


def roster(names: list[str]) -> str:
    rows = "".join(f"{name},510-555-01{i:02d}\n" for i, name in enumerate(names, start=10))
    return "Family Name,Phone\n" + rows


def stored_names(store: Store) -> list[str]:
    """The stored families' names, sorted."""
    with store.reading() as db:
        households: list[Household] = [
            household_from_row(row) for row in db.query("SELECT * FROM households")
        ]
    return sorted(household.name for household in households)


def test_a_utf8_file_with_one_bad_byte_is_read_as_utf8_and_that_line_rejected(
    store: Store,
) -> None:
    # Line 5 was typed in another program: 'Pérez' with the Windows-1252 byte for é.
    data = roster([*NAMES[:3], "Pérez", *NAMES[3:]]).encode().replace(b"P\xc3\xa9rez", b"P\xe9rez")
    report = importer.import_households(store, data, campaign_id=None)
    assert (report.encoding, report.encoding_label) == ("utf-8", "UTF-8")
    assert [(row.line, row.reason) for row in report.rejected] == [
        (
            5,
            "column 'Family Name': the byte 0xE9 after 'P' is not UTF-8 text; "
            "fix the row in the file, or choose the file's encoding",
        )
    ]
    assert report.rejected[0].raw["Family Name"] == "P\ufffdrez"
    assert stored_names(store) == sorted(NAMES)  # not one name garbled


def test_a_utf8_file_with_a_bom_and_a_bad_byte_rejects_only_that_line(store: Store) -> None:
    data = codecs.BOM_UTF8 + roster(NAMES).encode() + b"Bad\xff\xfe,510-555-0199\n"
    report = importer.import_households(store, data, campaign_id=None)
    assert (report.encoding_label, report.imported) == ("UTF-8 with BOM", len(NAMES))
    ((line, reason),) = [(row.line, row.reason) for row in report.rejected]
    assert (line, reason.split(";")[0]) == (
        len(NAMES) + 2,
        "column 'Family Name': the bytes 0xFF 0xFE after 'Bad' are not UTF-8 text",
    )


def test_a_windows_1252_file_is_detected_and_a_utf8_line_in_it_rejected_not_garbled(
    store: Store,
) -> None:
    data = roster(LATIN).encode("cp1252") + "Gómez,510-555-0199\n".encode()
    report = importer.import_households(store, data, campaign_id=None)
    assert (report.encoding, report.encoding_label) == ("cp1252", "Windows-1252")
    assert [(row.line, row.reason) for row in report.rejected] == [
        (
            10,
            "column 'Family Name': 'GÃ³mez' looks like UTF-8 in a Windows-1252 file (as UTF-8 "
            "it reads 'Gómez'); save the file in one encoding, or choose its encoding",
        )
    ]
    assert stored_names(store) == sorted(LATIN)


def test_a_mac_roman_file_is_detected(store: Store) -> None:
    report = importer.import_households(store, roster(LATIN).encode("mac-roman"), campaign_id=None)
    assert (report.encoding_label, report.rejected) == ("Mac Roman", [])
    assert stored_names(store) == sorted(LATIN)


@pytest.mark.parametrize(
    ("chosen", "codec", "label"),
    [("mac_roman", "mac-roman", "Mac Roman"), ("Mac-Roman", "mac-roman", "Mac Roman")],
)
def test_the_supervisor_chooses_the_encoding(
    store: Store, chosen: str, codec: str, label: str
) -> None:
    # One accented name is too little to tell Mac Roman from Windows-1252 (which reads
    # 'JosŽ'): the supervisor, who knows where the file came from, says.
    data = "Family Name,Phone\nJosé,510-555-0123\n".encode("mac-roman")
    report = importer.import_households(store, data, campaign_id=None, encoding=chosen)
    assert (report.encoding, report.encoding_label) == (codec, label)
    assert stored_names(store) == ["José"]


def test_a_chosen_encoding_the_file_is_not_in_rejects_the_lines_it_cannot_read(
    store: Store,
) -> None:
    data = roster(["Peña", "Smith", "Müller"]).encode("cp1252")
    report = importer.import_households(store, data, campaign_id=None, encoding="utf-8")
    assert [row.line for row in report.rejected] == [2, 4]
    assert stored_names(store) == ["Smith"]


def test_an_unknown_encoding_is_refused_naming_the_choices(store: Store) -> None:
    with pytest.raises(
        UnreadableCsv, match=r"'klingon' is not an encoding.*cp1252 \(Windows-1252\)"
    ):
        importer.import_households(
            store, roster(NAMES).encode(), campaign_id=None, encoding="klingon"
        )
    assert stored_names(store) == []


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (roster(NAMES).encode(), "UTF-8"),
        (codecs.BOM_UTF8 + roster(NAMES).encode(), "UTF-8 with BOM"),
        (roster(LATIN).encode("cp1252"), "Windows-1252"),
        (roster(NAMES).encode("utf-16"), "UTF-16"),
    ],
)
def test_the_preview_names_the_encoding_in_words(data: bytes, label: str) -> None:
    assert importer.preview_import(data).encoding_label == label


def test_the_api_reads_the_chosen_encoding_and_refuses_an_unknown_one(
    client: TestClient, supervisor_headers: dict[str, str]
) -> None:
    headers = {**supervisor_headers, **CSV}
    data = "Family Name,Phone\nJosé,510-555-0123\n".encode("mac-roman")
    answer = client.post(PREVIEW, content=data, params={"encoding": "mac-roman"}, headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["encoding"], body["encoding_label"]) == ("mac-roman", "Mac Roman")
    assert body["sample"][0]["household"]["name"] == "José"
    refused = client.post(PREVIEW, content=data, params={"encoding": "klingon"}, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["details"][0]["field"] == "encoding"


def test_the_api_import_rejects_the_line_with_a_bad_byte(
    client: TestClient, store: Store, campaign: Campaign, supervisor_headers: dict[str, str]
) -> None:
    data = roster(NAMES).encode() + b"Ram\xedrez,510-555-0199\n"
    answer = client.post(
        f"/api/v1/admin/campaigns/{campaign.id}/households/import",
        content=data,
        headers={**supervisor_headers, **CSV},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["encoding_label"], body["imported"]) == ("UTF-8", len(NAMES))
    assert [row["line"] for row in body["rejected"]] == [len(NAMES) + 2]
    assert stored_names(store) == sorted(NAMES)


@pytest.fixture
def campaign_db(tmp_path: Path) -> Path:
    from app.core.models import CampaignDraft
    from sync_server.campaigns import create_campaign

    path = tmp_path / "phonebank.sqlite"
    store = Store(path)
    with store.transaction() as db:
        create_campaign(db, CampaignDraft(slug="tech-check", name="Tech check"))
    store.close()
    return path


def test_the_cli_takes_the_encoding(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, campaign_db: Path
) -> None:
    source = tmp_path / "families.csv"
    source.write_bytes("Family Name,Phone\nJosé,510-555-0123\n".encode("mac-roman"))
    argv = ["import-households", str(source), "--campaign", "tech-check", "--db", str(campaign_db)]
    assert main([*argv, "--encoding", "mac-roman"]) == 0
    out = capsys.readouterr().out
    assert "(encoding Mac Roman, delimiter ',')" in out
    store = Store(campaign_db)
    try:
        assert stored_names(store) == ["José"]
    finally:
        store.close()
    assert main([*argv, "--encoding", "klingon"]) == 1
    assert "'klingon' is not an encoding" in capsys.readouterr().err
