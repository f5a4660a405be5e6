"""Callback reminders in the offline app (issue 15): the browser is asked once for
permission to notify, after the first callback is scheduled (never at start), and a callback
that falls due while the app is open brings a system notification, once.

The page's Notification API is watched by an init script: headless Chromium shows no
notification a test could read, so the test records what the app asked the browser to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from app.core.clock import utcnow
from tests.support.browser import FletPage
from tests.support.offline_app import Browser, Server, first_visit, offline_app_server
from tests.support.server_rows import add_follow_up

pytestmark = pytest.mark.browser

WATCH_NOTIFICATIONS = """
globalThis.__reminders = { asked: 0, shown: [] };
const ask = Notification.requestPermission.bind(Notification);
Notification.requestPermission = (...args) => {
  globalThis.__reminders.asked += 1;
  return ask(...args);
};
const show = ServiceWorkerRegistration.prototype.showNotification;
ServiceWorkerRegistration.prototype.showNotification = function (title, options) {
  globalThis.__reminders.shown.push({ title, body: options?.body ?? "" });
  return show.call(this, title, options).catch(() => undefined);
};
"""


@pytest.fixture
def server(web_app: Path, tmp_path: Path) -> Iterator[Server]:
    with offline_app_server(web_app, tmp_path) as running:
        yield running


def reminders(phone: FletPage) -> dict[str, Any]:
    return dict(phone.page.evaluate("globalThis.__reminders"))


def call_back_in_an_hour(phone: FletPage, key: str) -> None:
    phone.top()
    phone.tap_id(f"household-hh-{key}")
    phone.by_id("script-panel").wait_for(state="attached")
    phone.tap("More outcomes")
    phone.tap("Call back later")
    phone.tap_id("callback-in_1_hour")
    phone.by_id("outcome-saved").wait_for(state="attached")
    phone.tap_id("call-back")
    phone.by_id("group-new").wait_for(state="attached")


def sync_now(phone: FletPage) -> None:
    phone.tap_id("sync-badge")
    phone.tap("Sync now")
    phone.wait_label("sync-badge", r"Synced \d")
    phone.tap_id("sync-badge")


def test_permission_is_asked_once_after_a_callback_and_a_due_one_notifies_once(
    server: Server, tmp_path: Path, browser: Any
) -> None:
    chromium = Browser(browser.browser_type, tmp_path / "profile")
    phone = first_visit(chromium, server, init_script=WATCH_NOTIFICATIONS)
    assert reminders(phone) == {"asked": 0, "shown": []}  # never at start

    call_back_in_an_hour(phone, "smith")
    phone.page.wait_for_function("globalThis.__reminders.asked === 1")
    chromium.context.grant_permissions(["notifications"], origin=server.url)

    # A supervisor gives this caller a callback that is already due: the next sync brings
    # it, and the app says so at once.
    with server.store.transaction() as db:
        due_at = utcnow() - timedelta(minutes=10)
        add_follow_up(db, server.bank.campaign.id, "hh-brown", server.bank.caller.id, due_at)
    sync_now(phone)
    phone.page.wait_for_function("globalThis.__reminders.shown.length > 0")
    phone.wait_label("callbacks-due", "Callbacks due now: 1")

    # Another callback, another sync: no second question, no second notification.
    call_back_in_an_hour(phone, "okafor")
    sync_now(phone)
    assert reminders(phone) == {
        "asked": 1,
        "shown": [{"title": "Callback due", "body": "Time to call back: Brown family"}],
    }
    chromium.close()
