"""The console's outcome editor in a real browser: a supervisor adds an outcome that asks
the caller for a callback time, and the saved campaign carries it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sync_server.campaigns import get_campaign
from sync_server.console.components.disposition_editor import ASKS_WITHOUT_MARKING
from tests.support.browser import ConsolePage
from tests.support.phone_bank import SUPERVISOR
from tests.support.running_banks import ConsoleBank

pytestmark = pytest.mark.browser


def test_an_outcome_that_asks_for_a_callback_time(
    console: ConsolePage, console_bank: ConsoleBank
) -> None:
    campaign = console_bank.campaign
    console.open(console_bank.console_url)
    console.sign_in(*SUPERVISOR)
    console.go("campaigns")
    console.type_into("Outcome code", "ask_again")
    console.type_into("Outcome label", "Ask again tonight")
    console.click(console.page.get_by_role("checkbox", name="A conversation happened"))
    # Asking which number did not work ticks "Marks the number bad" with it ...
    assert console.label("asks-for-bad_number") == "Asks for which number did not work"
    console.tap_id("asks-for-bad_number")
    marks_bad = console.page.get_by_role("checkbox", name="Marks the number bad")
    expect(marks_bad).to_be_checked()
    # ... and unticking it says plainly why that cannot be saved.
    console.click(marks_bad)
    console.wait_name("outcome-error", ASKS_WITHOUT_MARKING)
    console.tap_id("asks-for-callback_time")
    console.by_id("outcome-error").wait_for(state="detached")
    console.shot("console-10-outcome-editor")
    console.tap("Save outcome")
    console.wait_name("notice", f"Saved {campaign.name}.")

    with console_bank.store.reading() as db:
        saved = {d.code: d for d in get_campaign(db, campaign.id).dispositions}
    outcome = saved["ask_again"]
    assert outcome.label == "Ask again tonight"
    assert outcome.asks_for == "callback_time"
    assert outcome.reached
    assert not outcome.marks_number_bad and not outcome.opts_out
    console.wait_name(
        "outcome-flags-ask_again", "ask_again: conversation, asks for a callback time"
    )
