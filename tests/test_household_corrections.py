"""Corrections and notes from the call screen, as the caller's service makes them (no page):
a new number, a wrong one, the family's language, a note for the next caller."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.core.errors import InvalidPhoneNumber, NotAssigned, PhonebankError
from app.core.limits import NOTE_CHARS
from app.services import CallerSession
from app.services.household_corrections import CorrectionRefused
from app.store import DeviceStore
from app.sync import SyncClient
from sync_server import importer
from sync_server.db import Store
from sync_server.records import household_from_row
from tests.support.families import SeededBank
from tests.support.phone_bank import invite
from tests.support.server_rows import assign

URL = "http://phonebank.test"
NOON_ISH = datetime(2026, 1, 14, 23, 0, tzinfo=UTC)
pytestmark = pytest.mark.anyio


@pytest.fixture
def clock() -> list[datetime]:
    """The device's clock: a test moves it by replacing ``clock[0]``."""
    return [NOON_ISH]


@pytest.fixture
async def session(
    tmp_path: Path,
    server_app: FastAPI,
    clock: list[datetime],
    seeded_bank: SeededBank,
    store: Store,
) -> AsyncIterator[CallerSession]:
    """Ana's device, joined over the in-process server."""
    device = DeviceStore.open(tmp_path / "device.db", clock=lambda: clock[0])
    async with SyncClient(device, transport=httpx.ASGITransport(app=server_app)) as sync:
        ana = CallerSession(device, sync, URL, clock=device.clock)
        await ana.join(invite(store, seeded_bank.caller))
        yield ana
    device.close()


def outbox(session: CallerSession) -> list[dict[str, Any]]:
    return list(session.store.db.query("SELECT kind, payload FROM outbox ORDER BY position"))


def server_household(store: Store, household_id: str) -> Any:
    with store.reading() as db:
        return household_from_row(
            next(db.query("SELECT body FROM households WHERE id = ?", [household_id]))
        )


async def test_a_number_the_family_gives_is_saved_first_and_reaches_the_server(
    session: CallerSession, seeded_bank: SeededBank, store: Store
) -> None:
    campaign = seeded_bank.campaign.id
    number = session.corrections.add_number(campaign, "hh-nguyen", "(510) 555-0177")
    assert number == "+15105550177"
    sheet = session.open_household(campaign, "hh-nguyen")
    assert [phone.number for phone in sheet.phones] == ["+15105550177", "+15105550103"]
    await session.sync_now()
    assert server_household(store, "hh-nguyen").phones[0].number == number


@pytest.mark.parametrize(
    ("typed", "problem"),
    [("", "empty"), ("555", "555"), ("+1 510 555 0103", "already listed")],
)
async def test_a_number_that_cannot_be_saved_says_why_and_records_nothing(
    session: CallerSession, seeded_bank: SeededBank, typed: str, problem: str
) -> None:
    before = outbox(session)
    with pytest.raises(PhonebankError) as refused:
        session.corrections.add_number(seeded_bank.campaign.id, "hh-nguyen", typed)
    assert problem in refused.value.message
    assert outbox(session) == before
    assert len(session.store.household("hh-nguyen").phones) == 1  # type: ignore[union-attr]


async def test_a_wrong_number_is_no_longer_offered_and_the_server_marks_it(
    session: CallerSession, seeded_bank: SeededBank, store: Store
) -> None:
    campaign = seeded_bank.campaign.id
    session.corrections.mark_wrong(campaign, "hh-garcia", "+15105550101")
    sheet = session.open_household(campaign, "hh-garcia")
    assert [(p.number, p.bad) for p in sheet.phones] == [
        ("+15105550101", True),
        ("+15105550102", False),
    ]
    with pytest.raises(InvalidPhoneNumber, match="not one of this family's working numbers"):
        session.corrections.mark_wrong(campaign, "hh-garcia", "+15105550101")
    await session.sync_now()
    phones = server_household(store, "hh-garcia").phones
    assert [(p.number, p.bad) for p in phones] == [("+15105550101", True), ("+15105550102", False)]


