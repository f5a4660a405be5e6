"""Caller-ID hiding in the server-driven caller app: an Android or desktop browser dials the
campaign's code first and says so; an iPhone, which refuses a ``tel:`` link with ``*`` in it,
dials the plain number and tells the caller how to hide it in the phone's settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import PHONE, FletPage, hermetic_page
from tests.support.running_banks import PhoneBankServer, mounted_bank

pytestmark = pytest.mark.browser

IPHONE = "Object.defineProperty(Navigator.prototype, 'platform', {get: () => 'iPhone'})"
"""What Flutter reads to tell an iPhone (Chromium stands in for Safari)."""


@pytest.fixture
def hiding(tmp_path: Path) -> Iterator[PhoneBankServer]:
    """The demo bank with a campaign that hides callers' numbers with *67."""
    with mounted_bank(tmp_path / "data", caller_id_prefix="*67") as running:
        yield running


TOUCH = """() => {
    const placeholder = document.querySelector('flt-semantics-placeholder');
    const box = placeholder.getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    for (const kind of ['pointerdown', 'pointerup', 'touchstart', 'touchend', 'click'])
        placeholder.dispatchEvent(new PointerEvent(kind, {bubbles: true, clientX: x, clientY: y}));
}"""
"""The events of a tap in the middle of "Enable accessibility": what Flutter's mobile semantics
wait for (a bare click, which the desktop ones take, does nothing there)."""


def open_as_iphone(page: Any, url: str) -> FletPage:
    page.add_init_script(IPHONE)
    page.goto(url)
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=30_000)
    page.evaluate(TOUCH)
    page.wait_for_selector("flt-semantics-host flt-semantics", state="attached", timeout=30_000)
    return FletPage(page)


def caller_id_note(phone: FletPage) -> str:
    phone.by_id("household-hh-garcia").wait_for(state="attached")
    phone.tap_id("household-hh-garcia")
    phone.reveal(phone.by_id("caller-id-note"))
    return phone.label("caller-id-note")


def test_a_phone_that_dials_codes_hides_the_number(
    hiding: PhoneBankServer, phone: FletPage
) -> None:
    phone.open(f"{hiding.url}/app/?invite={hiding.invite()}")
    note = caller_id_note(phone)
    assert note == "Your number stays hidden: the call dials *67 first."


def test_an_iphone_is_told_how_to_hide_its_number(
    hiding: PhoneBankServer, browser: Any, request: pytest.FixtureRequest
) -> None:
    with hermetic_page(browser, request, PHONE, "FAILED") as page:
        iphone = open_as_iphone(page, f"{hiding.url}/app/?invite={hiding.invite()}")
        note = caller_id_note(iphone)
        assert note.startswith("The family will see your number: iPhones do not dial *67.")
