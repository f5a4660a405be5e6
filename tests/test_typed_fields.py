"""The call screen's notes keep every letter typed while the app redraws (issue 15), driven
as a browser drives them, with no browser: the field's new value arrives, then its change
event runs in a task of its own, and a sync ending redraws the screen in between."""

from __future__ import annotations

import asyncio

import flet as ft
import pytest

from app.services.practice import PRACTICE_CAMPAIGN_ID, PRACTICE_HOUSEHOLD_ID
from app.ui.state import AppState
from tests.support.flet_client import FletPageWithoutBrowser, practice_caller_app

pytestmark = pytest.mark.anyio
TYPED = "call after 6pm"


async def notes_field(page: FletPageWithoutBrowser) -> ft.TextField:
    """The call screen's notes, once the screen is drawn (at most a few seconds)."""
    for _ in range(500):
        await asyncio.sleep(0.01)
        found = [c for c in page.controls() if isinstance(c, ft.TextField) and c.label == "Notes"]
        if found:
            return found[0]
    raise AssertionError("the call screen never showed its notes")


async def test_notes_typed_while_the_screen_redraws_keep_every_letter() -> None:
    app = AppState(screen="list", practice=True)
    page = FletPageWithoutBrowser()
    practice_caller_app(page, app)
    app.open_household(PRACTICE_CAMPAIGN_ID, PRACTICE_HOUSEHOLD_ID)
    notes = await notes_field(page)
    sent_before = len(page.values_sent())

    app.changed()  # a sync has just ended: the screen redraws at the loop's next turn…
    keys = [page.typed(notes._i, TYPED[:n]) for n in range(1, len(TYPED) + 1)]
    await asyncio.gather(*keys)  # …after the browser's keys arrived, before their handlers
    app.changed()  # and once more after them
    await asyncio.sleep(0.05)

    assert page.text_field("Notes").value == TYPED
    assert page.values_sent()[sent_before:] == []  # nothing older sent back over the typing
