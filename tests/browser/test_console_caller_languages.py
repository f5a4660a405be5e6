"""A caller's languages in the console, in a real browser: picked from a list searched by
name as you type, saved as language tags at once, removed with the chip's delete button."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.support.browser import ConsolePage
from tests.support.phone_bank import SUPERVISOR
from tests.support.running_banks import ConsoleBank

pytestmark = pytest.mark.browser


def _languages_of(bank: ConsoleBank, name: str) -> list[str]:
    with bank.store.reading() as db:
        row = db.execute("SELECT languages FROM callers WHERE name = ?", [name]).fetchone()
    languages: list[str] = json.loads(row[0])
    return languages


def test_a_language_is_picked_by_name_and_saved_as_a_tag(
    console: ConsolePage, console_bank: ConsoleBank
) -> None:
    console.open(console_bank.console_url)
    console.sign_in(*SUPERVISOR)
    console.go("callers")
    ana = console_bank.ana.caller.id
    console.tap_id(f"languages-{ana}-add")
    # The arrow key highlights the first language the search finds and Enter picks it, as a
    # person would. (A click on an entry could land on the copies of the entries that
    # Flutter lays out unseen under the field to size the list.)
    search = console.page.get_by_role("textbox", name="Search for a language Ana Reyes speaks")
    # Typed key by key and checked, as every other field's test does: a bare fill() now and
    # then reaches Flutter's field before it is ready and is lost.
    console.type_into("Search for a language Ana Reyes speaks", "Canton")
    # The menu opens, filtered, a few frames after the text arrives: wait for its entry
    # (pressing the arrow key before that highlights nothing, and Enter then picks nothing).
    console.page.get_by_role("button", name="Cantonese (yue)").first.wait_for()
    # ... and for the list to be filtered: the unfiltered list starts with Abron.
    expect(console.page.get_by_role("button", name="Abron (abr)")).to_have_count(0)
    # To the focused field, as a keyboard does: a locator's press() focuses its element
    # again first, and a focus the menu gains anew shows it unfiltered ("Abron" was then
    # highlighted once, in a full run).
    console.page.keyboard.press("ArrowDown")  # highlights the first language found
    expect(search).to_have_value("Cantonese (yue)")  # the field shows what Enter will pick
    console.page.keyboard.press("Enter")
    console.wait_name("notice", "Ana Reyes speaks Spanish, English, Cantonese.")
    assert _languages_of(console_bank, "Ana Reyes") == ["es", "en", "yue"]
    console.by_id(f"languages-{ana}-yue").wait_for()
    console.shot("console-11-caller-languages")

    # A chip that does nothing when tapped is drawn disabled; its delete button is not.
    remove = console.by_id(f"languages-{ana}-en").get_by_role("button", name="Remove English")
    remove.click(force=True)
    console.wait_name("notice", "Ana Reyes speaks Spanish, Cantonese.")
    assert _languages_of(console_bank, "Ana Reyes") == ["es", "yue"]
