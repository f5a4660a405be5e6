"""`phonebank serve --tls-cert/--tls-key --public-url` as a district runs it, in Chromium
on a non-localhost origin (https://phonebank.test, mapped to loopback and its self-signed
certificate trusted for the test only):

- the offline app joins, its service worker takes control (a secure context is needed:
  this is what plain HTTP on a real host cannot give phones), and it opens offline;
- the server-driven app at /app/ (whose sync goes back to this server over HTTPS) and the
  console at /console/ run under the server's content security policy;
- the browser reports no CSP violation anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sync_server.db import Store
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, PWA_START, FletPage
from tests.support.families import SeededBank, seed_bank
from tests.support.phone_bank import invite
from tests.support.server import ServerProcess
from tests.support.tls import Certificate, self_signed

pytestmark = pytest.mark.browser

HOST = "phonebank.test"


@dataclass
class HttpsServer:
    url: str
    store: Store
    bank: SeededBank
    certificate: Certificate
    process: ServerProcess


@pytest.fixture
def https_server(web_app: Path, tmp_path: Path) -> Iterator[HttpsServer]:
    certificate = self_signed(tmp_path / "tls", HOST)
    db_path = tmp_path / "data" / "phonebank.sqlite"
    db_path.parent.mkdir()
    store = Store(db_path)
    bank = seed_bank(store)
    process = ServerProcess(db_path, web_app=web_app, tls=certificate.cert)
    public_url = f"https://{HOST}:{process.port}"
    process.args = [
        *("--tls-cert", str(certificate.cert), "--tls-key", str(certificate.key)),
        *("--public-url", public_url),
    ]
    process.start()
    try:
        yield HttpsServer(public_url, store, bank, certificate, process)
    finally:
        process.stop()
        store.close()


@pytest.fixture
def chromium(browser: Any, https_server: HttpsServer, tmp_path: Path) -> Iterator[Any]:
    """A persistent profile (the SPKI allow-list needs one) that resolves phonebank.test
    to loopback, trusts the test's certificate, and may reach nothing else."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            f"--host-resolver-rules=MAP {HOST} 127.0.0.1",
            f"--ignore-certificate-errors-spki-list={https_server.certificate.spki_sha256}",
        ],
        viewport=PHONE,
        locale="en-US",
        service_workers="allow",
    )
    context.route(re.compile(rf"^(?!https://{re.escape(HOST)}[:/]).*"), lambda r: r.abort())
    try:
        yield context
    finally:
        context.close()


OTHER_ORIGIN = re.compile(r"'https?://(?!" + re.escape(HOST) + r"[:/])")


def watch_csp(page: Any, violations: list[str]) -> None:
    """Record the policy's refusals of anything of ours. The Flet pages at /app/ and
    /console/ ask a CDN for a Rive script they never need: refusing that is the point."""

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text and not OTHER_ORIGIN.search(message.text):
            violations.append(message.text)

    page.on("console", on_console)


def test_offline_app_over_https_registers_its_worker_and_opens_offline(
    https_server: HttpsServer, chromium: Any
) -> None:
    violations: list[str] = []
    page = chromium.pages[0] if chromium.pages else chromium.new_page()
    page.set_default_timeout(20_000)
    watch_csp(page, violations)
    phone = FletPage(page)

    phone.start_offline_app(
        f"{https_server.url}/?invite={invite(https_server.store, https_server.bank.caller)}"
    )
    assert page.evaluate("window.isSecureContext") is True
    phone.by_id("household-hh-chen").wait_for(state="attached", timeout=PWA_START)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=PWA_START)
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{https_server.url}/"
    phone.shot("https-01-offline-app-joined")

    # No network at all: the app comes from the service worker, the list from IndexedDB.
    chromium.set_offline(True)
    phone.start_offline_app(f"{https_server.url}/")
    phone.by_id("household-hh-chen").wait_for(state="attached", timeout=PWA_START)
    phone.shot("https-02-offline-reload")
    chromium.set_offline(False)

    # The server-driven app: Python on the server syncs with this server over HTTPS.
    mounted = FletPage(chromium.new_page())
    watch_csp(mounted.page, violations)
    second = invite(https_server.store, https_server.bank.caller)
    mounted.open(f"{https_server.url}/app/?invite={second}")
    mounted.by_id("household-hh-garcia").wait_for(state="attached", timeout=60_000)

    # The console draws its sign-in screen.
    console = FletPage(chromium.new_page())
    watch_csp(console.page, violations)
    console.open(f"{https_server.url}/console/")
    console.page.get_by_role("textbox", name="User name").wait_for(timeout=30_000)
    console.shot("https-03-console-sign-in")

    assert violations == [], violations[:5]
    log = https_server.process.output()
    assert "WARNING" not in log  # TLS and a public URL: nothing to warn about
