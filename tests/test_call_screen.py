"""The call screen's sheet as a caller meets it: needs ticked mid-call bring up their script
sections, the "no script in the family's language" notice tells the truth, and a family that
needs no more calls shows no calling-hours warning."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app.core.events import OutcomeRecorded
from app.core.models import Household, Member, PhoneNumber
from app.core.outcome_draft import OutcomeDraft
from app.services import CallerSession, CallSheet, HouseholdRow
from app.store import DeviceStore
from app.sync import SyncClient
from sync_server.db import Store
from tests.support.families import SeededBank
from tests.support.phone_bank import invite
from tests.support.server_rows import seed_households

pytestmark = pytest.mark.anyio
EARLY = datetime(2026, 1, 14, 15, 0, tzinfo=UTC)
"""7:00 in Oakland: before the demo's 9:00 window opens, "too early" for every family."""
KOREAN = Household(
    id="hh-kim",
    name="Kim family",
    language="ko",
    phones=[PhoneNumber(number="+15105550110")],
    members=[Member(name="Min Kim", role="guardian")],
    timezone="America/Los_Angeles",
)
"""A family in a language the campaign has no script in."""


@pytest.fixture
async def joined(
    tmp_path: Path, server_app: FastAPI, seeded_bank: SeededBank, store: Store
) -> AsyncIterator[CallerSession]:
    """The seeded caller's phone at 7:00 in Oakland, with the Kim family on its list too."""
    seed_households(store, seeded_bank.campaign.id, [KOREAN], seeded_bank.caller.id)
    device = DeviceStore.open(tmp_path / "device.db", clock=lambda: EARLY)
    async with SyncClient(device, transport=httpx.ASGITransport(app=server_app)) as sync:
        session = CallerSession(device, sync, "http://phonebank.test", clock=lambda: EARLY)
        await session.join(invite(store, seeded_bank.caller))
        yield session
    device.close()


def sections(sheet: CallSheet) -> list[str]:
    assert sheet.script is not None
    return [section.id for section in sheet.script.sections]


def row_of(session: CallerSession, household_id: str) -> HouseholdRow:
    rows = [row for group in session.my_list().groups for row in group.rows]
    return next(row for row in rows if row.household_id == household_id)


# -- needs found mid-call -----------------------------------------------------------------


async def test_a_need_ticked_on_the_call_brings_up_its_section(
    joined: CallerSession, seeded_bank: SeededBank
) -> None:
    campaign = seeded_bank.campaign.id
    before = joined.open_household(campaign, "hh-garcia")  # tagged no-device only
    assert "no-internet" in before.needs and "no-internet" not in sections(before)

    ticked = joined.open_household(campaign, "hh-garcia", needs=["no-internet"])
    assert sections(ticked).count("no-internet") == 1
    assert "no-device" in sections(ticked)  # the family's own tags still count
    assert ticked.script is not None
    shown = next(s for s in ticked.script.sections if s.id == "no-internet")
    assert shown.title == "Internet en casa"  # in the family's language, like the rest

    switched = joined.open_household(campaign, "hh-garcia", language="en", needs=["no-internet"])
    assert "no-internet" in sections(switched)
    assert sections(joined.open_household(campaign, "hh-garcia", needs=[])) == sections(before)


async def test_a_question_a_ticked_need_brings_up_keeps_its_answer(
    joined: CallerSession, seeded_bank: SeededBank
) -> None:
    campaign = seeded_bank.campaign.id
    sheet = joined.open_household(campaign, "hh-smith", needs=["no-device"])  # no tags of its own
    assert sheet.script is not None
    assert "reserve-chromebook" in {question.id for question in sheet.script.questions}

    saved = joined.record_outcome(
        OutcomeDraft(
            campaign,
            "hh-smith",
            "reached_complete",
            phone="+15105550106",
            answers={"reserve-chromebook": "yes"},
            needs_found=("no-device",),
        )
    )
    assert isinstance(saved.event.payload, OutcomeRecorded)
    assert saved.event.payload.answers == {"reserve-chromebook": True}


# -- the script's language notice -----------------------------------------------------------


@pytest.mark.parametrize(
    ("household_id", "language", "fell_back"),
    [
        ("hh-garcia", None, False),  # Spanish, in Spanish
        ("hh-garcia", "en", False),  # the caller switched: Spanish still has a script
        ("hh-garcia", "ar", False),
        ("hh-smith", "es", False),
        ("hh-kim", None, True),  # no Korean script: the campaign's default is shown
        ("hh-kim", "es", True),  # still none in Korean, whichever is shown
    ],
)
async def test_the_fallback_notice_only_when_the_familys_language_has_no_script(
    joined: CallerSession,
    seeded_bank: SeededBank,
    household_id: str,
    language: str | None,
    fell_back: bool,
) -> None:
    sheet = joined.open_household(seeded_bank.campaign.id, household_id, language)
    assert sheet.script is not None
    assert sheet.script.fell_back is fell_back


# -- calling hours --------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["reached_complete", "do_not_call", "refused"])
async def test_a_family_that_needs_no_more_calls_shows_no_calling_hours(
    joined: CallerSession, seeded_bank: SeededBank, code: str
) -> None:
    campaign = seeded_bank.campaign.id
    waiting = row_of(joined, "hh-brown")
    assert waiting.hours is not None and waiting.hours.reason == "too_early"

    joined.record_outcome(OutcomeDraft(campaign, "hh-smith", code, phone="+15105550106"))
    assert row_of(joined, "hh-smith").group == "done"
    assert row_of(joined, "hh-smith").hours is None
    assert joined.open_household(campaign, "hh-smith").hours is None
    # A family still to call keeps its warning, on the list and on the call screen, and so
    # does one to try again.
    assert row_of(joined, "hh-brown").hours == waiting.hours
    joined.record_outcome(OutcomeDraft(campaign, "hh-brown", "no_answer", phone="+15105550109"))
    assert row_of(joined, "hh-brown").group == "retry"
    brown = joined.open_household(campaign, "hh-brown").hours
    assert brown is not None and brown.reason == "too_early"
