"""The supervisor console in a real browser: sign in, import a CSV with three bad rows and
read the report that names them, assign automatically, then watch the dashboard change by
itself while a caller's phone pushes outcomes."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pytest

from tests.support.browser import ConsolePage
from tests.support.events import outcome_event
from tests.support.phone_bank import SUPERVISOR
from tests.support.running_banks import ConsoleBank
from tests.support.server_rows import make_household, seed_households

pytestmark = pytest.mark.browser

ROSTER = """Family Name,Guardian,Phone,Language,Student,School,Needs
García,María García,(510) 555-0111,Spanish,Luis García,Lincoln,no-device
Nguyen,Lan Nguyen,510-555-0112,Vietnamese,Bao Nguyen,Lincoln,no-internet
Smith,John Smith,5105550113,English,Amy Smith,Fruitvale,
Lopez,Rosa Lopez,510.555.0114,Spanish,Carlos Lopez,Fruitvale,newcomer
,,510-555-0115,English,Sam,Lincoln,
Brown,Tom Brown,,English,Kim Brown,Lincoln,
Okafor,Ada Okafor,555-01,English,Chi Okafor,Fruitvale,
Tran,Minh Tran,510-555-0116,Vietnamese,Linh Tran,Lincoln,no-device
Reyes,Sofia Reyes,510-555-0117,Spanish,Mateo Reyes,Lincoln,transportation
Davis,Sam Davis,510-555-0118,English,Lee Davis,Fruitvale,
"""
BAD_ROWS = {
    6: "Line 6: no family name: columns 'Family Name', 'Guardian' are empty",
    7: "Line 7: no phone number: column 'Phone' is empty",
    8: "Line 8: no valid phone number — column 'Phone': '555-01' is not a valid phone number",
}


def test_import_assign_and_watch_the_dashboard_move(
    console: ConsolePage, console_bank: ConsoleBank, tmp_path: Path
) -> None:
    started = time.perf_counter()
    console.open(console_bank.console_url)
    console.page.get_by_role("textbox", name="User name").wait_for()
    assert console.by_id("nav-dashboard").count() == 0  # nothing before signing in
    console.sign_in(*SUPERVISOR, shot="console-01-sign-in")

    # Import: the browser's own file picker, uploaded to the server.
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    console.go("import")
    with console.page.expect_file_chooser() as chooser:
        console.tap("Choose a CSV file")
    chooser.value.set_files(str(roster))
    console.by_id("preview-line-2").wait_for()
    assert "García family" not in console.label("preview-line-2")  # the name is as written
    assert console.label("preview-line-2").startswith("Line 2: García · +15105550111 · es")
    assert console.label("mapping-phones-Phone") == "Phones: column Phone"
    console.shot("console-02-import-preview")
    console.tap("Import 10 rows")
    console.by_id("import-report").wait_for()
    assert console.label("total-imported") == "New households: 7"
    assert console.label("total-rejected") == "Rejected: 3"
    for line, text in BAD_ROWS.items():
        assert console.label(f"rejected-line-{line}") == text
    console.shot("console-03-import-report")

    # Automatic assignment: the plan first, then carried out.
    console.go("assignment")
    console.tap("Plan assignment")
    console.by_id("assignment-plan").wait_for()
    assert console.label("assignment-plan") == "7 households to assign"
    assert console.label(f"plan-load-{console_bank.ana.caller.id}").startswith(
        "Ana Reyes: from 0 to "
    )
    console.shot("console-04-assignment-plan")
    console.tap("Assign 7 households")
    console.wait_name("notice", "Assigned 7 households; callers get them on their next sync.")

    # The dashboard, then outcomes arrive from Ana's phone; the page is never reloaded.
    console.go("dashboard")
    console.wait_name("total-households", "Households: 7")
    assert console.label("total-attempted") == "Attempted: 0"
    console.shot("console-05-dashboard-before")
    console.page.evaluate("window.__sameDocument = true")
    households = console_bank.pull_households(console_bank.ana)
    assert len(households) >= 3
    campaign = console_bank.campaign.id
    pushed = console_bank.push(
        console_bank.ana,
        [
            outcome_event(1, campaign, households[0], "reached_complete"),
            outcome_event(2, campaign, households[1], "no_answer"),
            outcome_event(3, campaign, households[2], "reached_follow_up"),
        ],
    )
    assert [result["status"] for result in pushed["results"]] == ["applied"] * 3

    console.wait_name("total-attempted", "Attempted: 3")
    console.wait_name("total-reached", "Reached: 2")
    console.wait_name("total-completed", "Completed: 1")
    console.wait_name("total-contact-rate", "Contact rate: 67%")
    assert "3 calls today" in console.label(f"caller-progress-{console_bank.ana.caller.id}")
    assert console.page.evaluate("window.__sameDocument") is True
    console.shot("console-06-dashboard-live")

    # The results as CSV, through a short-lived download link.
    console.top()
    console.tap("Export results (CSV)")
    with console.page.expect_download() as download:
        console.tap("Download tech-check-outcomes.csv")
    assert download.value.suggested_filename == "tech-check-outcomes.csv"
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    assert sorted(row["disposition"] for row in rows) == [
        "no_answer",
        "reached_complete",
        "reached_follow_up",
    ]
    assert {row["caller"] for row in rows} == {"Ana Reyes"}

    # A caller's invite: code, link and QR code.
    console.go("callers")
    console.tap(f"Invite {console_bank.ben.caller.name}")
    console.by_id("invite-qr").wait_for()
    code = console.label("invite-code").removeprefix("Invite code ")
    assert console.label("invite-link").endswith(f"/?invite={code}")
    console.shot("console-07-invite")
    print(f"\nconsole walk: {time.perf_counter() - started:.1f} s")


def test_write_a_script_beside_its_preview_and_accept_a_quarantined_call(
    console: ConsolePage, console_bank: ConsoleBank
) -> None:
    campaign = console_bank.campaign.id
    (family,) = [make_household(1, language="es")]
    seed_households(console_bank.store, campaign, [family], console_bank.ana.caller.id)
    # Ben's phone sends a call for Ana's family: kept, in quarantine, counted nowhere.
    pushed = console_bank.push(console_bank.ben, [outcome_event(1, campaign, family.id, "busy")])
    assert [result["status"] for result in pushed["results"]] == ["quarantined"]

    console.open(console_bank.console_url)
    console.sign_in(*SUPERVISOR)
    console.go("campaigns")
    console.type_into("Language code", "so")
    console.tap("New script")
    console.reveal(console.by_id("preview-section-greeting"))
    assert console.label("preview-section-greeting") == (
        "Greeting: Hello, may I speak with Maria? My name is Ana, calling from Sample Elementary."
    )
    console.type_into("Section 1 text", "Nabad {guardian}, waa {caller}. {pickup_place}")
    console.wait_name("preview-section-greeting", "Greeting: Nabad Maria, waa Ana. [pickup_place?]")
    assert console.label("preview-missing") == "Placeholders with no value: pickup_place"
    console.shot("console-08-script-editor")
    console.tap("Save the so script *")
    console.wait_name("notice", "Saved the so script; callers get it on their next sync.")
    with console_bank.store.reading() as db:
        (body,) = db.execute(
            "SELECT body FROM scripts WHERE campaign_id = ? AND language = 'so'", [campaign]
        ).fetchone()
    assert "Nabad {guardian}, waa {caller}. {pickup_place}" in body

    console.go("quarantine")
    console.wait_name("quarantine-count", "Quarantined events shown: 1")
    console.shot("console-09-quarantine")
    console.tap("Accept")
    console.wait_name("quarantine-count", "Quarantined events shown: 0")
    console.go("dashboard")
    console.wait_name("total-attempted", "Attempted: 1")
