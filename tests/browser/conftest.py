"""Real processes, real Chromium: the sync server and the caller app each in their own
process group on loopback, driven through the page's accessibility tree.

Every request that is not for 127.0.0.1 is aborted, so the suite is hermetic offline.
Screenshots of key screens go to test-artifacts/screenshots/ (never asserted on).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from sync_server.db import Store
from tests.caller_seed import SeededBank, invite, seed_bank
from tests.server_process import ServeProcess as ServeProcess  # re-exported: tests, bench
from tests.server_process import ServerProcess, _stop, _wait_for, free_port

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(pytest.mark.browser)


class CallerAppProcess:
    """``python -m app.ui.served_app`` on a free loopback port, in its own process group."""

    def __init__(self, server_url: str, data_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server_url = server_url
        self.data_dir = data_dir
        self.process: subprocess.Popen[bytes] | None = None
        self.log = data_dir / "caller-app.log"

    def start(self, timeout: float = 30.0) -> CallerAppProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "app.ui.served_app",
                    "--server",
                    self.server_url,
                    "--port",
                    str(self.port),
                    "--data",
                    str(self.data_dir),
                ],
                cwd=ROOT,
                start_new_session=True,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "FLET_FORCE_WEB_SERVER": "1"},
            )
        _wait_for(f"{self.url}/", self.process, timeout)
        return self

    def stop(self) -> None:
        _stop(self.process)
        self.process = None


@dataclass
class PhoneBankServer:
    """The seeded sync server (restartable on its port) and its database, for assertions."""

    db_path: Path
    store: Store
    bank: SeededBank
    server: ServerProcess

    @property
    def url(self) -> str:
        return self.server.url

    def invite(self) -> str:
        return invite(self.store, self.bank.caller)

    def stop(self) -> None:
        self.server.stop()

    def restart(self) -> None:
        self.server = ServerProcess(self.db_path, self.server.port).start()

    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        with self.store.reading() as db:
            return list(db.query(sql, params or []))


@pytest.fixture(scope="session")
def phone_bank(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PhoneBankServer]:
    db_path = tmp_path_factory.mktemp("server") / "phonebank.sqlite"
    store = Store(db_path)
    bank = seed_bank(store)
    server = ServerProcess(db_path).start()
    running = PhoneBankServer(db_path, store, bank, server)
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


class FletPage:
    """A Flet page in Chromium, found through its accessibility tree."""

    BODY = (PHONE["width"] / 2, PHONE["height"] / 2)
    """Where the mouse wheel scrolls the screen."""
    WHEEL = 300

    def __init__(self, page: Any) -> None:
        self.page = page

    def open(self, url: str) -> FletPage:
        self.page.goto(url)
        self.page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=30_000)
        self.page.evaluate("document.querySelector('flt-semantics-placeholder').click()")
        self.page.wait_for_selector(
            "flt-semantics-host flt-semantics", state="attached", timeout=30_000
        )
        return self

    def by_id(self, identifier: str) -> Any:
        return self.page.locator(f"[flt-semantics-identifier='{identifier}']")

    def label(self, identifier: str) -> str:
        """What a screen reader says for the node: its aria-label, else its first line."""
        node = self.by_id(identifier).first
        node.wait_for(state="attached")
        label = node.get_attribute("aria-label")
        return str(label if label is not None else node.inner_text().split("\n")[0]).strip()

    def wait_label(self, identifier: str, pattern: str, *, present: bool = True) -> None:
        """Wait until the node's label matches (or no longer matches) ``pattern``."""
        self.page.wait_for_function(
            """([identifier, pattern, present]) => {
                const node = document.querySelector(`[flt-semantics-identifier='${identifier}']`);
                if (!node) return false;
                const text = node.getAttribute('aria-label') ?? node.textContent ?? '';
                return new RegExp(pattern).test(text) === present;
            }""",
            arg=[identifier, pattern, present],
        )

    def button(self, name: str) -> Any:
        return self.page.get_by_role("button", name=name, exact=True)

    def reveal(self, locator: Any, *, steps: int = 30, wait: float = 15_000) -> Any:
        """Scroll the Flutter view until ``locator`` is in the accessibility tree.

        Flutter only puts what is on screen (and a little around it) in the tree, so an
        element further down a long screen does not exist yet: wheel down until it does.
        Flutter also rebuilds the tree when a screen's data arrives, so the node found may
        be replaced by its twin before it is scrolled to: then the locator finds the twin.
        """
        deadline = time.monotonic() + wait / 1000
        scrolled = 0
        while locator.count() == 0:
            if time.monotonic() > deadline:
                break
            if scrolled < steps:
                self.page.mouse.move(*self.BODY)
                self.page.mouse.wheel(0, self.WHEEL)
                scrolled += 1
            self.page.wait_for_timeout(100)
        target = locator.first
        for attempt in range(3):
            target.wait_for(state="attached", timeout=1_000)
            try:
                target.scroll_into_view_if_needed()
                break
            except PlaywrightError as error:
                if "not attached" not in str(error) or attempt == 2:
                    raise
        return target

    def top(self) -> None:
        """Back to the top of a scrolled screen."""
        self.page.mouse.move(*self.BODY)
        self.page.mouse.wheel(0, -20_000)
        self.page.wait_for_timeout(200)

    def click(self, locator: Any) -> None:
        """Reveal and click; again if Flutter rebuilt the node under us (it does, after a
        scroll or a redraw, and the old node is then detached)."""
        from playwright.sync_api import Error

        for attempt in range(4):
            try:
                target = self.reveal(locator)
                print(f"{time.monotonic():.2f} click {locator} attempt {attempt}")
                target.click(timeout=5_000)
                return
            except Error:
                if attempt == 3:
                    raise
                self.page.wait_for_timeout(200)

    def tap_id(self, identifier: str) -> None:
        self.click(self.by_id(identifier))

    def tap(self, name: str) -> None:
        self.click(self.button(name))

    def text(self, text: str | re.Pattern[str]) -> Any:
        return self.page.get_by_text(text)

    def wait_text(self, text: str | re.Pattern[str], timeout: float = 15_000) -> None:
        self.page.get_by_text(text).first.wait_for(timeout=timeout)

    def type_into(self, name: str, value: str) -> None:
        """Click, pause, select all, type, and check (a bare fill() loses text now and then)."""
        from playwright.sync_api import expect

        box = self.page.get_by_role("textbox", name=name)
        self.reveal(box)
        for attempt in range(2):
            box.click()
            self.page.wait_for_timeout(150)
            box.press("Control+a")
            box.press_sequentially(value)
            try:
                expect(box).to_have_value(value, timeout=3_000)
                return
            except AssertionError:
                if attempt:
                    raise

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.wait_for_timeout(400)  # a screenshot can lag the state by a frame
        self.page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


FAILED = pytest.StashKey[bool]()


@pytest.fixture
def phone(browser: Any, request: pytest.FixtureRequest) -> Iterator[FletPage]:
    context = browser.new_context(viewport=PHONE, locale="en-US", device_scale_factor=1)
    context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*"), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("framenavigated", lambda frame: print(f"{time.monotonic():.2f} navigated: {frame.url}"))
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
    flet_page = FletPage(page)
    try:
        yield flet_page
    finally:
        if request.node.stash.get(FAILED, False):
            flet_page.shot(f"FAILED-{request.node.name}")
        context.close()
