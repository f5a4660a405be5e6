"""Practice mode in a real browser: a sample family, clearly marked, nothing synced; and
scripts in Arabic (right to left) and Chinese drawn with the shipped fonts."""

from __future__ import annotations

import pytest

from tests.support.browser import CallerAppProcess, FletPage
from tests.support.running_banks import PhoneBankServer

pytestmark = pytest.mark.browser


def test_practice_call_with_arabic_and_chinese_scripts(
    caller_app: CallerAppProcess, phone_bank: PhoneBankServer, caller_log: None, phone: FletPage
) -> None:
    events_before = len(phone_bank.rows("SELECT event_id FROM events"))
    phone.open(caller_app.url + "/")
    phone.tap("Try a practice call first")
    phone.by_id("practice-banner").wait_for(state="attached")
    phone.tap_id("household-practice-household")
    phone.by_id("script-panel").wait_for(state="attached")

    phone.tap_id("script-language-ar")
    phone.reveal(phone.text("التحية"))  # "Greeting": the Arabic script is on screen
    phone.page.mouse.wheel(0, 400)
    phone.shot("12-script-arabic-rtl")

    phone.top()
    phone.tap_id("script-language-zh-Hant")
    phone.reveal(phone.text("開場白"))  # "Opening"
    phone.page.mouse.wheel(0, 400)
    phone.shot("13-script-chinese")

    phone.tap("They called back")  # inbound: the family got in touch first
    phone.by_id("outcome-saved").wait_for(state="attached")
    phone.reveal(phone.text("Saved: Reached — follow-up needed"))
    phone.page.wait_for_timeout(300)
    assert "pending" not in phone.label("sync-badge")  # practice has no outbox to send
    assert len(phone_bank.rows("SELECT event_id FROM events")) == events_before
