"""The caller app in Arabic, in a real browser set to Arabic: it starts in Arabic by itself,
the whole layout is mirrored (tabs, back button, rows), and a family whose phone has an
extension reads right: the number, its extension and a Latin name each in their own
direction inside the Arabic text (bidi isolates), never "15105550111+ · عبد الله;ext=12"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.core.bidi import LRI, PDI, strip_isolates
from app.core.models import Household, Member, PhoneNumber
from sync_server.db import Store
from tests.support.browser import PHONE, CallerAppProcess, FletPage, hermetic_page
from tests.support.families import seed_bank
from tests.support.phone_bank import invite
from tests.support.server import ServerProcess
from tests.support.server_rows import seed_households

pytestmark = pytest.mark.browser

EXTENSION = "+15105550111;ext=12"
ADAMS = Household(
    id="hh-adams",
    name="Andre Adams",
    language="ar",
    tags=["iep"],
    phones=[
        PhoneNumber(number=EXTENSION, label="عبد الله"),
        PhoneNumber(number="+15105550112", label="mobile"),
    ],
    members=[Member(name="Andre Adams", role="guardian"), Member(name="سارة", role="student")],
    timezone="America/Los_Angeles",
)


@pytest.fixture(scope="module")
def arabic_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The eight families and Andre Adams behind a server, and the caller app for it:
    (the app's URL, a fresh invite code)."""
    folder = tmp_path_factory.mktemp("arabic")
    store = Store(folder / "phonebank.sqlite")
    bank = seed_bank(store)
    seed_households(store, bank.campaign.id, [ADAMS], bank.caller.id)
    server = ServerProcess(folder / "phonebank.sqlite", api_only=True).start()
    app = CallerAppProcess(server.url, folder / "caller-data").start()
    try:
        yield app.url, invite(store, bank.caller)
    finally:
        app.stop()
        server.stop()
        store.close()


@pytest.fixture
def arabic_phone(browser: Any, request: pytest.FixtureRequest) -> Iterator[FletPage]:
    with hermetic_page(browser, request, PHONE, "FAILED", locale="ar-EG") as page:
        yield FletPage(page)


def centre_x(locator: Any) -> float:
    box = locator.bounding_box()
    assert box is not None
    return float(box["x"] + box["width"] / 2)


def test_arabic_mirrors_the_layout_and_isolates_a_phone_extension(
    arabic_app: tuple[str, str], arabic_phone: FletPage
) -> None:
    url, code = arabic_app
    phone = arabic_phone
    phone.open(f"{url}/?invite={code}")  # the invite link joins at once
    phone.by_id("household-hh-adams").wait_for()

    # Arabic from the browser's language, with nobody choosing it.
    my_list = phone.page.get_by_role("tab", name="قائمتي")
    settings = phone.page.get_by_role("tab", name="الإعدادات")
    # Mirrored: the first tab ("My list") is on the right, Settings on the left.
    assert centre_x(my_list) > centre_x(settings)
    # The row says the family's language and need in Arabic words, not codes.
    row = strip_isolates(phone.by_id("household-hh-adams").inner_text())
    assert "يتحدث العربية" in row and "خطة تعليم فردية (IEP)" in row
    assert "iep" not in row and "AR" not in row
    phone.shot("30-arabic-list")

    phone.tap_id("household-hh-adams")
    phone.by_id("script-panel").wait_for(state="attached")
    back = phone.by_id("call-back")
    assert centre_x(back) > PHONE["width"] / 2  # "back" sits at the start: the right

    name = phone.label(f"phone-{EXTENSION}")
    # The number reads left to right as one unit, then the label in its own direction.
    assert f"{LRI}{EXTENSION}{PDI}" in name
    assert strip_isolates(name).startswith(f"{EXTENSION} · عبد الله")
    other = phone.label("phone-+15105550112")
    assert strip_isolates(other).startswith("+15105550112 · جوال")  # "mobile", in Arabic
    phone.shot("31-arabic-call-screen-extension")
    phone.page.mouse.wheel(0, 500)
    phone.shot("32-arabic-call-screen-script")

    # An English script inside the Arabic UI keeps its own direction, line by line.
    phone.top()
    phone.tap_id("script-language-en")
    phone.reveal(phone.by_id("script-panel").get_by_text("Tech check", exact=False).first)
    script = phone.by_id("script-panel").inner_text()
    assert f"{LRI}Tech check" in script
    phone.page.mouse.wheel(0, 500)
    phone.shot("33-arabic-ui-english-script")

    # Back to English in Settings: the layout is no longer mirrored.
    phone.tap_id("call-back")
    phone.page.get_by_role("tab", name="الإعدادات").click()
    phone.tap_id("ui-language-en")
    phone.wait_text("App language")
    my_list = phone.page.get_by_role("tab", name="My list")
    assert centre_x(my_list) < centre_x(phone.page.get_by_role("tab", name="Settings"))
    # ... and a screen reader's voice follows: the page's language is English again.
    phone.page.wait_for_function("document.documentElement.lang === 'en'")
