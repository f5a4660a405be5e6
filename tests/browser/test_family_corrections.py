"""Corrections in a real browser, on the server-driven caller app at /app/: a new number, a
wrong one, a note and the family's language, each saved from the call screen, synced, and
on the server for the next caller; then "Needs another language" hands a family over."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.core.models import Household
from app.store import DeviceStore
from sync_server import auth
from sync_server.db import Store
from sync_server.records import household_from_row
from tests.support.browser import FletPage
from tests.support.events import outcome_event, push_body
from tests.support.families import SeededBank
from tests.support.phone_bank import invite, join_device
from tests.support.running_banks import mounted_bank

pytestmark = pytest.mark.browser


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[tuple[str, Store, SeededBank]]:
    with mounted_bank(tmp_path / "data") as running:
        yield running.url, running.store, running.bank


def on_server(store: Store, household_id: str) -> Household:
    with store.reading() as db:
        row = next(db.query("SELECT body FROM households WHERE id = ?", [household_id]))
    return household_from_row(row)


def wait_for_server(phone: FletPage, check: Callable[[], Any]) -> None:
    """Until the device's sync has brought what ``check`` looks for (it syncs after a write)."""
    for _ in range(300):
        if check():
            return
        phone.page.wait_for_timeout(100)
    assert check()


def back_to_list(phone: FletPage) -> None:
    phone.top()
    phone.by_id("call-back").wait_for(state="attached")
    phone.tap_id("call-back")


def test_a_caller_corrects_a_family_and_the_server_keeps_it_for_the_next_caller(
    mounted: tuple[str, Store, SeededBank], phone: FletPage, tmp_path: Path
) -> None:
    url, store, bank = mounted
    phone.open(f"{url}/app/?invite={invite(store, bank.caller)}")
    phone.tap_id("household-hh-nguyen")
    phone.by_id("script-panel").wait_for(state="attached")

    phone.type_into("A new number the family gave", "510 555 0177")
    phone.tap_id("family-number-add")
    phone.wait_label("family-message", r"\+15105550177 added")
    # The number is on the server (the proof its sync ended) before the next tap.
    wait_for_server(phone, lambda: len(on_server(store, "hh-nguyen").phones) == 2)
    phone.wait_label("sync-badge", r"Synced \d")
    phone.tap_id("phone-wrong-+15105550103")
    phone.wait_label("family-message", r"\+15105550103 marked wrong")

    phone.type_into("Note about the family (not about this call)", "Call after 6pm")
    phone.tap_id("family-note-add")
    phone.wait_label("family-note-0", "Call after 6pm — Ana Reyes")
    wait_for_server(phone, lambda: len(on_server(store, "hh-nguyen").notes) == 1)
    phone.wait_label("sync-badge", r"Synced \d")
    phone.type_into("Note about the family (not about this call)", "Grandma speaks Cantonese")
    phone.tap_id("family-note-add")
    phone.wait_label("family-note-0", "Grandma speaks Cantonese — Ana Reyes")
    phone.wait_label("family-note-1", "Call after 6pm — Ana Reyes")  # newest first

    phone.tap_id("family-language-change")
    phone.tap_id("family-language-yue")
    phone.wait_label("family-language", "Cantonese")
    phone.shot("issue15-family-corrections-360")

    def synced() -> bool:
        household = on_server(store, "hh-nguyen")
        return household.language == "yue" and len(household.notes) == 2

    wait_for_server(phone, synced)
    household = on_server(store, "hh-nguyen")
    assert [(p.number, p.bad) for p in household.phones] == [
        ("+15105550177", False),
        ("+15105550103", True),
    ]
    assert [(n.text, n.caller_name) for n in household.notes] == [
        ("Call after 6pm", "Ana Reyes"),
        ("Grandma speaks Cantonese", "Ana Reyes"),
    ]

    # A family with no caller of its language waits in the console's queue; the caller's
    # device drops it at its next pull.
    with store.transaction() as db:
        auth.create_caller(db, "Dana English", ["en"])
    back_to_list(phone)
    phone.tap_id("household-hh-brown")
    phone.by_id("script-panel").wait_for(state="attached")
    phone.tap("More outcomes")
    phone.tap("Needs another language")
    phone.tap_id("needs-language-so")

    def queued() -> bool:
        with store.reading() as db:
            rows = list(db.query("SELECT status FROM language_handoffs"))
        return rows == [{"status": "queued"}]

    wait_for_server(phone, queued)
    # The sync that sent it pulled the family off this device: the screen says so.
    phone.wait_text("That household is no longer on your list.")
    phone.shot("issue15-handed-off-360")
    phone.tap("Back to list")
    phone.by_id("household-hh-garcia").wait_for(state="attached")
    (device,) = (tmp_path / "data" / "devices").glob("*.sqlite")
    held = DeviceStore.open(device)
    try:
        assert held.household("hh-brown") is None
        assert held.household("hh-nguyen") is not None
    finally:
        held.close()


def test_the_caller_a_family_is_handed_to_sees_why_on_its_call_screen(
    mounted: tuple[str, Store, SeededBank], phone: FletPage
) -> None:
    url, store, bank = mounted
    with store.transaction() as db:
        carlos = auth.create_caller(db, "Carlos Wong", ["yue", "en"])
    anas_phone = join_device(store, bank.caller)
    asked = outcome_event(1, bank.campaign.id, "hh-smith", "language_needed", language_needed="yue")
    pushed = httpx.post(
        f"{url}/api/v1/sync/push",
        json=push_body(anas_phone.device_id, [asked]),
        headers=anas_phone.headers,
        timeout=10,
    )
    assert pushed.json()["results"][0]["status"] == "applied", pushed.text

    phone.open(f"{url}/app/?invite={invite(store, carlos)}")
    phone.tap_id("household-hh-smith")
    phone.wait_label("handoff-banner", "Handed to you by Ana Reyes .*: the family needs Cantonese")
    phone.by_id("script-panel").wait_for(state="attached")
    phone.shot("issue15-handed-to-a-speaker-360")
