"""Rows of text under a title: shown whole when few, else collapsed to the title (which
holds the count) with a button to open them."""

from __future__ import annotations

import flet as ft

from app.ui.guard import guarded

from ..context import use_tr
from ..theme import labelled, outlined_button

OPEN_UP_TO = 5
SHOWN_AT_MOST = 1000  # more would make the page slow; the report's CSV holds every row


@ft.component
@guarded
def CollapsibleRows(
    identifier: str, title: str, lines: list[tuple[int, str]], colour: ft.ColorValue | None
) -> ft.Control:
    tr = use_tr()
    opened, set_opened = ft.use_state(len(lines) <= OPEN_UP_TO)
    controls: list[ft.Control] = [
        labelled(identifier, title, title, size=16, weight=ft.FontWeight.W_600)
    ]
    if len(lines) > OPEN_UP_TO:
        controls.append(
            outlined_button(
                tr("rows.hide") if opened else tr("rows.show_all", count=len(lines)),
                icon=ft.Icons.EXPAND_LESS if opened else ft.Icons.EXPAND_MORE,
                on_click=lambda: set_opened(not opened),
            )
        )
    if opened:
        for line, text in lines[:SHOWN_AT_MOST]:
            controls.append(labelled(f"{identifier}-{line}", text, text, size=14, color=colour))
        if len(lines) > SHOWN_AT_MOST:
            rest = len(lines) - SHOWN_AT_MOST
            controls.append(ft.Text(tr("rows.more", count=rest)))
    return ft.Column(controls, spacing=4)
