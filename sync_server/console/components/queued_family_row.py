"""A family waiting for a caller who speaks its language, and the callers to give it to."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import flet as ft

from app.core.family_reports import QueuedFamily
from app.ui.components.tap import chip, chip_row
from app.ui.guard import guarded

from ...languages import language_name
from ..context import use_tr
from ..theme import labelled, quiet_text
from ..timefmt import local


@ft.component
@guarded
def QueuedFamilyRow(
    family: QueuedFamily, timezone: str | None, on_assign: Callable[[str, str], Any]
) -> ft.Control:
    tr = use_tr()
    asked = local(datetime.fromisoformat(family.requested_at), timezone, tr=tr)
    language = language_name(family.language, tr.language)
    text = tr(
        "queue.needs",
        name=family.household_name,
        language=language,
        caller=family.from_caller_name or tr("queue.a_caller"),
        when=asked,
    )
    speakers = any(choice.speaks for choice in family.callers)
    offer = tr("queue.offer" if speakers else "queue.no_speaker", language=language)

    def assign(caller_id: str) -> Callable[[], Any]:
        async def chosen() -> None:
            await on_assign(family.event_id, caller_id)

        return chosen

    return ft.Container(
        content=ft.Column(
            [
                labelled(f"queued-{family.household_id}", text, text, size=15),
                quiet_text(offer, size=14),
                chip_row(
                    [
                        chip(
                            choice.name,
                            assign(choice.caller_id),
                            selected=False,
                            identifier=f"queue-assign-{family.household_id}-{choice.caller_id}",
                            label=tr(
                                "queue.give", family=family.household_name, caller=choice.name
                            ),
                        )
                        for choice in family.callers
                    ]
                ),
            ],
            spacing=8,
        ),
        padding=14,
        border_radius=12,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
    )