async def test_notes_show_newest_first_with_caller_and_date_before_and_after_sync(
    session: CallerSession, seeded_bank: SeededBank, store: Store, clock: list[datetime]
) -> None:
    campaign = seeded_bank.campaign.id
    session.corrections.add_note(campaign, "hh-chen", "  Call after 6pm  ")
    clock[0] += timedelta(minutes=5)
    session.corrections.add_note(campaign, "hh-chen", "Grandmother speaks only Cantonese")
    household = session.store.household("hh-chen")
    assert household is not None
    shown = [(n.text, n.caller_name, n.recorded_at) for n in session.corrections.notes(household)]
    assert shown == [
        ("Grandmother speaks only Cantonese", "Ana Reyes", NOON_ISH + timedelta(minutes=5)),
        ("Call after 6pm", "Ana Reyes", NOON_ISH),
    ]
    await session.sync_now()
    on_server = server_household(store, "hh-chen")
    assert [n.text for n in on_server.notes] == [
        "Call after 6pm",
        "Grandmother speaks only Cantonese",
    ]
    assert {n.caller_id for n in on_server.notes} == {seeded_bank.caller.id}
    # After the pull replaced the cached household, each note is there once.
    again = session.store.household("hh-chen")
    assert again is not None and [n.text for n in session.corrections.notes(again)] == [
        "Grandmother speaks only Cantonese",
        "Call after 6pm",
    ]


@pytest.mark.parametrize(
    ("text", "problem"), [("   ", "Type the note first"), ("x" * (NOTE_CHARS + 1), "at most")]
)
async def test_an_empty_or_too_long_note_is_refused(
    session: CallerSession, seeded_bank: SeededBank, text: str, problem: str
) -> None:
    with pytest.raises(CorrectionRefused, match=problem):
        session.corrections.add_note(seeded_bank.campaign.id, "hh-chen", text)
    assert outbox(session) == []


async def test_setting_the_language_changes_the_script_cantonese_reads_traditional_chinese(
    session: CallerSession, seeded_bank: SeededBank, store: Store
) -> None:
    campaign = seeded_bank.campaign.id
    assert session.corrections.set_language(campaign, "hh-smith", "en") is None  # unchanged
    session.corrections.set_language(campaign, "hh-smith", "yue")
    sheet = session.open_household(campaign, "hh-smith")
    assert sheet.household.language == "yue"
    assert sheet.script is not None and sheet.script.language == "zh-Hant"
    await session.sync_now()
    assert server_household(store, "hh-smith").language == "yue"


async def test_a_household_not_on_this_device_cannot_be_corrected(
    session: CallerSession, seeded_bank: SeededBank
) -> None:
    with pytest.raises((CorrectionRefused, NotAssigned)):
        session.corrections.add_note(seeded_bank.campaign.id, "hh-nobody", "hello")
    assert outbox(session) == []


async def test_importing_the_family_again_keeps_its_notes_and_corrected_numbers(
    session: CallerSession, seeded_bank: SeededBank, store: Store
) -> None:
    campaign = seeded_bank.campaign.id
    school_file = b"Family Name,Phone,Language\nOkonjo family,510-555-0150,English\n"
    assert importer.import_households(store, school_file, campaign_id=campaign).imported == 1
    with store.reading() as db:
        (household_id,) = [
            row[0] for row in db.execute("SELECT id FROM households WHERE name = 'Okonjo family'")
        ]
    assign(store, campaign, household_id, seeded_bank.caller.id)
    await session.sync_now()
    session.corrections.add_number(campaign, household_id, "510-555-0188")
    session.corrections.add_note(campaign, household_id, "Works nights; call before noon")
    await session.sync_now()

    report = importer.import_households(store, school_file, campaign_id=campaign)  # again
    assert (report.imported, report.merged, report.rejected) == (0, 1, [])
    household = server_household(store, household_id)
    assert [n.text for n in household.notes] == ["Works nights; call before noon"]
    assert [p.number for p in household.phones] == ["+15105550188", "+15105550150"]
