"""Corrections, notes and the language hand-off end to end against the real server process:
one caller's device → push → server → pull → another caller's device (issue 15, 1 and 2)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from app.core.models import Caller, CampaignDraft
from app.core.outcome_draft import OutcomeDraft
from app.services import CallerSession
from app.store import DeviceStore
from app.sync import SyncClient
from sync_server import auth
from sync_server.audit import SYSTEM
from sync_server.campaigns import create_campaign
from sync_server.clock import iso, utcnow
from sync_server.db import Store
from sync_server.export import export_outcomes_csv
from sync_server.language_handoff import assign_from_queue, language_queue
from sync_server.records import household_from_row
from tests.support.families import SeededBank, seed_bank
from tests.support.phone_bank import invite
from tests.support.server import ServerProcess
from tests.support.server_rows import put_household

pytestmark = pytest.mark.anyio
Device = Callable[[Caller], Awaitable[CallerSession]]


@pytest.fixture
def bank_on_disk(tmp_path: Path) -> Iterator[tuple[Store, SeededBank]]:
    store = Store(tmp_path / "server.sqlite")
    try:
        yield store, seed_bank(store)
    finally:
        store.close()


@pytest.fixture
def server(bank_on_disk: tuple[Store, SeededBank], tmp_path: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path / "server.sqlite", api_only=True).start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
async def device(
    server: ServerProcess, bank_on_disk: tuple[Store, SeededBank], tmp_path: Path
) -> AsyncIterator[Device]:
    """A new device joined (over HTTP) for a caller, synced once."""
    store, _ = bank_on_disk
    async with AsyncExitStack() as stack:
        count = 0

        async def join(caller: Caller) -> CallerSession:
            nonlocal count
            count += 1
            local = DeviceStore.open(tmp_path / f"device-{count}.db")
            stack.callback(local.close)
            sync = await stack.enter_async_context(SyncClient(local, timeout=10))
            session = CallerSession(local, sync, server.url)
            await session.join(invite(store, caller))
            return session

        yield join


def caller(store: Store, name: str, languages: list[str]) -> Caller:
    with store.transaction() as db:
        return auth.create_caller(db, name, languages)


def listed(session: CallerSession) -> set[tuple[str, str]]:
    return {(row.campaign_id, row.household_id) for g in session.my_list().groups for row in g.rows}


async def test_a_correction_reaches_every_device_and_the_next_campaigns_caller(
    bank_on_disk: tuple[Store, SeededBank], device: Device
) -> None:
    store, bank = bank_on_disk
    ben = caller(store, "Ben Okoro", ["en", "zh"])
    with store.transaction() as db:  # the next campaign: Ben calls the Chen family
        spring = create_campaign(db, CampaignDraft(slug="spring", name="Spring check"))
        put_household(db, None, spring.id, ben.id, now=iso(utcnow()), household_id="hh-chen")
    ana_phone, ana_tablet, bens = (
        await device(bank.caller),
        await device(bank.caller),
        await device(ben),
    )
    fix = ana_phone.corrections
    fix.add_number(bank.campaign.id, "hh-chen", "510-555-0190")
    fix.mark_wrong(bank.campaign.id, "hh-chen", "+15105550104")
    fix.add_note(bank.campaign.id, "hh-chen", "Call after 6pm")
    fix.add_note(bank.campaign.id, "hh-chen", "Grandmother speaks only Cantonese")
    ana_phone.record_outcome(OutcomeDraft(bank.campaign.id, "hh-chen", "no_answer"))
    await ana_phone.sync_now()
    assert ana_phone.store.pending_count() == 0

    for other in (ana_tablet, bens):
        await other.sync_now()
        household = other.store.household("hh-chen")
        assert household is not None
        assert [(p.number, p.bad) for p in household.phones] == [
            ("+15105550190", False),
            ("+15105550104", True),
        ]
        notes = other.corrections.notes(household)
        assert [(n.text, n.caller_name) for n in notes] == [
            ("Grandmother speaks only Cantonese", "Ana Reyes"),
            ("Call after 6pm", "Ana Reyes"),
        ]
    sheet = bens.open_household(spring.id, "hh-chen")
    assert [p.number for p in sheet.phones if not p.bad] == ["+15105550190"]

    with store.reading() as db:  # the history stays in the events, with who and when
        kinds = [
            (row["kind"], row["caller_id"])
            for row in db.query(
                "SELECT kind, caller_id FROM events WHERE household_id = 'hh-chen' ORDER BY seq"
            )
        ]
    assert kinds == [
        ("phone_corrected", bank.caller.id),
        ("phone_corrected", bank.caller.id),
        ("note_added", bank.caller.id),
        ("note_added", bank.caller.id),
        ("outcome_recorded", bank.caller.id),
    ]
    with store.reading() as db:  # the export carries the family as it is now
        (row,) = csv.DictReader(io.StringIO(export_outcomes_csv(db, bank.campaign.id)))
    assert row["household_phones"] == "15105550190"
    assert (
        row["household_notes"]
        .split("; ")[0]
        .endswith("Ana Reyes: Grandmother speaks only Cantonese")
    )
    assert row["household_notes"].split("; ")[1].endswith("Ana Reyes: Call after 6pm")


@pytest.mark.parametrize("answer", ["yue", "zh-HK"])
async def test_needs_another_language_hands_the_family_to_a_caller_who_speaks_it(
    bank_on_disk: tuple[Store, SeededBank], device: Device, answer: str
) -> None:
    store, bank = bank_on_disk
    caller(store, "Dana English", ["en"])
    carlos = caller(store, "Carlos Wong", ["yue", "en"])
    anas, carloss = await device(bank.caller), await device(carlos)
    key = (bank.campaign.id, "hh-smith")
    assert key in listed(anas) and key not in listed(carloss)

    anas.record_outcome(
        OutcomeDraft(*key, "language_needed", phone="+15105550106", language_needed=answer)
    )
    await anas.sync_now()
    assert key not in listed(anas)  # dropped at the next pull

    await carloss.sync_now()
    assert key in listed(carloss)
    sheet = carloss.open_household(*key)
    assert sheet.household.language == "yue"
    assert sheet.script is not None and sheet.script.language == "zh-Hant"
    handoff = carloss.corrections.handoff(bank.campaign.id, sheet.household)
    assert handoff is not None
    assert (handoff.caller_name, handoff.language, handoff.handed_to) == (
        "Ana Reyes",
        "yue",
        carlos.id,
    )
    with store.reading() as db:
        assert language_queue(db) == []


async def test_with_no_speaker_the_family_waits_in_the_queue_until_a_supervisor_assigns_it(
    bank_on_disk: tuple[Store, SeededBank], device: Device
) -> None:
    store, bank = bank_on_disk
    dana = caller(store, "Dana English", ["en"])
    anas, danas = await device(bank.caller), await device(dana)
    key = (bank.campaign.id, "hh-brown")
    anas.record_outcome(OutcomeDraft(*key, "language_needed", language_needed="so"))
    await anas.sync_now()
    assert key not in listed(anas)

    with store.reading() as db:
        queue = language_queue(db, bank.campaign.id)
        body = next(db.query("SELECT body FROM households WHERE id = 'hh-brown'"))
    assert [(q.household_id, q.language_name, q.from_caller_name) for q in queue] == [
        ("hh-brown", "Somali", "Ana Reyes")
    ]
    assert household_from_row(body).language == "so"
    # Nobody speaks Somali: the console offers every active caller, saying so.
    assert {(c.name, c.speaks) for c in queue[0].callers} >= {("Dana English", False)}

    await danas.sync_now()
    assert key not in listed(danas)
    with store.transaction() as db:
        assign_from_queue(db, queue[0].event_id, dana.id, SYSTEM)
        assert language_queue(db) == []
    await danas.sync_now()
    assert key in listed(danas)
    household = danas.store.household("hh-brown")
    assert household is not None
    handoff = danas.corrections.handoff(bank.campaign.id, household)
    assert handoff is not None and handoff.language == "so" and handoff.handed_to == dana.id
