"""A lost device in the console (issue 14 point 2), in a real browser: "Lost device — wipe"
asks to confirm, orders the wipe (audited), and the caller's card follows the wipe from
ordered to delivered to done, with the unsent work the phone reported losing."""

from __future__ import annotations

import httpx
import pytest

from tests.support.browser import ConsolePage
from tests.support.phone_bank import SUPERVISOR
from tests.support.running_banks import ConsoleBank

pytestmark = pytest.mark.browser


def test_a_lost_phone_is_wiped_after_a_confirm_and_its_card_says_what_was_lost(
    console: ConsolePage, console_bank: ConsoleBank
) -> None:
    ana = console_bank.ana
    name = "Ana Reyes's phone"
    console.open(console_bank.console_url)
    console.sign_in(*SUPERVISOR)
    console.go("callers")

    console.tap(f"Lost device — wipe {name}")
    console.button(f"Wipe {name}").wait_for()
    console.shot("console-device-wipe-confirm")
    with console_bank.store.reading() as db:  # asking changed nothing yet
        assert db.execute(
            "SELECT wipe_ordered_at FROM devices WHERE id = ?", [ana.device_id]
        ).fetchone() == (None,)
    console.tap(f"Wipe {name}")
    console.wait_label(f"device-{ana.device_id}", "wipe ordered .*waiting for its next contact")

    url = console_bank.server.url
    pull = httpx.post(
        f"{url}/api/v1/sync/pull", json={"device_id": ana.device_id}, headers=ana.headers
    )
    assert (pull.status_code, pull.json()["error"]) == (410, "device_wiped")
    report = {"device_id": ana.device_id, "reason": "wipe", "unsent_events": 2, "highest_seq": 2}
    sent = httpx.post(f"{url}/api/v1/sync/erased", json=report, headers=ana.headers)
    assert sent.status_code == 204

    console.go("dashboard")
    console.go("callers")
    console.wait_label(f"device-{ana.device_id}", "wipe done .*2 unsent events lost")
    console.shot("console-device-wiped")
    with console_bank.store.reading() as db:
        actions = [row[0] for row in db.execute("SELECT action FROM audit_log").fetchall()]
    assert "device.wipe" in actions and "device.revoke" not in actions
