"""After a tap: what was saved, and "Next household" to keep going."""

from __future__ import annotations

import flet as ft

from app.services import CallSheet, SavedOutcome

from ..call_actions import open_next
from ..context import use_caller_app
from ..guard import guarded
from ..theme import BIG_BUTTON
from .button_pair import ButtonChoice, button_pair


@ft.component
@guarded
def SavedPanel(sheet: CallSheet, saved: SavedOutcome) -> ft.Control:
    services, app, tr = use_caller_app()
    none_left, set_none_left = ft.use_state("")

    def next_household() -> None:
        if not open_next(services, app, sheet):
            opening = services.active(app).next_opening(after=sheet.key)
            set_none_left(
                tr("call.no_next_until", time=tr.clock(opening)) if opening else tr("call.no_next")
            )

    controls: list[ft.Control] = [
        ft.Row(
            [
                ft.Icon(ft.Icons.CHECK_CIRCLE, color=ft.Colors.PRIMARY, size=28),
                ft.Text(
                    tr("call.saved", outcome=tr.outcome(saved.disposition)),
                    size=18,
                    weight=ft.FontWeight.BOLD,
                    expand=True,
                ),
            ]
        ),
        # Practice keeps nothing: saying "it will sync" there would be untrue.
        ft.Text(tr("call.saved_practice" if app.practice else "call.saved_time"), size=14),
        *button_pair(
            ButtonChoice(
                tr("call.next"), ft.Icons.ARROW_FORWARD, next_household, height=BIG_BUTTON
            ),
            ButtonChoice(tr("call.back"), ft.Icons.LIST, lambda: app.go("list")),
        ),
    ]
    if none_left:
        controls.append(ft.Text(none_left, size=16))
    return ft.Semantics(
        identifier="outcome-saved",
        container=True,
        live_region=True,
        content=ft.Container(
            content=ft.Column(controls, spacing=10),
            padding=14,
            border_radius=12,
            bgcolor=ft.Colors.PRIMARY_CONTAINER,
        ),
    )
