"""Callers who have gone quiet while holding households: the supervisor may rebalance."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.core.reports import QuietCaller
from app.ui.guard import guarded

from ..theme import labelled, outlined_button
from ..timefmt import ago


@ft.component
@guarded
def QuietCallers(
    quiet: list[QuietCaller], days: int, on_rebalance: Callable[[], Any]
) -> ft.Control:
    rows: list[ft.Control] = [
        ft.Text(f"Gone quiet (no sync or call for {days} days)", size=17, weight=ft.FontWeight.BOLD)
    ]
    if not quiet:
        rows.append(ft.Text("Nobody: every caller holding households is active.", italic=True))
        return ft.Column(rows, spacing=6)
    for caller in quiet:
        reason = "made inactive" if not caller.active else f"last sync {ago(caller.last_sync_at)}"
        rows.append(
            labelled(
                f"quiet-{caller.caller_id}",
                f"{caller.name}: {caller.assigned} households, {reason}",
                f"{caller.name} — {caller.assigned} households, {reason}",
                size=14,
            )
        )
    rows.append(
        outlined_button("Rebalance their households", icon=ft.Icons.BALANCE, on_click=on_rebalance)
    )
    return ft.Column(rows, spacing=6)
