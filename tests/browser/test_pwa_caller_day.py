"""The caller's day in the offline app (issue 15), with no network: a supervisor's message
read, a family's new number, a wrong one and a note saved, a call outside the family's
hours made with a reason and its outcome recorded; back online, one sync brings them all
to the server as they were entered.

The same features are tested in the server-driven app (test_family_corrections,
test_announcements, test_calling_hours); here Python runs in the browser and the device's
database lives in IndexedDB."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import time
from pathlib import Path
from typing import Any

import pytest

from app.core.announcements import AnnouncementRequest
from app.core.models import CallingWindow
from sync_server import announcements
from sync_server.audit import Actor
from tests.support.offline_app import Browser, Server, first_visit, offline_app_server
from tests.support.running_banks import change_campaign

pytestmark = pytest.mark.browser

NEVER_OPEN = CallingWindow(start=time(0, 0), end=time(0, 0, 0, 1))
"""Whenever the test runs, every family is outside its calling hours."""


@pytest.fixture
def server(web_app: Path, tmp_path: Path) -> Iterator[tuple[Server, str]]:
    """The bank with every family outside its hours, and a message to its callers (its id)."""
    with offline_app_server(web_app, tmp_path) as running:
        change_campaign(running.store, running.bank.campaign, calling_window=NEVER_OPEN)
        with running.store.transaction() as db:
            posted = announcements.post(
                db,
                running.bank.campaign.id,
                AnnouncementRequest(text="Thank you all for Saturday!"),
                Actor("supervisor", "Coach Maya"),
            )
        yield running, posted.id


def test_a_day_of_work_offline_reaches_the_server_in_one_sync(
    server: tuple[Server, str], tmp_path: Path, browser: Any
) -> None:
    bank, announcement_id = server
    chromium = Browser(browser.browser_type, tmp_path / "profile")
    phone = first_visit(chromium, bank)
    announcement = f"announcement-{announcement_id}"
    phone.wait_label(announcement, r"From Coach Maya · .+\sThank you all for Saturday!")
    chromium.context.set_offline(True)

    phone.tap_id(f"announcement-read-{announcement_id}")
    phone.by_id(announcement).wait_for(state="detached")
    phone.tap_id("household-hh-nguyen")
    phone.by_id("script-panel").wait_for(state="attached")
    phone.type_into("A new number the family gave", "510 555 0177")
    phone.tap_id("family-number-add")
    phone.wait_label("family-message", r"\+15105550177 added")
    phone.tap_id("phone-wrong-+15105550103")
    phone.wait_label("family-message", r"\+15105550103 marked wrong")
    phone.type_into("Note about the family (not about this call)", "Call after 6pm")
    phone.tap_id("family-note-add")
    phone.wait_label("family-note-0", "Call after 6pm — Ana Reyes")

    phone.top()
    phone.tap("Call +15105550177 outside calling hours…")
    phone.type_into("Why call now, outside the family's hours?", "She asked for this time")
    phone.tap("Call +15105550177 now")
    phone.tap("No answer")
    phone.by_id("outcome-saved").wait_for(state="attached")
    phone.wait_label("sync-badge", "Offline · 5 pending")
    phone.shot("pwa-07-offline-day-5-pending")

    chromium.context.set_offline(False)
    phone.tap_id("sync-badge")
    phone.tap("Sync now")
    phone.wait_label("sync-badge", r"Synced \d")
    assert "pending" not in phone.label("sync-badge")
    events = bank.rows("SELECT kind, household_id, payload FROM events ORDER BY seq")
    assert [(e["kind"], e["household_id"]) for e in events] == [
        ("announcement_read", ""),
        ("phone_corrected", "hh-nguyen"),
        ("phone_corrected", "hh-nguyen"),
        ("note_added", "hh-nguyen"),
        ("outcome_recorded", "hh-nguyen"),
    ]
    outcome = json.loads(events[-1]["payload"])
    assert (outcome["phone"], outcome["outside_hours_reason"]) == (
        "+15105550177",
        "She asked for this time",
    )
    chromium.close()
