"""The console in the supervisor's language, drawn without a browser (tests/support/
flet_client.py): the sign-in, the nav rail and the dashboard in Spanish; the language menu
switches it, and remembers the choice."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import flet as ft
import pytest

from sync_server.console.app import ConsoleApp
from sync_server.console.context import Console
from sync_server.console.state import ConsoleState
from sync_server.db import Store
from tests.support.console import SignedInConsole
from tests.support.flet_client import FletPageWithoutBrowser

pytestmark = pytest.mark.anyio


@pytest.fixture
def signed_in(tmp_path: Path) -> Iterator[SignedInConsole]:
    store = Store(tmp_path / "phonebank.sqlite")
    yield SignedInConsole.seed(store)
    store.close()


def _console(signed_in: SignedInConsole, tmp_path: Path, remembered: list[str]) -> Console:
    async def remember_language(language: str) -> None:
        remembered.append(language)

    return Console(
        service=signed_in.service,
        base_path="/console",
        invite_base_url="http://phonebank.test",
        upload_dir=tmp_path,
        upload_url=lambda name: name,
        remember_language=remember_language,
    )


def _labels(page: FletPageWithoutBrowser) -> dict[str, str]:
    """Each identified control's label (or text) by its identifier."""
    found: dict[str, str] = {}
    for control in page.controls():
        identifier = getattr(control, "identifier", None)
        if identifier:
            found[str(identifier)] = str(getattr(control, "label", None) or "")
    return found


def _texts(page: FletPageWithoutBrowser) -> set[str]:
    """Every text drawn, a button's words included."""
    texts = {str(c.value) for c in page.controls() if isinstance(c, ft.Text) and c.value}
    words = (
        getattr(c, "content", None)
        for c in page.controls()
        if isinstance(c, ft.Button | ft.TextButton)
    )
    return texts | {word for word in words if isinstance(word, str)}


async def _drawn(page: FletPageWithoutBrowser, identifier: str, label: str) -> dict[str, str]:
    """The page's labels once ``identifier`` reads ``label`` (or after 5 s)."""
    for _ in range(500):
        await asyncio.sleep(0.01)
        if (labels := _labels(page)).get(identifier) == label:
            return labels
    return _labels(page)


async def test_a_spanish_supervisor_sees_the_nav_and_dashboard_in_spanish(
    signed_in: SignedInConsole, tmp_path: Path
) -> None:
    page = FletPageWithoutBrowser()
    state = ConsoleState(ui_language="es", campaign_id=signed_in.campaign_id)
    state.signed_in_as("supervisor")
    page.render(ConsoleApp, _console(signed_in, tmp_path, []), state)

    labels = await _drawn(page, "total-households", "Familias: 0")
    assert labels["total-households"] == "Familias: 0"
    assert labels["nav-dashboard"] == "Panel"
    assert labels["nav-follow_ups"] == "Seguimientos"
    assert labels["total-attempted"] == "Intentadas: 0"
    texts = _texts(page)
    assert {"Cerrar sesión", "Calidad de los datos", "Por voluntario"} <= texts
    assert not {"Sign out", "Data quality", "By caller", "Dashboard"} & texts


async def test_the_language_menu_switches_the_console_and_remembers_the_choice(
    signed_in: SignedInConsole, tmp_path: Path
) -> None:
    page = FletPageWithoutBrowser()
    remembered: list[str] = []
    state = ConsoleState(campaign_id=signed_in.campaign_id)
    state.signed_in_as("supervisor")
    page.render(ConsoleApp, _console(signed_in, tmp_path, remembered), state)
    assert (await _drawn(page, "total-households", "Households: 0"))["nav-dashboard"] == "Dashboard"

    menu = next(c for c in page.controls() if isinstance(c, ft.PopupMenuButton))
    assert menu.tooltip == "Language"
    spanish = next(item for item in menu.items if item.content == "Español")
    await page.session.dispatch_event(spanish._i, "click", None)

    labels = await _drawn(page, "total-households", "Familias: 0")
    assert labels["nav-dashboard"] == "Panel"
    assert remembered == ["es"]


async def test_the_sign_in_asks_in_spanish(signed_in: SignedInConsole, tmp_path: Path) -> None:
    page = FletPageWithoutBrowser()
    page.render(ConsoleApp, _console(signed_in, tmp_path, []), ConsoleState(ui_language="es"))
    await asyncio.sleep(0)
    assert page.text_field("Nombre de usuario") and page.text_field("Contraseña")
    assert "Inicie sesión como supervisor/a." in _texts(page)
