"""The search on My list narrows the list to what the caller typed, after the screen has
just moved under it: the sync panel opened and closed above the list, which scrolled.

This is where issue 15's search once held its text and never narrowed the list: a click
on the box landed on a filter chip or a family that a scroll had just moved under it, and
the letters filled a box Flutter had not focused. The box is now focused through its
accessibility node (``FletPage.type_into``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.browser import PHONE, hermetic_page, open_my_list
from tests.support.running_banks import ALL_DAY, PhoneBankServer, mounted_bank

pytestmark = pytest.mark.browser

SEARCH = "Search by name, language or need"


@pytest.fixture
def bank(tmp_path: Any) -> Iterator[PhoneBankServer]:
    with mounted_bank(tmp_path / "data", calling_window=ALL_DAY) as running:
        yield running


def test_search_narrows_the_list_each_time_after_the_screen_moved(
    browser: Any, bank: PhoneBankServer, request: pytest.FixtureRequest
) -> None:
    with hermetic_page(browser, request, PHONE, "search-FAILED") as page:
        phone = open_my_list(page, bank)
        for family in ("nguyen", "brown", "chen", "okafor"):
            phone.tap_id("sync-badge")
            phone.tap("Close")
            phone.button("Sync now").wait_for(state="detached")
            phone.type_into(SEARCH, family)
            phone.by_id("household-hh-garcia").wait_for(state="detached")
            # Only the family typed: not a filter chip's families, not another screen.
            rows = page.locator("[flt-semantics-identifier^='household-hh-']")
            assert [
                rows.nth(i).get_attribute("flt-semantics-identifier") for i in range(rows.count())
            ] == [f"household-hh-{family}"]
            phone.type_into(SEARCH, "")
            phone.by_id("household-hh-garcia").wait_for(state="attached")
