"""The API docs in Chromium as on a school network with no internet: the server under a
name of its own (not localhost, where Swagger UI would skip some of its online extras),
every request recorded, none leaving the origin, and Swagger UI drawing the operations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, SHOTS
from tests.support.running_banks import PhoneBankServer

pytestmark = pytest.mark.browser

HOST = "phonebank.school.test"


@pytest.fixture
def school_browser(browser: Any) -> Iterator[Any]:
    """Chromium that resolves HOST to this machine."""
    launched = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {HOST} 127.0.0.1"],
    )
    try:
        yield launched
    finally:
        launched.close()


def test_the_api_docs_render_with_no_request_off_the_origin(
    school_browser: Any, phone_bank: PhoneBankServer
) -> None:
    origin = f"http://{HOST}:{urlsplit(phone_bank.url).port}"
    context = school_browser.new_context(locale="en-US")
    requested: list[str] = []
    refused_by_policy: list[str] = []
    # Recorded first, then anything for elsewhere is aborted: no test ever reaches out.
    context.on("request", lambda request: requested.append(request.url))
    context.route(lambda url: not url.startswith(f"{origin}/"), lambda route: route.abort())
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            refused_by_policy.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    try:
        page.goto(f"{origin}/api/docs")
        page.get_by_text("Redeem an invite code for a device token").first.wait_for(timeout=30_000)
        page.get_by_text("Supervisor sign-in").first.wait_for()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "api-docs-offline.png"))
    finally:
        context.close()
    assert f"{origin}/api/openapi.json" in requested
    assert any(url.endswith("/swagger-ui-bundle.js") for url in requested)
    assert [url for url in requested if not url.startswith(f"{origin}/")] == []
    assert refused_by_policy == []
