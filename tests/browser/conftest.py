"""Real processes, real Chromium: the sync server and the caller app each in their own
process group on loopback, driven through the page's accessibility tree.

Every request that is not for 127.0.0.1 is aborted, so the suite is hermetic offline.
Screenshots of key screens go to test-artifacts/screenshots/ (never asserted on).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sync_server.db import Store
from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FAILED,
    LAPTOP,
    PHONE,
    CallerAppProcess,
    ConsolePage,
    FletPage,
    hermetic_page,
)
from tests.support.families import seed_bank
from tests.support.running_banks import ALL_DAY, ConsoleBank, PhoneBankServer, change_campaign
from tests.support.server import ServerProcess


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


@pytest.fixture(scope="session")
def phone_bank(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PhoneBankServer]:
    db_path = tmp_path_factory.mktemp("server") / "phonebank.sqlite"
    store = Store(db_path)
    bank = seed_bank(store)
    change_campaign(store, bank.campaign, calling_window=ALL_DAY)
    server = ServerProcess(db_path, api_only=True).start()
    running = PhoneBankServer(store, bank, server)
    try:
        yield running
    finally:
        running.server.stop()
        store.close()


@pytest.fixture(scope="session")
def caller_app(
    phone_bank: PhoneBankServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CallerAppProcess]:
    """One caller app for the run; each test's fresh browser context is a new device."""
    app = CallerAppProcess(phone_bank.url, tmp_path_factory.mktemp("caller-data")).start()
    try:
        yield app
    finally:
        app.stop()


@pytest.fixture
def caller_log(caller_app: CallerAppProcess, request: pytest.FixtureRequest) -> Iterator[None]:
    """The caller app's log, printed when the test fails."""
    yield
    if request.node.stash.get(FAILED, False):
        print("\n--- caller app log ---\n" + caller_app.log.read_text(errors="replace")[-5000:])


@pytest.fixture
def console_bank(tmp_path: Path) -> Iterator[ConsoleBank]:
    """A supervisor, the demo's tech-check campaign and scripts, no households yet, and two
    callers whose phones have joined; the server running with the console mounted."""
    bank = ConsoleBank.seed(tmp_path / "phonebank.sqlite")
    bank.server.start(ready="/console/")
    try:
        yield bank
    finally:
        bank.server.stop()
        bank.store.close()


# Package scope: Playwright's sync API holds an event loop while it runs, which would break
# every asyncio.run() in the tests that come after the browser ones.
@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        message = "Debian's chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI a missing browser is a broken set-up, not a skip
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def phone(browser: Any, request: pytest.FixtureRequest) -> Iterator[FletPage]:
    with hermetic_page(browser, request, PHONE, "FAILED") as page:
        page.on(
            "framenavigated", lambda frame: print(f"{time.monotonic():.2f} navigated: {frame.url}")
        )
        page.on(
            "request",
            lambda r: (
                print(f"{time.monotonic():.2f} request {r.url[:80]}")
                if not r.url.startswith("http://127")
                else None
            ),
        )
        page.on("popup", lambda popup: print(f"popup: {popup.url}"))

        def on_ws(ws: Any) -> None:
            print(f"{time.monotonic():.2f} websocket open {ws.url}")
            ws.on("close", lambda _ws: print(f"{time.monotonic():.2f} websocket closed"))
            ws.on("socketerror", lambda err: print(f"{time.monotonic():.2f} websocket error {err}"))

        page.on("websocket", on_ws)
        yield FletPage(page)


@pytest.fixture
def console(
    browser: Any, console_bank: ConsoleBank, request: pytest.FixtureRequest
) -> Iterator[ConsolePage]:
    """A page for the console; closed before the server stops, so a failure's screenshot
    shows the console rather than Flet's reconnecting spinner."""
    with hermetic_page(browser, request, LAPTOP, "console-FAILED") as page:
        yield ConsolePage(page)
