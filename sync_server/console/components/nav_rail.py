"""The console's screens, down the left side; the current one is marked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import flet as ft

from app.ui.components.tap import tap
from app.ui.guard import guarded

from ..context import use_state_of_console, use_tr


class NavEntry(Protocol):
    """What the rail shows of a screen (``views.screens.Screen`` is one)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def icon(self) -> ft.IconData: ...


@ft.component
@guarded
def NavRail(screens: Sequence[NavEntry]) -> ft.Control:
    state, tr = use_state_of_console(), use_tr()

    def item(screen: NavEntry) -> ft.Control:
        current = state.screen == screen.id
        title = tr(screen.title)
        return tap(
            ft.Row(
                [
                    ft.Icon(screen.icon, color=ft.Colors.PRIMARY if current else None),
                    ft.Text(title, size=15, weight=ft.FontWeight.BOLD if current else None),
                ],
                spacing=12,
            ),
            lambda: state.go(screen.id),
            label=title,
            identifier=f"nav-{screen.id}",
            selected=current,
            bgcolor=ft.Colors.SECONDARY_CONTAINER if current else None,
            height=52,
        )

    return ft.Container(
        content=ft.Column([item(screen) for screen in screens], spacing=4),
        width=230,
        padding=ft.Padding.symmetric(horizontal=10, vertical=12),
    )
