"""A caller without a touch screen or a mouse (a keyboard, a switch, a screen reader's
keys) opens a family and records what happened with Tab and Enter alone, in the
server-driven app at 360×740."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.support.browser import PHONE, hermetic_page, open_my_list
from tests.support.running_banks import ALL_DAY, PhoneBankServer, mounted_bank

pytestmark = pytest.mark.browser

FOCUSED = """() => {
    const node = document.activeElement;
    if (!node) return '';
    const name = node.getAttribute('aria-label') || node.textContent || '';
    return node.getAttribute('flt-semantics-identifier') || name.trim().split('\\n')[0];
}"""
"""The focused node's test id, else its name."""
MOVED = """before => document.activeElement !== before"""


@pytest.fixture
def bank(tmp_path: Any) -> Iterator[PhoneBankServer]:
    with mounted_bank(tmp_path / "data", calling_window=ALL_DAY) as running:
        yield running


def tab_to(page: Any, name: str, *, presses: int) -> list[str]:
    """Press Tab until the focus is on ``name`` (a test id or a name); those passed.

    Flutter moves the focus a moment after the key when it leaves a text box (the key goes
    through the framework), so each press waits for the focus to move, a second at most."""
    passed: list[str] = []
    for _ in range(presses):
        before = page.evaluate_handle("document.activeElement")
        page.keyboard.press("Tab")
        with contextlib.suppress(PlaywrightError):  # it stayed: the next press moves it on
            page.wait_for_function(MOVED, arg=before, timeout=1_000)
        passed.append(page.evaluate(FOCUSED))
        if passed[-1] == name:
            return passed
    raise AssertionError(f"{name!r} not reached in {presses} presses of Tab: {passed}")


def test_a_family_is_opened_and_its_outcome_recorded_with_the_keyboard_alone(
    browser: Any, bank: PhoneBankServer, request: pytest.FixtureRequest
) -> None:
    with hermetic_page(browser, request, PHONE, "keyboard-FAILED") as page:
        phone = open_my_list(page, bank)
        tab_to(page, "household-hh-garcia", presses=40)
        page.keyboard.press("Enter")
        phone.by_id("script-panel").wait_for(state="attached")
        tab_to(page, "No answer", presses=30)
        page.keyboard.press("Enter")
        phone.wait_text("Saved: No answer")
        phone.shot("keyboard-outcome-saved")
    (saved,) = bank.rows_once_sent(
        "SELECT household_id, disposition FROM events WHERE kind = 'outcome_recorded'", 1
    )
    assert saved == {"household_id": "hh-garcia", "disposition": "no_answer"}
