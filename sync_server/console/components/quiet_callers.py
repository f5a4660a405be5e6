"""Callers who have gone quiet while holding households: the supervisor may rebalance."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.core.reports import QuietCaller
from app.ui.guard import guarded

from ..context import use_tr
from ..theme import labelled, outlined_button
from ..timefmt import ago


@ft.component
@guarded
def QuietCallers(
    quiet: list[QuietCaller], days: int, on_rebalance: Callable[[], Any]
) -> ft.Control:
    tr = use_tr()
    rows: list[ft.Control] = [
        ft.Text(tr("quiet.title", count=days), size=17, weight=ft.FontWeight.BOLD)
    ]
    if not quiet:
        rows.append(ft.Text(tr("quiet.nobody"), italic=True))
        return ft.Column(rows, spacing=6)
    for caller in quiet:
        reason = (
            tr("quiet.inactive")
            if not caller.active
            else tr("quiet.last_sync", when=ago(caller.last_sync_at, tr=tr))
        )
        text = tr("quiet.row", name=caller.name, count=caller.assigned, reason=reason)
        rows.append(
            labelled(
                f"quiet-{caller.caller_id}",
                text,
                text,
                size=14,
            )
        )
    rows.append(
        outlined_button(tr("quiet.rebalance"), icon=ft.Icons.BALANCE, on_click=on_rebalance)
    )
    return ft.Column(rows, spacing=6)
