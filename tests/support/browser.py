"""Chromium for the browser tests: how it is launched, a hermetic page on a phone- or
laptop-sized screen, and Flet pages (caller app, console) found through their accessibility
tree; and the server-driven caller app in its own process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from .server import ROOT, free_port, stop_process_group, wait_until_ready

if TYPE_CHECKING:
    from .running_banks import PhoneBankServer

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
LAPTOP = {"width": 1366, "height": 900}
PWA_START = 120_000
"""Milliseconds a start of the offline app may take: Pyodide and CanvasKit on a
software-rendered 2-core VM."""
FAILED = pytest.StashKey[bool]()
"""Set on a test's node once its call has run: whether it failed (for screenshots, logs)."""
# Flutter puts a Semantics label in aria-label, on the node or (for a text field, which
# selectable text is) on the element inside it; a button's label is its first text line.
ACCESSIBLE_NAME = """node => node.getAttribute('aria-label')
    || node.querySelector('[aria-label]')?.getAttribute('aria-label')
    || node.textContent.trim().split('\\n')[0]"""


@contextmanager
def hermetic_page(
    browser: Any,
    request: pytest.FixtureRequest,
    viewport: dict[str, int],
    failed_shot: str,
    locale: str = "en-US",
) -> Iterator[Any]:
    """A page in a fresh context (a new device, its browser set to ``locale``) that may
    reach nothing but loopback (the console's page asks a CDN for a Rive script); when the
    test failed, a screenshot named ``failed_shot``-TEST is saved before the context closes."""
    context = browser.new_context(viewport=viewport, locale=locale, device_scale_factor=1)
    context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*"), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        if request.node.stash.get(FAILED, False):
            FletPage(page).shot(f"{failed_shot}-{request.node.name}")
        context.close()


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
        wait_until_ready(f"{self.url}/", self.process, timeout)
        return self

    def stop(self) -> None:
        stop_process_group(self.process)
        self.process = None


class FletPage:
    """A Flet page in Chromium, found through its accessibility tree."""

    BODY = (PHONE["width"] / 2, PHONE["height"] / 2)
    """Where the mouse wheel scrolls the screen."""
    WHEEL = 300

    def __init__(self, page: Any) -> None:
        self.page = page

    def open(self, url: str) -> FletPage:
        try:
            self._start(url)
        except PlaywrightTimeoutError:
            # Twice in one day's CI a tab's renderer never finished starting Flutter (its
            # main thread at 100 % for minutes, the server idle): a new tab gets a new one.
            stuck, self.page = self.page, self.page.context.new_page()
            self.page.set_default_timeout(15_000)
            stuck.close()
            self._start(url)
        return self

    def _start(self, url: str) -> None:
        self.page.goto(url)
        placeholder = self.page.locator("flt-semantics-placeholder")
        placeholder.wait_for(state="attached", timeout=30_000)
        # Bounded, unlike page.evaluate: a stuck renderer fails here instead of hanging.
        placeholder.dispatch_event("click", timeout=15_000)
        self.page.wait_for_selector(
            "flt-semantics-host flt-semantics", state="attached", timeout=30_000
        )

    def start_offline_app(self, url: str) -> None:
        """Open the offline app and wait until Flutter's accessibility tree is on (Python may
        still be starting: callers wait for what they need next)."""
        self.page.goto(url)
        self.page.wait_for_selector(
            "flt-semantics-placeholder", state="attached", timeout=PWA_START
        )
        self.page.evaluate("document.querySelector('flt-semantics-placeholder').click()")

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
        """Focus the box, pause, select all, type, and check (a bare fill() loses text now
        and then).

        The box is focused through its accessibility node, as a keyboard or a screen reader
        does, not clicked: a click goes to where the tree last put the box, while Flutter
        hit-tests its own layout, and just after a scroll the two can differ. The click then
        picked a filter chip or opened a family instead, and the letters typed next filled a
        box Flutter had not focused (issue 15: a search that held its text and never
        narrowed the list)."""
        from playwright.sync_api import expect

        box = self.page.get_by_role("textbox", name=name)
        self.reveal(box)
        for attempt in range(2):
            box.focus()
            self.page.wait_for_timeout(150)
            box.press("Control+a")
            if value:
                box.press_sequentially(value)
            else:
                box.press("Backspace")
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


class ConsolePage(FletPage):
    """The console in a laptop-sized window: scrolling happens over the screen's body."""

    BODY = (LAPTOP["width"] * 0.6, LAPTOP["height"] * 0.6)
    WHEEL = 400

    def label(self, identifier: str) -> str:
        """What a screen reader announces for the element with this identifier."""
        name = self.by_id(identifier).first.evaluate(f"node => ({ACCESSIBLE_NAME})(node)")
        return str(name or "")

    def wait_name(self, identifier: str, expected: str, timeout: float = 15_000) -> None:
        """Wait until the element's accessible name is ``expected`` (no reload, ever)."""
        self.page.wait_for_function(
            f"""([identifier, expected]) => {{
                const node = document.querySelector(
                    `[flt-semantics-identifier='${{identifier}}']`);
                return node !== null && ({ACCESSIBLE_NAME})(node) === expected;
            }}""",
            arg=[identifier, expected],
            timeout=timeout,
        )

    def go(self, screen: str) -> None:
        self.top()
        self.tap_id(f"nav-{screen}")

    def sign_in(self, username: str, password: str, *, shot: str | None = None) -> None:
        self.type_into("User name", username)
        self.type_into("Password", password)
        if shot:
            # The first frame is drawn only once the fonts are in; by now it is.
            self.shot(shot)
        self.tap("Sign in")
        self.by_id("nav-dashboard").wait_for()


def open_my_list(page: Any, bank: PhoneBankServer) -> FletPage:
    """The seeded caller's phone: the served app opened from a fresh invite link, once My
    list shows the seeded families."""
    from .phone_bank import invite

    phone = FletPage(page).open(f"{bank.url}/app/?invite={invite(bank.store, bank.bank.caller)}")
    phone.by_id("household-hh-garcia").wait_for(state="attached")
    return phone
