"""The console's import feedback in a real browser: the file's encoding chosen from a
dropdown when the detected one reads names wrong, the rows the file would reject listed
before importing, and the report's rejected rows downloaded with one click."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.support.browser import ConsolePage
from tests.support.phone_bank import SUPERVISOR
from tests.support.running_banks import ConsoleBank

pytestmark = pytest.mark.browser

# Saved by a Mac spreadsheet: one accented name is too little for a detector to tell Mac
# Roman from Windows-1252, which reads 'José' as 'JosŽ'.
ROSTER = "Family Name,Phone\nJosé,510-555-0111\nSmith,510-555-0112\nOkafor,555-01\n"


def test_choose_the_encoding_see_the_rejected_rows_and_download_them_in_one_click(
    console: ConsolePage, console_bank: ConsoleBank, tmp_path: Path
) -> None:
    console.open(console_bank.console_url)
    console.sign_in(*SUPERVISOR)
    roster = tmp_path / "roster.csv"
    roster.write_bytes(ROSTER.encode("mac-roman"))
    console.go("import")
    with console.page.expect_file_chooser() as chooser:
        console.tap("Choose a CSV file")
    chooser.value.set_files(str(roster))

    console.by_id("preview-line-2").wait_for()
    assert console.label("preview-line-2").startswith("Line 2: JosŽ ·")
    assert console.label("import-encoding") == "File encoding: Detect automatically (Windows-1252)"
    assert console.label("preview-rejected") == "1 row would be rejected"
    assert console.label("preview-rejected-4").startswith(
        "Line 4: no valid phone number — column 'Phone': '555-01' is too short"
    )

    console.tap_id("import-encoding")
    # The menu's options are buttons; wait for it to open (a wheel would close it).
    console.button("Mac Roman").wait_for()
    console.tap("Mac Roman")
    console.wait_name("import-encoding", "File encoding: Mac Roman")
    console.wait_name("preview-line-2", "Line 2: José · +15105550111 · en")
    console.shot("console-import-encoding-chosen")

    console.tap("Import 3 rows")
    console.by_id("import-report").wait_for()
    assert console.label("total-rejected") == "Rejected: 1"
    with console.page.expect_download() as download:
        console.tap("Download rejected-rows.csv")  # no "prepare" click before it
    text = download.value.path().read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(row["line"], row["status"], row["Family Name"]) for row in rows] == [
        ("4", "rejected", "Okafor")
    ]
