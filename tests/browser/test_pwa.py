"""The offline caller app (the PWA the server offers at /) in Chromium with a persistent
profile: first visit online, then reloads, work and a browser restart with no network.

Python runs in the browser (Pyodide), the device database lives in IndexedDB, and the
service worker serves every file: after the first visit nothing needs the network but the
sync itself. Every request the browser makes is recorded; none may leave the origin.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.support.browser import PWA_START, FletPage
from tests.support.offline_app import Browser, Server, first_visit, offline_app_server

pytestmark = pytest.mark.browser

SCRIPT_FONTS = ["/fonts/NotoSansTC-Regular.subset.otf", "/fonts/NotoSansArabic-Regular.subset.ttf"]


@pytest.fixture
def server(web_app: Path, tmp_path: Path) -> Iterator[Server]:
    with offline_app_server(web_app, tmp_path) as running:
        yield running


def wait_for_snapshot(phone: FletPage) -> None:
    """Until the Python worker has stored its memory snapshot (made at a first start)."""
    phone.page.wait_for_function(  # stored last
        "caches.open('python-snapshot').then(c => c.keys()).then(keys => keys.some("
        "  request => request.url.endsWith('/runtime')))",
        timeout=PWA_START,
        polling=250,
    )


def python_start(chromium: Browser) -> str:
    """How Python started in the launch: from the snapshot, or afresh (making one or not)."""
    if any("python restored from the snapshot" in line for line in chromium.console):
        return "restored"
    if any("snapshot made" in line for line in chromium.console):
        return "made a snapshot"
    return "afresh"


def build_label(phone: FletPage) -> str:
    return str(phone.page.evaluate("document.querySelector('meta[name=phonebank-build]').content"))


def wait_for_new_version(phone: FletPage) -> None:
    """Until the new service worker has installed and waits for the next launch."""
    state = "navigator.serviceWorker.getRegistration('/').then(r => r?.waiting?.state)"
    deadline = time.monotonic() + PWA_START / 1000
    while phone.page.evaluate(state) != "installed":
        assert time.monotonic() < deadline, "the new version was not installed"
        phone.page.wait_for_timeout(500)


def record(phone: FletPage, key: str, outcome: str) -> None:
    phone.top()
    phone.tap_id(f"household-hh-{key}")
    phone.by_id("script-panel").wait_for(state="attached")
    phone.tap(outcome)
    phone.by_id("outcome-saved").wait_for(state="attached")
    phone.tap_id("call-back")
    phone.by_id("group-new").wait_for(state="attached")


def test_offline_first_visit_reload_restart_and_sync(
    server: Server, tmp_path: Path, browser: Any
) -> None:
    # Not the package's shared browser itself: this test needs a profile of its own.
    chromium = Browser(browser.browser_type, tmp_path / "profile")

    phone = first_visit(chromium, server)
    # Chinese and Arabic households are on the list: their fonts, not precached, were
    # downloaded for them and are kept for offline starts.
    phone.page.wait_for_function(
        f"Promise.all({json.dumps(SCRIPT_FONTS)}.map((p) => caches.match(p)))"
        ".then((found) => found.every(Boolean))",
        timeout=PWA_START,
    )
    wait_for_snapshot(phone)
    assert python_start(chromium) == "made a snapshot"
    phone.shot("pwa-01-first-visit-list")

    # No network: a reload starts the app from the service worker and IndexedDB.
    chromium.context.set_offline(True)
    phone.start_offline_app(f"{server.url}/")
    phone.by_id("household-hh-chen").wait_for(state="attached", timeout=PWA_START)
    assert python_start(chromium) == "restored"
    for key in ("smith", "brown", "okafor"):
        record(phone, key, "No answer")
    phone.wait_label("sync-badge", "Offline · 3 pending")

    # The family's own script, drawn with the shipped fonts, offline.
    phone.top()
    phone.tap_id("household-hh-chen")
    phone.reveal(phone.text("開場白"))  # "Opening"
    phone.shot("pwa-02-offline-script-chinese")
    phone.tap_id("call-back")
    phone.top()
    phone.tap_id("household-hh-haddad")
    phone.reveal(phone.text("التحية"))  # "Greeting"
    phone.shot("pwa-03-offline-script-arabic")
    phone.tap_id("call-back")
    chromium.close()

    # The browser restarts, still offline: the three outcomes are still waiting.
    phone = chromium.launch(offline=True)
    phone.start_offline_app(f"{server.url}/")
    phone.wait_label("sync-badge", "Offline · 3 pending")
    assert python_start(chromium) == "restored"
    phone.shot("pwa-04-restarted-offline-3-pending")
    chromium.close()

    # A new version is deployed. The next launch (online) runs the installed version and
    # fetches the new one in the background; the sync sends the three outcomes.
    server.deploy(label="second-deploy")
    phone = chromium.launch()
    phone.start_offline_app(f"{server.url}/")
    assert build_label(phone) != "second-deploy"
    phone.by_id("sync-badge").wait_for(state="attached", timeout=PWA_START)
    phone.tap_id("sync-badge")
    phone.tap("Sync now")
    phone.wait_label("sync-badge", r"Synced \d")
    phone.shot("pwa-05-back-online-synced")
    wait_for_new_version(phone)
    chromium.close()

    # The launch after that runs the new version, on the same device data.
    phone = chromium.launch()
    phone.start_offline_app(f"{server.url}/")
    phone.page.wait_for_function(
        "document.querySelector('meta[name=phonebank-build]')?.content === 'second-deploy'",
        timeout=PWA_START,
    )
    phone.by_id("household-hh-chen").wait_for(state="attached", timeout=PWA_START)
    # The deploy changed the page, not Python: the snapshot is still the right one (a change
    # to Pyodide, the packages, the app or the worker gives it another key: test_web_build).
    assert python_start(chromium) == "restored"
    assert "pending" not in phone.label("sync-badge")
    phone.shot("pwa-06-new-version-same-device")
    chromium.close()

    outcomes = server.rows(
        "SELECT household_id, disposition FROM events WHERE kind = 'outcome_recorded' ORDER BY seq"
    )
    assert [(row["household_id"], row["disposition"]) for row in outcomes] == [
        ("hh-smith", "no_answer"),
        ("hh-brown", "no_answer"),
        ("hh-okafor", "no_answer"),
    ]
    origin = urlsplit(server.url).netloc
    outside = [url for url in chromium.requests if urlsplit(url).netloc not in (origin, "")]
    assert outside == [], f"requests left the origin: {outside[:5]}"
    assert any("/pyodide." in url for url in chromium.requests)  # the recording works
    # Chromium loads, and its service worker precaches, Chromium's CanvasKit only; the
    # licence text is not loaded at all (the service worker only looks for a copy of it).
    paths = [urlsplit(url).path for url in chromium.requests]
    assert any(re.search(r"^/canvaskit\.\w+/chromium/canvaskit\.wasm$", p) for p in paths)
    assert not [p for p in paths if re.search(r"^/canvaskit\.\w+/canvaskit\.", p)]
    assert "/assets/NOTICES" not in chromium.app_requests
    assert "/assets/FontManifest.json" in chromium.app_requests  # the recording works


def test_a_snapshot_that_cannot_be_restored_falls_back_to_a_fresh_start(
    server: Server, tmp_path: Path, browser: Any
) -> None:
    chromium = Browser(browser.browser_type, tmp_path / "profile")
    phone = first_visit(chromium, server)
    wait_for_snapshot(phone)
    # A damaged copy of the heap (say, storage cut short).
    phone.page.evaluate(
        """async () => {
            const cache = await caches.open('python-snapshot');
            const heap = (await cache.keys()).find(request => request.url.endsWith('/heap'));
            await cache.put(heap, new Response(new Uint8Array(4096)));
        }"""
    )
    chromium.close()

    # Offline, the caller still gets their list: Python starts afresh.
    phone = chromium.launch(offline=True)
    phone.start_offline_app(f"{server.url}/")
    phone.by_id("household-hh-chen").wait_for(state="attached", timeout=PWA_START)
    assert any("snapshot not restored" in line for line in chromium.console)
    assert python_start(chromium) == "afresh"
    chromium.close()

    # This version does not try again (each try would cost a start); the next deploy will.
    phone = chromium.launch(offline=True)
    phone.start_offline_app(f"{server.url}/")
    phone.by_id("household-hh-chen").wait_for(state="attached", timeout=PWA_START)
    assert python_start(chromium) == "afresh"
    assert not any("snapshot not restored" in line for line in chromium.console)
    chromium.close()
