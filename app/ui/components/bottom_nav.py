"""The tabs at the bottom of a phone: my list, follow-ups (with how many callbacks are due),
stats, settings."""

from __future__ import annotations

import flet as ft

from ..context import use_caller_app
from ..guard import guarded
from ..state import Screen

TABS: tuple[tuple[Screen, str, ft.IconData], ...] = (
    ("list", "nav.list", ft.Icons.LIST_ALT),
    ("follow_ups", "nav.follow_ups", ft.Icons.EVENT_NOTE),
    ("stats", "nav.stats", ft.Icons.INSIGHTS),
    ("settings", "nav.settings", ft.Icons.SETTINGS),
)


@ft.component
@guarded
def BottomNav() -> ft.Control:
    services, app, tr = use_caller_app()
    due = services.active(app).callbacks_due()
    screens = [screen for screen, _, _ in TABS]
    current = screens.index(app.screen) if app.screen in screens else 0

    def change(e: ft.Event[ft.NavigationBar]) -> None:
        app.go(screens[int(e.control.selected_index)])

    return ft.NavigationBar(
        selected_index=current,
        on_change=change,
        # Flutter gives each destination a tooltip repeating its label, shown on hover or a
        # long press and left on screen after the tap on a phone's browser. The label is
        # always shown and is what screen readers say: an empty tooltip means none.
        destinations=[
            ft.NavigationBarDestination(
                icon=ft.Icon(icon, badge=str(due) if due and screen == "follow_ups" else None),
                label=tr(key),
                tooltip="",
            )
            for screen, key, icon in TABS
        ],
    )
