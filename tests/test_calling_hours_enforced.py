"""Calling hours enforced on the caller's phone: outside a family's hours the call needs a
reason (saved with the outcome and exported), a campaign can forbid such calls, and "next
household" skips families outside their hours and says when the first of them opens."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI

from app.core.models import CallingWindow
from app.core.outcome_draft import OutcomeDraft
from app.services import CallerSession, OutsideCallingHours
from app.store import DeviceStore
from app.sync import SyncClient
from sync_server.db import Store
from sync_server.export import export_outcomes_csv
from tests.support.clock import Clock
from tests.support.families import SeededBank
from tests.support.phone_bank import invite

pytestmark = pytest.mark.anyio
EARLY = datetime(2026, 1, 14, 15, 0, tzinfo=UTC)
"""7:00 in Oakland, before the demo's 9:00 window opens for every family."""
NOON = datetime(2026, 1, 14, 20, 0, tzinfo=UTC)
OAKLAND = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def clock() -> Clock:
    return Clock(EARLY)


@pytest.fixture
async def joined(
    tmp_path: Path, server_app: FastAPI, seeded_bank: SeededBank, store: Store, clock: Clock
) -> AsyncIterator[CallerSession]:
    device = DeviceStore.open(tmp_path / "device.db", clock=clock)
    async with SyncClient(device, transport=httpx.ASGITransport(app=server_app)) as sync:
        session = CallerSession(device, sync, "http://phonebank.test", clock=clock)
        await session.join(invite(store, seeded_bank.caller))
        yield session
    device.close()


async def forbid_after_hours(session: CallerSession, store: Store, bank: SeededBank) -> None:
    window = CallingWindow(after_hours="never")
    changed = bank.campaign.model_copy(update={"calling_window": window})
    with store.transaction() as db:
        db.execute(
            "UPDATE campaigns SET body = ?, version = version + 1000 WHERE id = ?",
            [changed.model_dump_json(), changed.id],
        )
    await session.sync_now()


async def test_next_household_skips_families_outside_their_hours_and_says_when_they_open(
    joined: CallerSession, clock: Clock
) -> None:
    assert joined.next_household() is None  # 7:00: every family is before its window
    opening = joined.next_opening()
    assert opening is not None
    assert opening.astimezone(OAKLAND) == datetime(2026, 1, 14, 9, 0, tzinfo=OAKLAND)

    clock.now = NOON
    following = joined.next_household()
    assert following is not None and following.hours is not None and following.hours.allowed
    assert joined.next_opening() is None  # nobody is waiting for their window


async def test_a_call_outside_hours_needs_a_reason(
    joined: CallerSession, seeded_bank: SeededBank
) -> None:
    campaign = seeded_bank.campaign.id
    with pytest.raises(OutsideCallingHours, match="Say why"):
        joined.dial(campaign, "hh-garcia", "+15105550101")
    with pytest.raises(OutsideCallingHours):
        joined.dial(campaign, "hh-garcia", "+15105550101", reason="   ")
    link = joined.dial(campaign, "hh-garcia", "+15105550101", reason="Mother asked for 7 am")
    assert link == "tel:+15105550101"


async def test_a_campaign_can_forbid_calls_outside_hours(
    joined: CallerSession, seeded_bank: SeededBank, store: Store, clock: Clock
) -> None:
    await forbid_after_hours(joined, store, seeded_bank)
    campaign = seeded_bank.campaign.id
    with pytest.raises(OutsideCallingHours, match="does not call outside"):
        joined.dial(campaign, "hh-garcia", "+15105550101", reason="It is urgent")
    clock.now = NOON  # inside the window the rule does not get in the way
    assert joined.dial(campaign, "hh-garcia", "+15105550101") == "tel:+15105550101"


async def test_the_reason_travels_with_the_outcome_to_the_export(
    joined: CallerSession, seeded_bank: SeededBank, store: Store
) -> None:
    campaign = seeded_bank.campaign.id
    reason = "Mother works nights; she asked for 7 am"
    joined.record_outcome(
        OutcomeDraft(
            campaign, "hh-garcia", "no_answer", phone="+15105550101", outside_hours_reason=reason
        )
    )
    await joined.sync_now()
    with store.reading() as db:
        rows = list(csv.DictReader(io.StringIO(export_outcomes_csv(db, campaign))))
    assert [row["outside_hours_reason"] for row in rows] == [reason]
