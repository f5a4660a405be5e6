"""A caller marks "Do not text" on the call screen of the server-driven caller app at /app/:
one tap, a confirm, and the text buttons lock at once with the reason shown; the server has
the family's opt-out after the phone's next sync (issue 14, point 1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.browser import FletPage
from tests.support.running_banks import ALL_DAY, PhoneBankServer, mounted_bank

pytestmark = pytest.mark.browser

LOCKED = """(identifier) => {
    const node = document.querySelector(`[flt-semantics-identifier='${identifier}']`);
    if (!node) return null;
    const disabled = (n) => n.getAttribute('aria-disabled') === 'true' || n.disabled === true;
    return disabled(node) || [...node.querySelectorAll('*')].some(disabled);
}"""
"""Whether the button under ``identifier`` is drawn disabled (null: not on screen)."""


@pytest.fixture
def running(tmp_path: Path) -> Iterator[PhoneBankServer]:
    with mounted_bank(tmp_path / "data", calling_window=ALL_DAY) as bank:
        yield bank


def text_button_locked(phone: FletPage) -> bool | None:
    button = phone.by_id("text-pickup-reminder")
    phone.reveal(button)
    result: bool | None = phone.page.evaluate(LOCKED, "text-pickup-reminder")
    return result


def test_do_not_text_locks_the_text_buttons_at_once_and_reaches_the_server(
    running: PhoneBankServer, phone: FletPage
) -> None:
    phone.open(f"{running.url}/app/?invite={running.invite()}")
    phone.tap_id("household-hh-smith")
    phone.by_id("script-panel").wait_for(state="attached")
    assert text_button_locked(phone) is False

    phone.tap_id("opt-out-text")
    phone.reveal(phone.by_id("opt-out-text-confirm"))
    phone.shot("issue14-do-not-text-confirm-360")
    phone.tap_id("opt-out-text-confirm")
    phone.reveal(phone.by_id("text-locked"))
    phone.wait_label("text-locked", "This family asked not to get texts.")
    assert text_button_locked(phone) is True
    assert phone.by_id("opt-out-text").count() == 0  # asked once: nothing more to mark

    rows = running.rows_once_sent(
        "SELECT id FROM households WHERE id = 'hh-smith' AND text_opt_out = 1", 1
    )
    assert rows == [{"id": "hh-smith"}]
    events = running.rows("SELECT kind, payload FROM events WHERE kind = 'opt_out_recorded'")
    assert len(events) == 1 and '"channel":"text"' in events[0]["payload"]
    # Calls stay open: the family only refused texts.
    assert not running.rows("SELECT id FROM households WHERE do_not_call = 1 AND id = 'hh-smith'")
