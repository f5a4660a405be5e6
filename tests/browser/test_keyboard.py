"""A caller without a touch screen or a mouse (a keyboard, a switch, a screen reader's
keys) opens a family and records what happened with Tab and Enter alone, in the
server-driven app at 360×740."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.browser import PHONE, FletPage, hermetic_page
from tests.support.phone_bank import invite
from tests.support.running_banks import ALL_DAY, PhoneBankServer, mounted_bank

pytestmark = pytest.mark.browser

MOVED = """() => {
    const node = document.activeElement;
    if (!node || node === window.lastFocused) return null;
    window.lastFocused = node;
    const name = node.getAttribute('aria-label') || node.textContent || '';
    return node.getAttribute('flt-semantics-identifier') || name.trim().split('\\n')[0];
}"""
"""The focused node's test id, else its name; null until the focus has moved. Flutter moves
it a moment after the key when it leaves a text box: the key goes through the framework."""


@pytest.fixture
def bank(tmp_path: Any) -> Iterator[PhoneBankServer]:
    with mounted_bank(tmp_path / "data", calling_window=ALL_DAY) as running:
        yield running


def tab_to(page: Any, name: str, *, presses: int) -> list[str]:
    """Press Tab until the focus is on ``name`` (a test id or a name); those passed."""
    passed: list[str] = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        passed.append(page.wait_for_function(MOVED).json_value())
        if passed[-1] == name:
            return passed
    raise AssertionError(f"{name!r} not reached in {presses} presses of Tab: {passed}")


def test_a_family_is_opened_and_its_outcome_recorded_with_the_keyboard_alone(
    browser: Any, bank: PhoneBankServer, request: pytest.FixtureRequest
) -> None:
    with hermetic_page(browser, request, PHONE, "keyboard-FAILED") as page:
        phone = FletPage(page).open(
            f"{bank.url}/app/?invite={invite(bank.store, bank.bank.caller)}"
        )
        phone.by_id("household-hh-garcia").wait_for(state="attached")
        on_the_way = tab_to(page, "household-hh-garcia", presses=40)
        assert "Search by name, language or need" in on_the_way  # the list's own controls
        page.keyboard.press("Enter")
        phone.by_id("script-panel").wait_for(state="attached")
        on_the_way = tab_to(page, "No answer", presses=30)
        assert on_the_way[0] == "call-back"  # the call screen starts where it is read
        page.keyboard.press("Enter")
        phone.wait_text("Saved: No answer")
        phone.shot("keyboard-outcome-saved")
    (saved,) = bank.rows_once_sent(
        "SELECT household_id, disposition FROM events WHERE kind = 'outcome_recorded'", 1
    )
    assert saved == {"household_id": "hh-garcia", "disposition": "no_answer"}
