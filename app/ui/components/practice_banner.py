"""The unmistakable mark of practice mode, with the way out."""

from __future__ import annotations

import flet as ft

from ..context import use_caller_app
from ..guard import guarded


@ft.component
@guarded
def PracticeBanner() -> ft.Control:
    services, app, tr = use_caller_app()

    def leave() -> None:
        services.end_practice()
        app.stop_practice(services.session.joined)

    return ft.Semantics(
        identifier="practice-banner",
        container=True,
        content=ft.Container(
            bgcolor=ft.Colors.AMBER_200,
            padding=ft.Padding.symmetric(horizontal=12, vertical=6),
            border_radius=10,
            content=ft.Row(
                [
                    ft.Icon(ft.Icons.SCHOOL, color=ft.Colors.BLACK),
                    ft.Text(
                        tr("app.practice_banner"),
                        color=ft.Colors.BLACK,
                        expand=True,
                        weight=ft.FontWeight.W_600,
                    ),
                    ft.TextButton(tr("app.practice_exit"), on_click=leave),
                ],
            ),
        ),
    )
