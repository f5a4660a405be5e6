"""Each main screen of the caller app at 360×740, through Chromium's accessibility tree:
every control a finger or a screen reader can use is named and at least 48×48 px, and the
screen has a heading of its own (beyond the app's name).

How it is measured: ``tests/support/accessibility_tree.py``. A control cut by the edge of
the screen or of a scrolled area (a chip half scrolled out of its row, a row under the
tabs) is measured whole on screen elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.accessibility_tree import problems
from tests.support.browser import PHONE, FletPage, hermetic_page, open_my_list
from tests.support.phone_bank import invite
from tests.support.running_banks import ALL_DAY, PhoneBankServer, mounted_bank

pytestmark = pytest.mark.browser

TABS = {"list": 0, "follow_ups": 1, "stats": 2, "settings": 3}
APP_TITLE = "Phonebank"


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PhoneBankServer]:
    with mounted_bank(tmp_path_factory.mktemp("a11y") / "data", calling_window=ALL_DAY) as running:
        yield running


@pytest.fixture(scope="module")
def phone(
    browser: Any, bank: PhoneBankServer, request: pytest.FixtureRequest
) -> Iterator[FletPage]:
    """One joined phone for every screen of the module."""
    with hermetic_page(browser, request, PHONE, "a11y-FAILED") as page:
        code = invite(bank.store, bank.bank.caller)
        phone = FletPage(page).open(f"{bank.url}/app/?invite={code}")
        phone.by_id("household-hh-garcia").wait_for(state="attached")
        yield phone


def go(phone: FletPage, screen: str) -> None:
    """From wherever the last test left the phone to ``screen``, once it is drawn."""
    if phone.by_id("call-back").count():
        phone.tap_id("call-back")
    tabs = phone.page.get_by_role("tab")
    tabs.first.wait_for()
    if screen == "call":
        phone.tap_id("household-hh-garcia")
        phone.by_id("script-panel").wait_for(state="attached")
        return
    tab = tabs.nth(TABS[screen])
    tab.click()
    phone.page.wait_for_function(
        "i => document.querySelectorAll('[role=tab]')[i]?.getAttribute('aria-selected') === 'true'",
        arg=TABS[screen],
    )
    # The screen's own heading: a title (level 2), or on My list a group of families (3).
    wanted = phone.page.get_by_role("heading", level=3 if screen == "list" else 2)
    wanted.first.wait_for(state="attached")


@pytest.mark.parametrize("screen", ["list", "call", "follow_ups", "stats", "settings"])
def test_every_control_is_named_and_big_enough_and_the_screen_has_a_heading(
    phone: FletPage, screen: str
) -> None:
    go(phone, screen)
    phone.page.wait_for_timeout(300)  # the first frame after the screen's data: not a sync
    found, headings = problems(phone.page)
    phone.shot(f"a11y-{screen}")
    assert found == [], f"{screen}: {found}"
    assert [h for h in headings if not h.endswith(APP_TITLE)], f"{screen}: no heading {headings}"


LARGE_TEXT = """document.addEventListener('DOMContentLoaded', () => {
    document.documentElement.style.fontSize = '200%';
});"""
"""The browser's (and on a phone the system's) text size: Flutter's web engine scales text
by the page's root font size, as Chrome's font-size setting and Android's text size set it."""


def test_at_200_percent_text_the_header_keeps_the_name_whole_and_leaves_the_list_room(
    browser: Any, bank: PhoneBankServer, request: pytest.FixtureRequest
) -> None:
    with hermetic_page(browser, request, PHONE, "a11y-large-text-FAILED") as page:
        page.add_init_script(LARGE_TEXT)
        phone = open_my_list(page, bank)
        title = page.get_by_text(APP_TITLE, exact=True)
        badge = phone.by_id("sync-badge")
        title_box, badge_box = title.bounding_box(), badge.bounding_box()
        phone.shot("a11y-list-200-percent-text")
    assert title_box is not None and badge_box is not None
    # One line of a 20 px title at 200 % is about 47 px; "Pho/neb/ank" was three lines.
    assert title_box["height"] < 2 * 47, title_box
    assert max(title_box["y"] + title_box["height"], badge_box["y"] + badge_box["height"]) <= (
        PHONE["height"] / 4
    ), (title_box, badge_box)


def test_at_200_percent_text_the_call_screen_keeps_the_family_and_what_happened_on_screen(
    browser: Any, bank: PhoneBankServer, request: pytest.FixtureRequest
) -> None:
    """The outcome buttons once took the whole screen below the header at 200 %, and a
    half-row broke "Left voicemail" mid-word: now the dock takes at most its share and
    scrolls, and a button as wide as its label goes to a row of its own."""
    with hermetic_page(browser, request, PHONE, "a11y-large-text-call-FAILED") as page:
        page.add_init_script(LARGE_TEXT)
        phone = open_my_list(page, bank)
        phone.tap_id("household-hh-garcia")
        phone.by_id("script-panel").wait_for(state="attached")
        family = page.get_by_text("Guardians: Pat García", exact=True).bounding_box()
        asked = page.get_by_role("heading", name="What happened?").bounding_box()
        first = phone.button("No answer").bounding_box()
        voicemail = phone.reveal(phone.button("Left voicemail")).bounding_box()
        phone.shot("a11y-call-200-percent-text")
    assert family is not None and asked is not None and first is not None
    assert family["y"] + family["height"] <= asked["y"], (family, asked)  # the family stays
    assert first["y"] < PHONE["height"], first  # "What happened?" needs no scroll
    # One line of a 17 px bold label at 200 % is about 48 px: a broken word makes two.
    assert voicemail is not None and voicemail["height"] < 2 * 48 + 2 * 14, voicemail
