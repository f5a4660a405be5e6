"""A lost device (issue 14 point 2) in the offline app (the PWA at /, Python in the browser):
after a supervisor's wipe reaches it, IndexedDB — where the device database lives, through
Emscripten's IDBFS — holds no family data, and the app shows the join screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sync_server import auth
from tests.support.offline_app import Browser, Server, first_visit, offline_app_server

pytestmark = pytest.mark.browser

IDB_FAMILY_DATA = """async (needles) => {
    const request = (r) => new Promise((ok, fail) => {
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
    });
    const text = (value) => {
        const bytes = value?.contents;
        if (bytes && bytes.buffer) {
            const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
            return new TextDecoder("utf-8").decode(view);
        }
        try { return JSON.stringify(value) ?? ""; } catch { return ""; }
    };
    const found = new Set();
    const files = [];
    for (const info of await indexedDB.databases()) {
        const db = await request(indexedDB.open(info.name));
        for (const name of db.objectStoreNames) {
            const store = db.transaction(name).objectStore(name);
            const asked = [request(store.getAllKeys()), request(store.getAll())];
            const [keys, values] = await Promise.all(asked);
            keys.forEach((key, index) => {
                files.push(String(key));
                const content = text(values[index]);
                for (const needle of needles) if (content.includes(needle)) found.add(needle);
            });
        }
        db.close();
    }
    return { found: [...found], files };
}"""

NEEDLES = ["García family", "Chen family", "Smith family", "+15105550106", "Pat Okafor"]
DATABASE = "/data/phonebank.sqlite"


def family_data_in_indexeddb(page: Any) -> dict[str, list[str]]:
    return dict(page.evaluate(IDB_FAMILY_DATA, NEEDLES))


@pytest.fixture
def server(web_app: Path, tmp_path: Path) -> Iterator[Server]:
    with offline_app_server(web_app, tmp_path) as running:
        yield running


def test_after_a_wipe_indexeddb_holds_no_family_data(
    server: Server, tmp_path: Path, browser: Any
) -> None:
    chromium = Browser(browser.browser_type, tmp_path / "profile")
    phone = first_visit(chromium, server)
    try:
        # Written back to IndexedDB after the first pull's commit: there before the wipe.
        phone.page.wait_for_function(
            f"({IDB_FAMILY_DATA})({NEEDLES!r}).then(r => r.found.length === {len(NEEDLES)})",
            timeout=60_000,
            polling=500,
        )
        [device] = server.rows("SELECT id FROM devices")
        with server.store.transaction() as db:
            auth.order_wipe(db, device["id"])

        phone.tap_id("sync-badge")
        phone.tap("Sync now")

        phone.wait_label("join-erased", "This phone was erased")
        phone.page.wait_for_function(
            f"({IDB_FAMILY_DATA})({NEEDLES!r}).then(r => r.found.length === 0"
            f" && r.files.includes({DATABASE!r}))",
            timeout=60_000,
            polling=500,
        )
        left = family_data_in_indexeddb(phone.page)
        assert left["found"] == [] and DATABASE in left["files"]
        assert phone.by_id("household-hh-chen").count() == 0
        phone.shot("pwa-wipe-join-screen")
        erased = server.rows("SELECT erased_reason FROM devices WHERE erased_at IS NOT NULL")
        assert erased == [{"erased_reason": "wipe"}]
    finally:
        chromium.close()
