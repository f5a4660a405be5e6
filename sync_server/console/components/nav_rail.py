"""The console's screens, down the left side; the current one is marked."""

from __future__ import annotations

import flet as ft

from app.ui.components.tap import tap
from app.ui.guard import guarded

from ..context import use_state_of_console
from ..state import SCREENS, Screen

ICONS: dict[Screen, ft.IconData] = {
    "dashboard": ft.Icons.INSIGHTS,
    "import": ft.Icons.UPLOAD_FILE,
    "targeting": ft.Icons.FILTER_ALT,
    "assignment": ft.Icons.ASSIGNMENT_IND,
    "campaigns": ft.Icons.CAMPAIGN,
    "callers": ft.Icons.PEOPLE,
    "follow_ups": ft.Icons.EVENT_NOTE,
    "quarantine": ft.Icons.REPORT,
}


@ft.component
@guarded
def NavRail() -> ft.Control:
    state = use_state_of_console()

    def item(screen: Screen, title: str) -> ft.Control:
        current = state.screen == screen
        return tap(
            ft.Row(
                [
                    ft.Icon(ICONS[screen], color=ft.Colors.PRIMARY if current else None),
                    ft.Text(title, size=15, weight=ft.FontWeight.BOLD if current else None),
                ],
                spacing=12,
            ),
            lambda: state.go(screen),
            label=title,
            identifier=f"nav-{screen}",
            selected=current,
            bgcolor=ft.Colors.SECONDARY_CONTAINER if current else None,
            height=52,
        )

    return ft.Container(
        content=ft.Column([item(screen, title) for screen, title in SCREENS], spacing=4),
        width=230,
        padding=ft.Padding.symmetric(horizontal=10, vertical=12),
    )
