"""Calling hours in the server-driven caller app: outside a family's hours the call button
asks why first, dials only with a reason, and the reason reaches the server with the outcome."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import time
from pathlib import Path

import pytest

from app.core.models import CallingWindow
from tests.support.browser import FletPage
from tests.support.running_banks import PhoneBankServer, mounted_bank

pytestmark = pytest.mark.browser

NEVER_OPEN = CallingWindow(start=time(0, 0), end=time(0, 0, 0, 1))
"""A window one microsecond long: whenever the test runs, every family is outside it."""


@pytest.fixture
def closed(tmp_path: Path) -> Iterator[PhoneBankServer]:
    with mounted_bank(tmp_path / "data", calling_window=NEVER_OPEN) as running:
        yield running


def test_a_call_outside_hours_asks_why_and_the_reason_reaches_the_server(
    closed: PhoneBankServer, phone: FletPage
) -> None:
    phone.open(f"{closed.url}/app/?invite={closed.invite()}")
    phone.tap_id("household-hh-garcia")
    phone.tap("Call +15105550101 outside calling hours…")
    reason = "Her mother asked us to call before work"
    phone.type_into("Why call now, outside the family's hours?", reason)
    phone.tap("Call +15105550101 now")
    phone.tap("No answer")
    phone.by_id("outcome-saved").wait_for(state="attached")
    rows = closed.rows_once_sent(
        "SELECT payload FROM events WHERE kind = 'outcome_recorded'", count=1
    )
    assert [json.loads(row["payload"])["outside_hours_reason"] for row in rows] == [reason]
