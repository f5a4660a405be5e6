"""Needs found on the call and resources shared: tap to tick, tap again to untick."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.services import CallSheet

from ..context import use_caller_app
from ..guard import guarded
from ..state import CallState
from .tap import chip, chip_group


@ft.component
@guarded
def NeedsPicker(sheet: CallSheet, call: CallState) -> ft.Control:
    tr = use_caller_app().tr

    def ticks(
        heading: str, which: str, kind: str, items: tuple[tuple[str, str], ...]
    ) -> list[ft.Control]:
        """``items`` are (id, name); ``which`` is the CallState list the ticked ids are in."""
        if not items:
            return []
        ticked = getattr(call, which)
        chips = [
            chip(
                name,
                partial(call.toggle, which, item_id),
                selected=item_id in ticked,
                identifier=f"{kind}-{item_id}",
            )
            for item_id, name in items
        ]
        return chip_group(heading, chips)

    needs = tuple((need, tr.need(need)) for need in sheet.needs)
    return ft.Column(
        [
            *ticks(tr("call.needs"), "needs", "need", needs),
            *ticks(tr("call.resources"), "resources", "resource", sheet.resources),
        ],
        spacing=8,
    )
