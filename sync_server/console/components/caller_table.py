"""Progress by caller: who holds how many households, what they did, when they last synced."""

from __future__ import annotations

import flet as ft

from app.core.reports import CallerProgress
from app.ui.guard import guarded

from ..context import use_tr
from ..timefmt import ago

COLUMNS = ("caller", "assigned", "attempted", "reached", "completed", "calls_today", "last_sync")
"""Each column's heading, a key under ``caller_table.``."""
WIDTHS = (170, 85, 85, 95, 95, 100, 110)


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
    tr = use_tr()
    rows: list[ft.Control] = [
        ft.Text(tr("caller_table.title"), size=17, weight=ft.FontWeight.BOLD),
        _row([tr(f"caller_table.{column}") for column in COLUMNS], bold=True),
    ]
    if not callers:
        rows.append(ft.Text(tr("caller_table.none"), italic=True))
    for caller in callers:
        synced = ago(caller.last_sync_at, tr=tr)
        rows.append(
            ft.Semantics(
                exclude_semantics=True,
                identifier=f"caller-progress-{caller.caller_id}",
                label=tr(
                    "caller_table.row",
                    name=caller.name,
                    assigned=caller.assigned,
                    attempted=caller.attempted,
                    reached=caller.reached,
                    completed=caller.completed,
                    calls=caller.calls_today,
                    synced=synced,
                ),
                content=_row(
                    [
                        caller.name
                        if caller.active
                        else tr("caller_table.inactive", name=caller.name),
                        tr.format(caller.assigned),
                        tr.format(caller.attempted),
                        tr.format(caller.reached),
                        tr.format(caller.completed),
                        tr.format(caller.calls_today),
                        synced,
                    ],
                    muted=not caller.active,
                ),
            )
        )
    return ft.Column(rows, spacing=6)
