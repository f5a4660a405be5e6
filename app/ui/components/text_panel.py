"""Text the family a template in their language: logs it, then opens the phone's messaging
app with the text filled in (``sms:``). For a family that opted out the buttons are
locked and say why; "Do not text" records that opt-out (the end of a text conversation)."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.core.errors import PhonebankError
from app.services import CallSheet

from ..context import use_caller_app
from ..guard import guarded
from ..state import CallState
from ..theme import big_button_style
from .heading import heading
from .opt_out_button import OptOutButton


@ft.component
@guarded
def TextPanel(sheet: CallSheet, call: CallState) -> ft.Control:
    services, app, tr = use_caller_app()
    session = services.active(app)
    controls: list[ft.Control] = [heading(tr("call.texts"), 3, size=18)]
    locked = sheet.household.text_opt_out
    if locked:  # the buttons below stay, locked; this says why
        controls.append(
            ft.Semantics(
                identifier="text-locked",
                content=ft.Text(tr("call.text_opt_out"), color=ft.Colors.ERROR),
            )
        )
    if not sheet.text_options:
        controls += [ft.Text(tr("call.no_texts")), OptOutButton(sheet, "text")]
        return ft.Column(controls, spacing=8)

    async def send(template_id: str) -> None:
        try:
            saved = session.text_household(
                sheet.campaign.id, sheet.household.id, template_id, call.phone
            )
        except PhonebankError as problem:
            call.error = tr.error(problem)
            return
        call.saved = saved
        app.changed()
        if saved.link:
            await services.open_link(saved.link)

    if sheet.text_language:
        controls.append(
            ft.Text(
                tr("call.text_language", language=tr.language_name(sheet.text_language)), size=13
            )
        )
    for option in sheet.text_options:
        controls.append(
            ft.Column(
                [
                    ft.Semantics(
                        identifier=f"text-{option.template_id}",
                        content=ft.OutlinedButton(
                            tr("call.text_button", label=option.label),
                            icon=ft.Icons.SMS,
                            on_click=partial(send, option.template_id),
                            style=big_button_style(),
                            width=10_000,
                            disabled=locked,
                        ),
                    ),
                    ft.Text(option.body, size=13, color=ft.Colors.ON_SURFACE_VARIANT),
                ],
                spacing=4,
            )
        )
    controls.append(OptOutButton(sheet, "text"))
    return ft.Column(controls, spacing=8)
