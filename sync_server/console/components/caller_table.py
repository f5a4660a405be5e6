"""Progress by caller: who holds how many households, what they did, when they last synced."""

from __future__ import annotations

import flet as ft

from app.core.reports import CallerProgress
from app.ui.guard import guarded

from ..timefmt import ago

COLUMNS = ("Caller", "Assigned", "Attempted", "Reached", "Completed", "Calls today", "Last sync")
WIDTHS = (170, 80, 85, 75, 90, 90, 110)


def _row(cells: list[str], *, bold: bool = False, muted: bool = False) -> ft.Control:
    return ft.Row(
        [
            ft.Text(
                cell,
                width=width,
                size=14,
                weight=ft.FontWeight.BOLD if bold else None,
                color=ft.Colors.ON_SURFACE_VARIANT if muted else None,
                no_wrap=True,
            )
            for cell, width in zip(cells, WIDTHS, strict=True)
        ],
        spacing=8,
    )


@ft.component
@guarded
def CallerTable(callers: list[CallerProgress]) -> ft.Control:
    rows: list[ft.Control] = [
        ft.Text("By caller", size=17, weight=ft.FontWeight.BOLD),
        _row(list(COLUMNS), bold=True),
    ]
    if not callers:
        rows.append(ft.Text("No caller holds households in this campaign yet.", italic=True))
    for caller in callers:
        synced = ago(caller.last_sync_at)
        rows.append(
            ft.Semantics(
                exclude_semantics=True,
                identifier=f"caller-progress-{caller.caller_id}",
                label=(
                    f"{caller.name}: {caller.assigned} assigned, {caller.attempted} attempted, "
                    f"{caller.reached} reached, {caller.completed} completed, "
                    f"{caller.calls_today} calls today, last sync {synced}"
                ),
                content=_row(
                    [
                        caller.name + ("" if caller.active else " (inactive)"),
                        str(caller.assigned),
                        str(caller.attempted),
                        str(caller.reached),
                        str(caller.completed),
                        str(caller.calls_today),
                        synced,
                    ],
                    muted=not caller.active,
                ),
            )
        )
    return ft.Column(rows, spacing=6)
