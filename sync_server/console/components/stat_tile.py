"""One figure of the dashboard, big, with what it counts; a screen reader reads both."""

from __future__ import annotations

import flet as ft

from ..theme import quiet_text


def stat_tile(key: str, title: str, value: str, *, hint: str | None = None) -> ft.Control:
    """A plain function: the figure's identifier is ``total-{key}``, its label ``title: value``."""
    lines: list[ft.Control] = [
        ft.Text(value, size=30, weight=ft.FontWeight.BOLD),
        ft.Text(title, size=14),
    ]
    if hint:
        lines.append(quiet_text(hint, size=12))
    return ft.Semantics(
        exclude_semantics=True,
        identifier=f"total-{key}",
        label=f"{title}: {value}",
        content=ft.Container(
            content=ft.Column(lines, spacing=2, tight=True),
            padding=14,
            border_radius=12,
            bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
            width=158,
            height=118,
        ),
    )
