"""The caller app in each of its five UI languages, as a browser set to that language
first opens it at 360×740: My list and the call screen speak the language (to a screen
reader too), mirror for Arabic, and every control stays named and at least 48 px (longer
Vietnamese or Spanish labels included). Their screenshots record each language."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from app.services.i18n import CATALOGUE_DIR
from tests.support.accessibility_tree import problems
from tests.support.browser import PHONE, hermetic_page, open_my_list
from tests.support.running_banks import ALL_DAY, PhoneBankServer, mounted_bank

pytestmark = pytest.mark.browser

BROWSERS = {"en": "en-US", "es": "es-MX", "zh-Hant": "zh-TW", "vi": "vi-VN", "ar": "ar-EG"}


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PhoneBankServer]:
    with mounted_bank(tmp_path_factory.mktemp("languages") / "data", calling_window=ALL_DAY) as b:
        yield b


def words(language: str) -> dict[str, str]:
    return dict(json.loads((CATALOGUE_DIR / f"{language}.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("language", list(BROWSERS))
def test_my_list_and_the_call_screen_in_the_browsers_language(
    browser: Any, bank: PhoneBankServer, request: pytest.FixtureRequest, language: str
) -> None:
    said = words(language)
    with hermetic_page(browser, request, PHONE, "lang-FAILED", locale=BROWSERS[language]) as page:
        phone = open_my_list(page, bank)
        page.get_by_role("textbox", name=said["list.search"]).wait_for()
        # The page's language is the one a screen reader picks its voice by (it was the
        # default en-US whatever the caller's language).
        spoken = page.evaluate("document.documentElement.lang")
        on_list, _ = problems(page)
        phone.shot(f"lang-{language}-list")
        phone.tap_id("household-hh-garcia")
        phone.by_id("script-panel").wait_for(state="attached")
        page.get_by_role("heading", name=said["call.outcome"]).wait_for()
        on_call, _ = problems(page)
        back = phone.by_id("call-back").bounding_box()
        phone.shot(f"lang-{language}-call")
    assert spoken == language
    assert on_list == [] and on_call == [], (on_list, on_call)
    # The whole layout mirrors in Arabic: the way back is on the right.
    assert back is not None
    assert (back["x"] > PHONE["width"] / 2) == (language == "ar"), back
