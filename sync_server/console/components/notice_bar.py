"""One line the console uses to answer an action: done, or what went wrong and why."""

from __future__ import annotations

import flet as ft

from app.ui.guard import guarded

from ..context import use_state_of_console, use_tr


@ft.component
@guarded
def NoticeBar() -> ft.Control:
    state, tr = use_state_of_console(), use_tr()
    if not state.notice:
        return ft.Container(height=0)
    return ft.Container(
        content=ft.Row(
            [
                ft.Semantics(
                    identifier="notice",
                    label=state.notice,
                    live_region=True,
                    exclude_semantics=True,
                    expand=True,
                    content=ft.Text(state.notice, size=15),
                ),
                ft.IconButton(
                    ft.Icons.CLOSE, tooltip=tr("shell.dismiss"), on_click=lambda: state.tell(None)
                ),
            ]
        ),
        bgcolor=ft.Colors.TERTIARY_CONTAINER,
        padding=ft.Padding.symmetric(horizontal=14, vertical=6),
        border_radius=10,
    )
