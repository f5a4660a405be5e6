"""A referral: something someone must deliver or answer for the family (a follow-up)."""

from __future__ import annotations

import flet as ft

from app.core.errors import PhonebankError
from app.services import CallSheet

from ..context import use_caller_app
from ..guard import guarded
from ..state import CallState
from ..theme import big_button_style
from .typed_field import TypedField


@ft.component
@guarded
def ReferralForm(sheet: CallSheet, call: CallState) -> ft.Control:
    services, app, tr = use_caller_app()
    session = services.active(app)

    def typed(text: str) -> None:
        call.draft.referral = text

    def add() -> None:
        try:
            session.schedule_follow_up(
                sheet.campaign.id,
                sheet.household.id,
                None,
                detail=call.draft.referral,
                kind="referral",
            )
        except PhonebankError as problem:
            call.error = tr.error(problem)
            return
        call.draft.referral = ""
        call.referral_field += 1
        call.info = tr("call.referral_added")
        app.changed()

    controls: list[ft.Control] = [
        TypedField(
            call.draft.referral,
            typed,
            label=tr("call.referral"),
            multiline=True,
            key=f"referral-{call.referral_field}",
        ),
        ft.FilledTonalButton(
            tr("call.referral_add"), icon=ft.Icons.ADD_TASK, on_click=add, style=big_button_style()
        ),
    ]
    if call.info:
        controls.append(ft.Text(call.info, color=ft.Colors.PRIMARY))
    return ft.Column(controls, spacing=8)
