"""One group of "My list" (callbacks, new, retry later, done), a page of rows at a time."""

from __future__ import annotations

import flet as ft

from app.services import ListGroup

from ..context import use_caller_app
from ..guard import guarded
from .household_row import HouseholdRow

PAGE = 25
"""Rows drawn at first: a phone shows a handful, and hundreds would slow every redraw."""


@ft.component
@guarded
def HouseholdGroup(group: ListGroup) -> ft.Control:
    tr = use_caller_app().tr
    shown, set_shown = ft.use_state(PAGE)
    rows = group.rows[:shown]
    controls: list[ft.Control] = [
        ft.Semantics(
            identifier=f"group-{group.group}",
            header=True,
            heading_level=3,
            content=ft.Text(
                f"{tr(f'list.group.{group.group}')} ({len(group.rows)})",
                size=16,
                weight=ft.FontWeight.BOLD,
                color=ft.Colors.PRIMARY,
            ),
        ),
        *(HouseholdRow(row, key=f"{row.campaign_id}:{row.household_id}") for row in rows),  # type: ignore[call-arg]
    ]
    hidden = len(group.rows) - len(rows)
    if hidden > 0:
        controls.append(
            ft.TextButton(
                tr("list.show_more", count=min(hidden, PAGE)),
                on_click=lambda: set_shown(shown + PAGE),
            )
        )
    return ft.Column(controls, spacing=6)
