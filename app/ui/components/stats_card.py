"""Calls, conversations and completions for one period."""

from __future__ import annotations

import flet as ft

from app.store import Tally

from ..context import use_caller_app
from ..guard import guarded
from .heading import heading


@ft.component
@guarded
def StatsCard(title: str, tally: Tally, period: str) -> ft.Control:
    tr = use_caller_app().tr

    def figure(key: str, value: int) -> ft.Control:
        return ft.Semantics(
            identifier=f"stats-{period}-{key}",
            label=f"{tr(f'stats.{key}')}: {value}",
            content=ft.Column(
                [
                    ft.Text(str(value), size=30, weight=ft.FontWeight.BOLD),
                    ft.Text(tr(f"stats.{key}"), size=12, text_align=ft.TextAlign.CENTER),
                ],
                horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                spacing=0,
            ),
            expand=True,
        )

    return ft.Container(
        content=ft.Column(
            [
                heading(title, 3, size=18),
                ft.Row(
                    [
                        figure("calls", tally.calls),
                        figure("conversations", tally.conversations),
                        figure("completed", tally.completed),
                    ],
                ),
            ]
        ),
        padding=14,
        border_radius=12,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
    )
