"""A household field declared once, in the model, goes everywhere: the family's preferred
contact time is read from a CSV, stored, sent to the caller's device, shown on the call
screen in the caller's language, offered in the console's column mapping and exported."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app.core.field_roles import shown_to_caller
from app.core.imports import mapping_labels
from app.core.outcome_draft import OutcomeDraft
from app.services import CallerSession, Translator, load_catalogues
from app.store import DeviceStore
from app.sync import SyncClient
from sync_server.assignment import move_households
from sync_server.column_mapping import detect_mapping
from sync_server.db import Store
from sync_server.export import export_outcomes_csv
from sync_server.importer import import_households
from tests.support.families import SeededBank, seed_bank
from tests.support.phone_bank import invite

pytestmark = pytest.mark.anyio
FILE = (
    b"Family Name,Phone,Language,Mejor hora para llamar\n"
    b"Okafor,510-555-0177,English,after 6pm\n"
    b"Okafor,510-555-0177,English,\n"  # the same family again, saying nothing new
)


@pytest.fixture
async def session(tmp_path: Path, server_app: FastAPI) -> AsyncIterator[CallerSession]:
    device = DeviceStore.open(tmp_path / "device.db")
    async with SyncClient(device, transport=httpx.ASGITransport(app=server_app)) as sync:
        yield CallerSession(device, sync, "http://phonebank.test", device_name="test phone")
    device.close()


async def test_preferred_contact_time_travels_from_the_csv_to_the_caller_and_the_export(
    store: Store, session: CallerSession
) -> None:
    bank: SeededBank = seed_bank(store)
    assert (
        detect_mapping(["Family Name", "Best Time to Call"]).column_for("preferred_contact_time")
        == "Best Time to Call"
    )
    assert mapping_labels()["preferred_contact_time"].label == "Best time to call"

    report = import_households(store, FILE, campaign_id=bank.campaign.id)
    assert (report.imported, report.merged, report.rejected) == (1, 1, [])
    (household_id,) = report_ids(store, "Okafor")
    with store.transaction() as db:
        move_households(db, bank.campaign.id, [household_id], bank.caller.id)

    await session.join(invite(store, bank.caller))
    sheet = session.open_household(bank.campaign.id, household_id)
    assert sheet.household.preferred_contact_time == "after 6pm"
    catalogues = load_catalogues()
    lines = [
        Translator(language, catalogues)(f"household.{field}", value=value)
        for language in ("en", "es")
        for field, value in shown_to_caller(sheet.household)
    ]
    assert lines == ["Best time to call: after 6pm", "Mejor hora para llamar: after 6pm"]

    session.record_outcome(
        OutcomeDraft(
            campaign_id=bank.campaign.id, household_id=household_id, disposition="no_answer"
        )
    )
    await session.sync_now()
    with store.reading() as db:
        (row,) = csv.DictReader(io.StringIO(export_outcomes_csv(db, bank.campaign.id)))
    assert (row["household"], row["preferred_contact_time"]) == ("Okafor", "after 6pm")


def report_ids(store: Store, name: str) -> list[str]:
    with store.reading() as db:
        return [row["id"] for row in db.query("SELECT id FROM households WHERE name = ?", [name])]
