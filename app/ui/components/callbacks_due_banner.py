"""The banner on my list when callbacks are due: how many, and the way to them."""

from __future__ import annotations

import flet as ft

from ..context import use_caller_app
from ..guard import guarded


@ft.component
@guarded
def CallbacksDueBanner(count: int) -> ft.Control:
    _, app, tr = use_caller_app()
    return ft.Semantics(
        identifier="callbacks-due",
        container=True,
        live_region=True,
        content=ft.Container(
            content=ft.Row(
                [
                    ft.Icon(ft.Icons.ALARM, color=ft.Colors.ON_TERTIARY_CONTAINER),
                    ft.Text(tr("list.callbacks_due", count=count), size=16, expand=True),
                    ft.TextButton(tr("list.see_follow_ups"), on_click=lambda: app.go("follow_ups")),
                ],
            ),
            bgcolor=ft.Colors.TERTIARY_CONTAINER,
            padding=ft.Padding.symmetric(horizontal=12, vertical=8),
            border_radius=12,
        ),
    )
