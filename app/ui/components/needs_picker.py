"""Needs found on the call and resources shared: tap to tick, tap again to untick."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.services import CallSheet

from ..context import use_caller_app
from ..guard import guarded
from ..state import CallState
from .tap import chip


@ft.component
@guarded
def NeedsPicker(sheet: CallSheet, call: CallState) -> ft.Control:
    tr = use_caller_app().tr
    controls: list[ft.Control] = []
    if sheet.needs:
        controls += [
            ft.Text(tr("call.needs"), size=16, weight=ft.FontWeight.W_600),
            ft.Row(
                [
                    chip(
                        need,
                        partial(call.toggle, "needs", need),
                        selected=need in call.needs,
                        identifier=f"need-{need}",
                    )
                    for need in sheet.needs
                ],
                wrap=True,
                spacing=6,
                run_spacing=6,
            ),
        ]
    if sheet.resources:
        controls += [
            ft.Text(tr("call.resources"), size=16, weight=ft.FontWeight.W_600),
            ft.Row(
                [
                    chip(
                        title,
                        partial(call.toggle, "resources", section_id),
                        selected=section_id in call.resources,
                        identifier=f"resource-{section_id}",
                    )
                    for section_id, title in sheet.resources
                ],
                wrap=True,
                spacing=6,
                run_spacing=6,
            ),
        ]
    return ft.Column(controls, spacing=8)
