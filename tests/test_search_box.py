"""The search box on "My list" keeps what was typed while the app redraws (issue 15: the box
held the text and the list never narrowed), driven as a browser drives it, with no browser:
the field's new value arrives, then its change event runs in a task of its own."""

from __future__ import annotations

import asyncio

import pytest

from app.ui.components import list_filters
from app.ui.state import AppState
from tests.support.flet_client import FletPageWithoutBrowser, practice_caller_app

pytestmark = pytest.mark.anyio
TYPED = "rivera"  # the practice family is "Practice family (Rivera)"
SEARCH = "Search by name, language or need"


@pytest.fixture
def app() -> AppState:
    return AppState(screen="list", practice=True)


@pytest.fixture
async def page(monkeypatch: pytest.MonkeyPatch, app: AppState) -> FletPageWithoutBrowser:
    monkeypatch.setattr(list_filters, "SEARCH_PAUSE", 0.01)
    page = FletPageWithoutBrowser()
    practice_caller_app(page, app)
    await asyncio.sleep(0)
    return page


async def settled(page: FletPageWithoutBrowser, app: AppState) -> None:
    """Until the search has stopped waiting for more keys (at most a few seconds)."""
    for _ in range(300):
        await asyncio.sleep(0.01)
        if app.search == TYPED:
            return


async def test_a_redraw_before_the_keys_handlers_run_keeps_every_letter(
    page: FletPageWithoutBrowser, app: AppState
) -> None:
    box = page.text_field(SEARCH)
    app.changed()  # a sync has just ended: the list redraws at the loop's next turn…
    keys = [page.typed(box._i, TYPED[:n]) for n in range(1, len(TYPED) + 1)]
    # …after the browser's messages for every key were read, before their handlers ran.
    await asyncio.gather(*keys)
    await settled(page, app)
    assert app.search == TYPED
    assert page.text_field(SEARCH).value == TYPED
    assert page.values_sent() == []  # no older value was sent back over what was typed


async def test_a_notice_appearing_above_the_box_keeps_the_box_and_what_it_holds(
    page: FletPageWithoutBrowser, app: AppState
) -> None:
    box = page.text_field(SEARCH)
    keys = [page.typed(box._i, TYPED[:n]) for n in range(1, 4)]
    await asyncio.sleep(0)
    app.notice = "Welcome, Ana"  # drawn above the filters, between two keys
    await asyncio.sleep(0)
    # The browser sends the next keys to the box it has until the redraw reaches it.
    keys += [page.typed(box._i, TYPED[:n]) for n in range(4, len(TYPED) + 1)]
    await asyncio.gather(*keys)
    await settled(page, app)
    assert app.search == TYPED
    assert page.text_field(SEARCH)._i == box._i  # the same box, not a new empty one
    assert page.text_field(SEARCH).value == TYPED
    assert page.values_sent() == []
