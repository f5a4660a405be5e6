"""A caller's day in a real browser: join, list, a call in Spanish, outcomes, a callback,
a completed survey, stats; then the server goes away, work piles up, and it all arrives."""

from __future__ import annotations

import re
import time

import pytest

from tests.support.browser import CallerAppProcess, FletPage
from tests.support.running_banks import PhoneBankServer

pytestmark = pytest.mark.browser


def join(phone: FletPage, code: str) -> None:
    phone.type_into("Invite code", code)
    phone.tap("Join")


def open_household(phone: FletPage, key: str) -> None:
    phone.top()
    phone.tap_id(f"household-hh-{key}")
    phone.by_id("script-panel").wait_for(state="attached")


def record(phone: FletPage, outcome: str) -> float:
    """Tap an outcome; the seconds from the tap until the screen says it is saved."""
    phone.reveal(phone.button(outcome))
    started = time.perf_counter()
    phone.tap(outcome)
    phone.by_id("outcome-saved").wait_for(state="attached")
    return time.perf_counter() - started


def back_to_list(phone: FletPage, *, via_next: bool = False) -> None:
    if via_next:  # "Next household" opens another family's screen first
        phone.tap("Siguiente familia")
        phone.by_id("outcome-saved").wait_for(state="detached")
        phone.by_id("script-panel").wait_for(state="attached")
        phone.top()
    phone.tap_id("call-back")
    phone.by_id("group-new").wait_for(state="attached")


def test_a_day_of_calls_online_then_offline(
    caller_app: CallerAppProcess, phone_bank: PhoneBankServer, caller_log: None, phone: FletPage
) -> None:
    phone.open(caller_app.url + "/")
    phone.wait_text("Join your phone bank")
    phone.shot("01-join")

    join(phone, "WRONG-CODE-0000")
    phone.by_id("join-error").wait_for()
    assert "wrong, already used or expired" in phone.by_id("join-error").inner_text()
    code_box = phone.page.get_by_role("textbox", name="Invite code")
    assert code_box.input_value() == "WRONG-CODE-0000"  # still there to correct
    phone.shot("02-join-wrong-code")

    join(phone, phone_bank.invite())
    phone.by_id("household-hh-garcia").wait_for()
    assert phone.by_id("group-new").inner_text().strip() == "New (8)"
    phone.shot("03-my-list")

    # The caller prefers Spanish for the app too.
    phone.page.get_by_role("tab", name="Settings").click()
    phone.tap_id("ui-language-es")
    phone.wait_text("Idioma de la aplicación")
    phone.page.get_by_role("tab", name="Mi lista").click()

    open_household(phone, "garcia")
    phone.shot("04-call-screen-spanish")
    # The script in Spanish, placeholders filled, and the family's no-device section:
    phone.reveal(
        phone.text(
            re.compile("Le habla Ana Reyes, del equipo de apoyo a las familias de Oakland Unified")
        )
    )
    phone.reveal(phone.text("Cómo conseguir una Chromebook"))

    seconds = record(phone, "No contestó")
    print(f"\ntap → saved (no answer), in the browser: {seconds * 1000:.0f} ms")
    phone.shot("05-outcome-saved")
    back_to_list(phone, via_next=True)
    assert phone.by_id("group-retry").inner_text().strip() == "Intentar más tarde (1)"

    # A callback: the second tap says when.
    open_household(phone, "garcia")
    phone.tap("Más resultados")
    phone.tap("Llamar más tarde")
    phone.tap_id("callback-in_1_hour")
    phone.by_id("outcome-saved").wait_for()
    back_to_list(phone)
    assert phone.by_id("group-callback").inner_text().strip() == "Devolver llamada (1)"
    phone.page.get_by_role("tab", name="Seguimientos").click()
    phone.wait_text("Mis seguimientos")
    phone.reveal(phone.text("García family"))
    phone.shot("06-follow-ups")
    phone.page.get_by_role("tab", name="Mi lista").click()

    # Reached: the survey answered, then "done".
    open_household(phone, "garcia")
    phone.tap_id("answer-every-student-has-device-yes")
    phone.tap_id("answer-internet-at-home-2")
    phone.type_into("Escriba un número", "2")
    phone.shot("07-survey-answered")
    record(phone, "Contactado — completo")
    back_to_list(phone)
    assert phone.by_id("group-done").inner_text().strip() == "Terminadas (1)"
    assert phone.by_id("group-callback").count() == 0
    phone.shot("08-list-regrouped")

    phone.page.get_by_role("tab", name="Mis números").click()
    phone.by_id("stats-today-calls").wait_for()
    assert phone.label("stats-today-calls").startswith("Llamadas: 3")
    assert phone.label("stats-today-conversations").startswith("Conversaciones: 2")
    assert phone.label("stats-today-completed").startswith("Completadas: 1")
    phone.shot("09-my-stats")
    phone.page.get_by_role("tab", name="Mi lista").click()

    # The server goes away once it has the three outcomes: later ones are saved, and wait.
    phone_bank.rows_once_sent("SELECT seq FROM events WHERE kind = 'outcome_recorded'", count=3)
    phone_bank.stop()
    for family in ("smith", "brown"):
        open_household(phone, family)
        record(phone, "No contestó")
        back_to_list(phone)
    phone.wait_label("sync-badge", "Sin conexión · 2 pendientes")
    phone.tap_id("sync-badge")
    phone.wait_text("Por enviar: 2")
    phone.shot("10-offline-pending-2")

    phone_bank.restart()
    phone.tap("Sincronizar ahora")
    phone.wait_label("sync-badge", r"Sincronizado \d")
    assert "pendientes" not in phone.label("sync-badge")
    phone.shot("11-back-online-synced")

    outcomes = phone_bank.rows(
        "SELECT household_id, disposition, channel, payload FROM events "
        "WHERE kind = 'outcome_recorded' ORDER BY seq"
    )
    assert [(row["household_id"], row["disposition"]) for row in outcomes] == [
        ("hh-garcia", "no_answer"),
        ("hh-garcia", "call_back_later"),
        ("hh-garcia", "reached_complete"),
        ("hh-smith", "no_answer"),
        ("hh-brown", "no_answer"),
    ]
    assert '"every-student-has-device":true' in outcomes[2]["payload"].replace(" ", "")
    assert '"student-count":2' in outcomes[2]["payload"].replace(" ", "")

    # Search keeps every letter typed, and narrows the list.
    phone.tap("Cerrar")
    phone.top()
    phone.type_into("Buscar por nombre, idioma o necesidad", "nguyen family")
    phone.by_id("household-hh-garcia").wait_for(state="detached")
    assert phone.by_id("household-hh-nguyen").count() == 1
