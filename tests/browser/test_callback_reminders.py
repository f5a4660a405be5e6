"""A callback falls due: my list says so at the top, with the way to it, and the Follow-ups
tab carries the count."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from app.core.clock import utcnow
from tests.support.browser import FletPage
from tests.support.running_banks import PhoneBankServer, mounted_bank
from tests.support.server_rows import add_follow_up

pytestmark = pytest.mark.browser


@pytest.fixture
def due(tmp_path: Path) -> Iterator[PhoneBankServer]:
    """The seeded bank where the caller owes the Smith family a call since ten minutes ago."""
    with mounted_bank(tmp_path / "data") as running:
        bank = running.bank
        with running.store.transaction() as db:
            due_at = utcnow() - timedelta(minutes=10)
            add_follow_up(db, bank.campaign.id, "hh-smith", bank.caller.id, due_at)
        yield running


def test_a_due_callback_shows_on_my_list_and_the_follow_ups_tab(
    due: PhoneBankServer, phone: FletPage
) -> None:
    phone.open(f"{due.url}/app/?invite={due.invite()}")
    phone.wait_label("callbacks-due", "Callbacks due now: 1")
    phone.by_id("household-hh-garcia").wait_for(state="attached")
    phone.shot("17-callback-due-banner")
    phone.tap("See follow-ups")
    phone.wait_text("My follow-ups")
    phone.reveal(phone.text("Smith family"))
