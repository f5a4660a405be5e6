"""Which number to call, and the big button that dials it (``tel:``, caller-ID prefix)."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.core.bidi import isolate, phone_number
from app.services import CallSheet

from ..context import use_caller_app
from ..guard import guarded
from ..state import CallState
from ..theme import BIG_BUTTON, big_button_style
from .tap import chip


@ft.component
@guarded
def PhonePicker(sheet: CallSheet, call: CallState) -> ft.Control:
    tr = use_caller_app().tr
    working = [phone for phone in sheet.phones if not phone.bad]
    chosen = next((p for p in working if p.number == call.phone), working[0] if working else None)
    controls: list[ft.Control] = []
    if len(sheet.phones) > 1:
        controls.append(ft.Text(tr("call.phone_choice"), size=14))
        controls.append(
            ft.Row(
                [
                    chip(
                        # Each part in its own direction: "+1510… · عبد الله" stays in order.
                        f"{phone_number(phone.number)} · {isolate(tr.phone_label(phone.label))}"
                        + (f" ({tr('call.bad_number')})" if phone.bad else ""),
                        None if phone.bad else partial(call.choose_phone, phone.number),
                        selected=chosen is not None and phone.number == chosen.number,
                        identifier=f"phone-{phone.number}",
                    )
                    for phone in sheet.phones
                ],
                wrap=True,
                spacing=6,
            )
        )
    if chosen is None:
        controls.append(ft.Text(tr("call.no_phone"), color=ft.Colors.ERROR))
    else:
        controls.append(
            ft.FilledButton(
                tr("call.call_button", number=phone_number(chosen.number)),
                icon=ft.Icons.CALL,
                url=chosen.tel_link,
                style=big_button_style(),
                width=10_000,
                height=BIG_BUTTON,
                disabled=sheet.household.do_not_call,
            )
        )
    return ft.Column(controls, spacing=8)
