"""Which number to call, the big button that dials it (``tel:``, caller-ID code first where
the phone dials one), and whether the family will see the caller's number."""

from __future__ import annotations

from functools import partial
from typing import Any

import flet as ft

from app.core.errors import PhonebankError
from app.services import CallSheet

from ..context import use_caller_app
from ..guard import guarded
from ..state import CallState
from ..theme import BIG_BUTTON, big_button_style
from .tap import chip
from .typed_field import TypedField


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
                        f"{phone.number} · {phone.label}"
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
    hours = sheet.hours
    if chosen is None:
        controls.append(ft.Text(tr("call.no_phone"), color=ft.Colors.ERROR))
    elif hours is None or hours.allowed or sheet.household.do_not_call:
        label = tr("call.call_button", number=chosen.number)
        controls.append(call_button(label, chosen.tel_link, disabled=sheet.household.do_not_call))
    elif sheet.campaign.calling_window.after_hours == "never":
        controls.append(call_button(tr("call.call_button", number=chosen.number), disabled=True))
        opens = tr.clock(hours.opens_at) if hours.opens_at else ""
        controls.append(ft.Text(tr("call.after_hours_never", time=opens), color=ft.Colors.ERROR))
    else:
        controls += outside_hours_call(sheet, call, chosen.number)
    prefix = sheet.campaign.caller_id_prefix
    if sheet.caller_id is not None and prefix:
        controls.append(
            ft.Semantics(
                identifier="caller-id-note",
                content=ft.Text(tr(f"call.caller_id_{sheet.caller_id}", code=prefix), size=13),
            )
        )
    return ft.Column(controls, spacing=8)


def call_button(
    label: str, url: str | None = None, *, disabled: bool = False, on_click: Any = None
) -> ft.Control:
    return ft.FilledButton(
        label,
        icon=ft.Icons.CALL,
        url=url,
        on_click=on_click,
        style=big_button_style(),
        width=10_000,
        height=BIG_BUTTON,
        disabled=disabled,
    )


def outside_hours_call(sheet: CallSheet, call: CallState, number: str) -> list[ft.Control]:
    """Outside the family's hours the call button first asks why; the reason goes with the
    outcome, and the session dials only once it has one."""
    services, app, tr = use_caller_app()
    if not call.outside_hours:
        return [
            call_button(
                tr("call.call_outside_hours", number=number),
                on_click=lambda: setattr(call, "outside_hours", True),
            )
        ]

    async def dial() -> None:
        reason = call.draft.outside_hours_reason.strip()
        try:
            link = services.active(app).dial(sheet.campaign.id, sheet.household.id, number, reason)
        except PhonebankError as problem:
            call.error = problem.message
            return
        call.error = None
        call.outside_hours_reason = reason
        await services.open_link(link)

    def typed(text: str) -> None:
        call.draft.outside_hours_reason = text

    return [
        ft.Semantics(
            identifier="outside-hours-reason",
            content=TypedField(
                call.draft.outside_hours_reason,
                typed,
                label=tr("call.outside_hours_reason"),
                multiline=True,
                max_length=200,
            ),
        ),
        call_button(tr("call.call_anyway", number=number), on_click=dial),
    ]
