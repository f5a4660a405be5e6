"""When the family gets in touch first: log that they called or texted back."""

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


@ft.component
@guarded
def InboundPanel(sheet: CallSheet, call: CallState) -> ft.Control:
    services, app, tr = use_caller_app()
    session = services.active(app)

    def log(channel: str) -> None:
        try:
            call.saved = session.log_inbound(
                sheet.campaign.id,
                sheet.household.id,
                channel,  # type: ignore[arg-type]
                notes=call.draft.notes,
            )
        except PhonebankError as problem:
            call.error = tr.error(problem)
            return
        app.changed()

    return ft.Column(
        [
            heading(tr("call.inbound"), 3, size=18),
            ft.Row(
                [
                    ft.OutlinedButton(
                        tr("call.inbound_call"),
                        icon=ft.Icons.PHONE_CALLBACK,
                        on_click=partial(log, "inbound_call"),
                        style=big_button_style(),
                    ),
                    ft.OutlinedButton(
                        tr("call.inbound_text"),
                        icon=ft.Icons.MARK_CHAT_READ,
                        on_click=partial(log, "inbound_text"),
                        style=big_button_style(),
                    ),
                ],
                wrap=True,
            ),
        ],
        spacing=8,
    )
