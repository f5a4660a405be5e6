"""The call screen's "Do not call", with no browser: one tap asks to confirm, the confirm
locks the call button at once and says why (issue 14, point 1); cancel records nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import flet as ft
import pytest

from app.services.practice import PRACTICE_CAMPAIGN_ID, PRACTICE_HOUSEHOLD_ID
from app.ui.state import AppState
from tests.support.flet_client import FletPageWithoutBrowser, practice_caller_app

pytestmark = pytest.mark.anyio


async def wait_for(
    page: FletPageWithoutBrowser, found: Callable[[], list[ft.BaseControl]]
) -> ft.BaseControl:
    for _ in range(500):
        await asyncio.sleep(0.01)
        if hits := found():
            return hits[0]
    raise AssertionError("never drawn")


def by_identifier(page: FletPageWithoutBrowser, identifier: str) -> list[ft.BaseControl]:
    return [
        control.content
        for control in page.controls()
        if isinstance(control, ft.Semantics)
        and control.identifier == identifier
        and control.content is not None
    ]


def call_buttons(page: FletPageWithoutBrowser) -> list[ft.FilledButton]:
    return [
        control
        for control in page.controls()
        if isinstance(control, ft.FilledButton) and control.icon == ft.Icons.CALL
    ]


async def tap(page: FletPageWithoutBrowser, identifier: str) -> None:
    button = await wait_for(page, lambda: by_identifier(page, identifier))
    await page.session.dispatch_event(button._i, "click", None)


async def drawn_call_screen() -> tuple[FletPageWithoutBrowser, AppState]:
    app = AppState(screen="list", practice=True)
    page = FletPageWithoutBrowser()
    practice_caller_app(page, app)
    app.open_household(PRACTICE_CAMPAIGN_ID, PRACTICE_HOUSEHOLD_ID)
    await wait_for(page, lambda: list(call_buttons(page)))
    assert not any(button.disabled for button in call_buttons(page))
    return page, app


async def test_do_not_call_asks_to_confirm_then_locks_the_call_button() -> None:
    page, _ = await drawn_call_screen()
    await tap(page, "opt-out-call")
    await tap(page, "opt-out-call-confirm")
    await wait_for(page, lambda: by_identifier(page, "call-locked"))
    assert all(button.disabled for button in call_buttons(page))
    assert by_identifier(page, "opt-out-call") == []  # nothing more to mark
    assert by_identifier(page, "opt-out-text") != []  # texts are another question


async def test_cancel_records_nothing() -> None:
    page, _ = await drawn_call_screen()
    await tap(page, "opt-out-call")
    await tap(page, "opt-out-call-cancel")
    await wait_for(page, lambda: [] if by_identifier(page, "opt-out-call-confirm") else [page.page])
    await wait_for(page, lambda: by_identifier(page, "opt-out-call"))
    assert by_identifier(page, "call-locked") == []
    assert not any(button.disabled for button in call_buttons(page))
