"""A lost device (issue 14 point 2) in the app served from the server (/app/): a supervisor's
wipe reaches the phone at its next sync, the phone erases every family and its database
and shows the join screen, and the server hears what it erased."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sync_server import auth
from tests.support.browser import FletPage
from tests.support.running_banks import PhoneBankServer, mounted_bank

pytestmark = pytest.mark.browser


@contextmanager
def joined_phone(data: Path, phone: FletPage) -> Iterator[PhoneBankServer]:
    """The bank served from ``data``, and the phone joined to it, showing its families."""
    with mounted_bank(data) as running:
        phone.open(f"{running.url}/app/?invite={running.invite()}")
        phone.by_id("household-hh-garcia").wait_for(state="attached")
        yield running


def test_a_wipe_reaches_the_phone_which_erases_its_families_and_shows_the_join_screen(
    tmp_path: Path, phone: FletPage
) -> None:
    data = tmp_path / "data"
    with joined_phone(data, phone) as running:
        [device] = running.rows("SELECT id FROM devices")
        devices = data / "devices"
        assert any(b"Garc" in path.read_bytes() for path in devices.iterdir())  # can fail
        with running.store.transaction() as db:
            auth.order_wipe(db, device["id"])

        phone.tap_id("sync-badge")
        phone.tap("Sync now")

        phone.wait_label("join-erased", "This phone was erased")
        phone.button("Join").wait_for(state="attached")
        assert phone.by_id("household-hh-garcia").count() == 0
        phone.shot("wipe-join-screen")
        erased = "SELECT erased_reason, erased_unsent FROM devices WHERE erased_at IS NOT NULL"
        assert running.rows_once_sent(erased, count=1) == [
            {"erased_reason": "wipe", "erased_unsent": 0}
        ]
        for path in devices.iterdir():
            assert b"Garc" not in path.read_bytes(), path.name


def test_sign_out_and_erase_from_settings_sends_the_work_then_erases_the_phone(
    tmp_path: Path, phone: FletPage
) -> None:
    data = tmp_path / "data"
    with joined_phone(data, phone) as running:
        phone.page.get_by_role("tab", name="Settings").click()

        phone.tap("Sign out and erase this phone")
        phone.tap("Yes, erase this phone")

        phone.button("Join").wait_for(state="attached")
        erased = "SELECT erased_reason, erased_unsent FROM devices WHERE erased_at IS NOT NULL"
        assert running.rows(erased) == [{"erased_reason": "sign_out", "erased_unsent": 0}]
        for path in (data / "devices").iterdir():
            assert b"Garc" not in path.read_bytes(), path.name
