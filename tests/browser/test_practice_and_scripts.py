"""Practice mode in a real browser: a sample family, clearly marked, nothing synced; scripts
in Arabic (right to left) and Chinese drawn with the shipped fonts, a need ticked on the call
bringing up its section; and tabs with no tooltip left over."""

from __future__ import annotations

import time

import pytest

from tests.support.browser import CallerAppProcess, FletPage
from tests.support.running_banks import PhoneBankServer

pytestmark = pytest.mark.browser


def test_practice_call_with_arabic_and_chinese_scripts(
    caller_app: CallerAppProcess, phone_bank: PhoneBankServer, caller_log: None, phone: FletPage
) -> None:
    events_before = len(phone_bank.rows("SELECT event_id FROM events"))
    fetched: list[str] = []
    phone.page.on("request", lambda request: fetched.append(request.url))
    phone.open(caller_app.url + "/")
    phone.tap("Try a practice call first")
    phone.by_id("practice-banner").wait_for(state="attached")

    # The tabs show their labels: none has a tooltip to cover the screen after a tap.
    stats = phone.page.get_by_role("tab", name="My stats").bounding_box()
    phone.page.mouse.move(stats["x"] + stats["width"] / 2, stats["y"] + stats["height"] / 2)
    phone.page.wait_for_timeout(1000)  # Flutter shows a tab's tooltip at once on hover
    assert phone.text("My stats").count() == 0

    phone.tap_id("household-practice-household")
    phone.by_id("script-panel").wait_for(state="attached")

    phone.tap_id("script-language-ar")
    phone.reveal(phone.text("التحية"))  # "Greeting": the Arabic script is on screen
    # ... drawn in its script's font, not as boxes: practice mode loads the fonts it needs.
    deadline = time.monotonic() + 15
    while not any("NotoSansArabic" in url for url in fetched):
        assert time.monotonic() < deadline, "the Arabic font was never downloaded"
        phone.page.wait_for_timeout(200)
    phone.page.mouse.wheel(0, 400)
    phone.shot("12-script-arabic-rtl")

    # A Spanish family has a script of its own: switching away is no fallback.
    assert phone.text("No script in the family's language").count() == 0

    phone.top()
    phone.tap_id("script-language-zh-Hant")
    phone.reveal(phone.text("開場白"))  # "Opening"
    phone.page.mouse.wheel(0, 400)
    phone.shot("13-script-chinese")

    # A need found on the call brings up its section at once, in the script's language.
    newcomer = phone.by_id("script-panel").get_by_text("歡迎您來到奧克蘭", exact=False)
    assert newcomer.count() == 0  # "Welcome to Oakland": the family is not tagged newcomer
    phone.tap_id("need-newcomer")
    phone.top()
    phone.reveal(newcomer)

    phone.tap("They called back")  # inbound: the family got in touch first
    phone.by_id("outcome-saved").wait_for(state="attached")
    phone.reveal(phone.text("Saved: Reached — follow-up needed"))
    phone.reveal(phone.text("Practice: nothing was kept or sent."))  # not "it will sync"
    phone.page.wait_for_timeout(300)
    assert "pending" not in phone.label("sync-badge")  # practice has no outbox to send
    assert len(phone_bank.rows("SELECT event_id FROM events")) == events_before
