"""Fixtures for the supervisor console in a real browser: the sync server with the console
mounted at /console (uvicorn in its own process group on loopback), a seeded phone bank
with two callers whose devices have joined, and a laptop-sized page.

Imported by the console's browser tests; tests/browser/conftest.py gives the browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.core.events import Event
from app.core.models import Caller, Campaign
from sync_server import auth
from sync_server.campaigns import create_campaign, put_script
from sync_server.db import Store
from sync_server.demo import demo_campaigns

from .conftest import FAILED, FletPage, ServeProcess

ROOT = Path(__file__).resolve().parents[2]
LAPTOP = {"width": 1366, "height": 900}
SUPERVISOR = ("coordinator", "correct horse battery")
# Flutter puts a Semantics label in aria-label, on the node or (for a text field, which
# selectable text is) on the element inside it; a button's label is its first text line.
ACCESSIBLE_NAME = """node => node.getAttribute('aria-label')
    || node.querySelector('[aria-label]')?.getAttribute('aria-label')
    || node.textContent.trim().split('\\n')[0]"""


@dataclass(frozen=True)
class JoinedPhone:
    """A caller's device, joined with an invite: what the sync client would hold."""

    caller: Caller
    device_id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class ConsoleBank:
    server: ServeProcess
    store: Store
    campaign: Campaign
    ana: JoinedPhone
    ben: JoinedPhone

    @property
    def console_url(self) -> str:
        return f"{self.server.url}/console/"

    def pull_households(self, phone: JoinedPhone) -> list[str]:
        """The households a device gets on a first pull, as the sync client would see them."""
        answer = httpx.post(
            f"{self.server.url}/api/v1/sync/pull",
            json={"device_id": phone.device_id, "cursor": None, "limit": 2000},
            headers=phone.headers,
            timeout=10,
        )
        answer.raise_for_status()
        return sorted(
            change["id"]
            for change in answer.json()["changes"]
            if change["entity"] == "household" and change["op"] == "put"
        )

    def push(self, phone: JoinedPhone, events: list[Event]) -> dict[str, Any]:
        answer = httpx.post(
            f"{self.server.url}/api/v1/sync/push",
            json={
                "device_id": phone.device_id,
                "events": [event.model_dump(mode="json") for event in events],
            },
            headers=phone.headers,
            timeout=10,
        )
        answer.raise_for_status()
        body: dict[str, Any] = answer.json()
        return body


def _join(store: Store, caller: Caller) -> JoinedPhone:
    with store.transaction() as db:
        code, _ = auth.create_invite(db, caller.id)
        device_id, token, _ = auth.join(db, code, f"{caller.name}'s phone")
    return JoinedPhone(caller, device_id, token)


@pytest.fixture
def console_bank(tmp_path: Path) -> Iterator[ConsoleBank]:
    """A supervisor, the demo's tech-check campaign and scripts, no households yet, and two
    callers whose phones have joined; the server running with the console mounted."""
    db_path = tmp_path / "phonebank.sqlite"
    store = Store(db_path)
    draft, scripts = next((d, s) for d, s in demo_campaigns() if d.slug == "tech-check")
    with store.transaction() as db:
        auth.create_supervisor(db, *SUPERVISOR)
        campaign = create_campaign(db, draft)
        for script in scripts:
            put_script(db, campaign.id, script)
        ana = auth.create_caller(db, "Ana Reyes", ["es", "en"])
        ben = auth.create_caller(db, "Ben Tran", ["en", "vi"])
    server = ServeProcess(db_path).start(ready="/console/")
    bank = ConsoleBank(server, store, campaign, _join(store, ana), _join(store, ben))
    try:
        yield bank
    finally:
        server.stop()
        store.close()


class ConsolePage(FletPage):
    """The console in a laptop-sized window: scrolling happens over the screen's body."""

    BODY = (LAPTOP["width"] * 0.6, LAPTOP["height"] * 0.6)
    WHEEL = 400

    def label(self, identifier: str) -> str:
        """What a screen reader announces for the element with this identifier."""
        name = self.by_id(identifier).first.evaluate(f"node => ({ACCESSIBLE_NAME})(node)")
        return str(name or "")

    def wait_label(self, identifier: str, expected: str, timeout: float = 15_000) -> None:
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


@pytest.fixture
def console(
    browser: Any, console_bank: ConsoleBank, request: pytest.FixtureRequest
) -> Iterator[ConsolePage]:
    """A page for the console; closed before the server stops, so a failure's screenshot
    shows the console rather than Flet's reconnecting spinner."""
    context = browser.new_context(viewport=LAPTOP, locale="en-US", device_scale_factor=1)
    # Hermetic: nothing leaves the machine (the page asks a CDN for a Rive script).
    context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*"), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    console_page = ConsolePage(page)
    try:
        yield console_page
    finally:
        if request.node.stash.get(FAILED, False):
            console_page.shot(f"console-FAILED-{request.node.name}")
        context.close()
