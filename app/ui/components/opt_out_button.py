""" "Do not call" / "Do not text": the family asks not to be reached one way. One tap asks
to confirm, the second records it; the call screen locks that way at once (the session
refuses it too) and the server learns it at the next sync."""

from __future__ import annotations

import flet as ft

from app.core.effects import opted_out
from app.core.errors import PhonebankError
from app.core.events import OptOutChannel
from app.services import CallSheet

from ..context import use_caller_app
from ..guard import guarded
from ..theme import big_button_style

_ICONS = {"call": ft.Icons.PHONE_DISABLED, "text": ft.Icons.SPEAKER_NOTES_OFF}


@ft.component
@guarded
def OptOutButton(sheet: CallSheet, channel: OptOutChannel) -> ft.Control:
    services, app, tr = use_caller_app()
    confirming, set_confirming = ft.use_state(False)
    problem, set_problem = ft.use_state("")
    if opted_out(sheet.household, channel):
        return ft.Container()  # the screen says why that way is locked

    def confirm() -> None:
        try:
            services.active(app).opt_out(sheet.campaign.id, sheet.household.id, channel)
        except PhonebankError as error:
            set_problem(tr.error(error))
            return
        set_confirming(False)
        app.changed()

    if not confirming:
        return ft.Semantics(
            identifier=f"opt-out-{channel}",
            content=ft.OutlinedButton(
                tr(f"opt_out.{channel}"),
                icon=_ICONS[channel],
                on_click=lambda: set_confirming(True),
                style=big_button_style(),
            ),
        )
    controls: list[ft.Control] = [
        ft.Text(tr(f"opt_out.{channel}_confirm_question"), size=15, weight=ft.FontWeight.W_600),
        ft.Row(
            [
                ft.Semantics(
                    identifier=f"opt-out-{channel}-confirm",
                    content=ft.FilledButton(
                        tr(f"opt_out.{channel}_confirm"),
                        icon=_ICONS[channel],
                        on_click=confirm,
                        style=big_button_style(),
                    ),
                ),
                ft.Semantics(
                    identifier=f"opt-out-{channel}-cancel",
                    content=ft.TextButton(
                        tr("call.cancel"),
                        on_click=lambda: set_confirming(False),
                        style=big_button_style(),
                    ),
                ),
            ],
            wrap=True,
        ),
    ]
    if problem:
        controls.append(ft.Text(problem, color=ft.Colors.ERROR))
    return ft.Container(
        content=ft.Column(controls, spacing=8),
        padding=12,
        border_radius=12,
        bgcolor=ft.Colors.ERROR_CONTAINER,
    )
