"""The one extra question some outcomes ask: when to call back, which language the family
needs, or which number was wrong."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.core.calling_hours import household_zone
from app.core.errors import PhonebankError
from app.core.models import Disposition
from app.services import CallSheet, parse_callback_time

from ..call_actions import record
from ..context import use_caller_app
from ..guard import guarded
from ..state import CallState
from ..theme import big_button_style
from .tap import chip, chip_group
from .typed_field import TypedField


@ft.component
@guarded
def SecondTap(sheet: CallSheet, call: CallState, disposition: Disposition) -> ft.Control:
    services, app, tr = use_caller_app()
    session = services.active(app)
    code = disposition.code
    controls: list[ft.Control] = []

    def save(_event: object = None, **detail: object) -> None:
        record(services, app, call, sheet, code, **detail)

    if disposition.asks_for == "callback_time":

        def custom_time() -> None:
            zone = household_zone(sheet.household.timezone, sheet.campaign.timezone)
            try:
                due = parse_callback_time(call.draft.custom_time, session.clock(), zone)
            except PhonebankError as problem:
                call.error = tr.error(problem)
                return
            record(services, app, call, sheet, code, callback_at=due)

        def typed(text: str) -> None:
            call.draft.custom_time = text

        chips = [
            chip(
                tr(f"call.callback.{choice.key}"),
                partial(save, callback_at=choice.due_at),
                selected=False,
                identifier=f"callback-{choice.key}",
            )
            for choice in sheet.callback_choices
        ]
        controls += chip_group(tr("call.when_callback"), chips)
        controls.append(
            ft.Row(
                [
                    TypedField(
                        call.draft.custom_time,
                        typed,
                        label=tr("call.callback.custom"),
                        on_submit=custom_time,
                        expand=True,
                    ),
                    ft.FilledTonalButton(
                        tr("call.callback.custom_save"),
                        on_click=custom_time,
                        style=big_button_style(),
                    ),
                ],
                wrap=True,
            )
        )
    elif disposition.asks_for == "language":
        chips = [
            chip(
                tr.language_label(language),
                partial(save, language_needed=language),
                selected=False,
                identifier=f"needs-language-{language}",
            )
            for language in sheet.language_choices
        ]
        controls += chip_group(tr("call.which_language"), chips)
    elif disposition.asks_for == "bad_number":
        chips = [
            chip(
                phone.number,
                partial(save, phone=phone.number),
                selected=phone.number == call.phone,
                identifier=f"bad-number-{phone.number}",
            )
            for phone in sheet.phones
            if not phone.bad
        ]
        controls += chip_group(tr("call.which_number"), chips)
    controls.append(
        ft.TextButton(tr("call.cancel"), on_click=lambda: setattr(call, "asking", None))
    )
    return ft.Container(
        content=ft.Column(controls, spacing=8),
        padding=12,
        border_radius=12,
        bgcolor=ft.Colors.SECONDARY_CONTAINER,
    )
