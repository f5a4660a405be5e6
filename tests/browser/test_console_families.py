"""The console's Families screen in a real browser: a family no caller speaks for waits in
"Needs a speaker of …" until the supervisor gives it to someone, and a family's record shows
what callers corrected and noted, with who and when."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from app.core.events import Event, NoteAdded
from sync_server.clock import iso, utcnow
from tests.support.browser import ConsolePage
from tests.support.events import outcome_event
from tests.support.phone_bank import SUPERVISOR
from tests.support.running_banks import ConsoleBank
from tests.support.server_rows import make_household, put_household

pytestmark = pytest.mark.browser


def test_a_queued_family_is_given_to_a_caller_and_its_notes_show_on_its_record(
    console: ConsolePage, console_bank: ConsoleBank
) -> None:
    bank, ana, ben = console_bank, console_bank.ana, console_bank.ben
    family = make_household(7).model_copy(update={"name": "Warsame family"})
    with bank.store.transaction() as db:
        put_household(db, family, bank.campaign.id, ana.caller.id, now=iso(utcnow()))
    note = NoteAdded(
        campaign_id=bank.campaign.id, household_id=family.id, text="Best after 5pm, ask for Hodan"
    )
    pushed = bank.push(
        ana,
        [
            Event(event_id=uuid.uuid4(), seq=1, recorded_at=datetime.now(UTC), payload=note),
            outcome_event(2, bank.campaign.id, family.id, "language_needed", language_needed="so"),
        ],
    )
    assert [result["status"] for result in pushed["results"]] == ["applied", "applied"]
    assert family.id not in bank.pull_households(ana)

    console.open(bank.console_url)
    console.sign_in(*SUPERVISOR)
    console.go("families")
    console.wait_name("language-queue-count", "Families waiting for a speaker: 1")
    assert "Warsame family needs a speaker of Somali: Ana Reyes asked" in console.label(
        f"queued-{family.id}"
    )
    console.shot("console-families-queue")
    console.tap_id(f"queue-assign-{family.id}-{ben.caller.id}")
    console.wait_name("language-queue-count", "Families waiting for a speaker: 0")
    assert family.id in bank.pull_households(ben)

    console.type_into("Find a family (name, phone or id)", "warsame")
    console.tap_id(f"family-{family.id}")
    console.by_id("record-note-0").wait_for()
    notes = [console.label(f"record-note-{index}") for index in range(3)]
    assert notes[2].startswith("Best after 5pm, ask for Hodan — Ana Reyes")
    assert notes[0].startswith("Needs a speaker of Somali: handed to Ben Tran — Ana Reyes")
    assert notes[1].startswith("Needs a speaker of Somali: waiting in the console's queue")
    assert console.label("record-language") == "Language: Somali"
    assert console.label("record-change-0").startswith("Note: Best after 5pm, ask for Hodan")
    console.shot("console-families-record")
