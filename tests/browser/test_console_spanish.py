"""The console in Spanish in a real browser: a browser set to es-MX opens the console in
Spanish at first start (the page's device locales), signs in with the Spanish form, and
sees the nav rail and the dashboard in Spanish; screenshots of two screens for issue 18."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.browser import LAPTOP, ConsolePage, hermetic_page
from tests.support.phone_bank import SUPERVISOR
from tests.support.running_banks import ConsoleBank

pytestmark = pytest.mark.browser


@pytest.fixture
def spanish_console(
    browser: Any, console_bank: ConsoleBank, request: pytest.FixtureRequest
) -> Iterator[ConsolePage]:
    with hermetic_page(browser, request, LAPTOP, "console-es-FAILED", locale="es-MX") as page:
        yield ConsolePage(page)


def test_a_spanish_browser_gets_the_console_in_spanish(
    spanish_console: ConsolePage, console_bank: ConsoleBank
) -> None:
    console = spanish_console
    console.open(console_bank.console_url)
    console.type_into("Nombre de usuario", SUPERVISOR[0])
    console.type_into("Contraseña", SUPERVISOR[1])
    console.tap("Iniciar sesión")
    console.by_id("nav-dashboard").wait_for()

    assert console.label("nav-dashboard") == "Panel"
    assert console.page.evaluate("document.documentElement.lang") == "es"  # a Spanish voice
    assert console.label("nav-follow_ups") == "Seguimientos"
    console.wait_name("total-households", "Familias: 0")
    assert console.label("total-attempted") == "Intentadas: 0"
    console.shot("console-es-01-dashboard")

    console.go("callers")
    console.wait_text("Agregar un voluntario")
    console.shot("console-es-02-callers")
