"""One quarantined event: sent for a household its caller no longer had, or an outcome its
campaign does not define. Accept or dismiss."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.core.reports import QuarantinedEvent
from app.ui.guard import guarded

from ..theme import filled_button, outlined_button
from ..timefmt import local

KINDS = {
    "outcome_recorded": "Outcome",
    "follow_up_scheduled": "Follow-up",
    "follow_up_closed": "Follow-up closed",
    "note_added": "Note",
    "phone_corrected": "Phone correction",
    "language_corrected": "Language correction",
    "opt_out_recorded": "Opt-out",
}


@ft.component
@guarded
def QuarantineRow(
    event: QuarantinedEvent,
    callers: dict[str, str],
    timezone: str | None,
    on_accept: Callable[[str], Any],
    on_dismiss: Callable[[str], Any],
) -> ft.Control:
    holder = callers.get(event.assigned_caller_id or "", "nobody")
    what = KINDS.get(event.kind, event.kind)
    if event.disposition:
        what += f" “{event.disposition.replace('_', ' ')}”"
    notes = event.payload.get("notes") or event.payload.get("text") or ""
    text = (
        f"{what} for {event.household_name or event.household_id} from {event.caller_name}, "
        f"recorded {local(event.recorded_at, timezone)}, received "
        f"{local(event.received_at, timezone)}. "
    )
    if event.reason == "unknown_disposition":
        text += "The campaign has no such outcome: add it to the campaign to accept this."
    else:
        text += f"The household is now with {holder}."

    async def accept() -> None:
        await on_accept(event.event_id)

    async def dismiss() -> None:
        await on_dismiss(event.event_id)

    controls: list[ft.Control] = [
        ft.Semantics(
            exclude_semantics=True,
            identifier=f"quarantined-{event.event_id}",
            label=f"{text} Status: {event.status}",
            content=ft.Text(text, size=15),
        )
    ]
    if notes:
        controls.append(ft.Text(f"Notes: {notes}", size=14, italic=True))
    buttons: list[ft.Control] = []
    if event.status != "accepted":
        buttons.append(filled_button("Accept", icon=ft.Icons.CHECK, on_click=accept))
    if event.status == "open":
        buttons.append(outlined_button("Dismiss", icon=ft.Icons.CLOSE, on_click=dismiss))
    if event.status != "open":
        buttons.append(ft.Text(f"({event.status})", size=14))
    controls.append(ft.Row(buttons, wrap=True))
    return ft.Container(
        content=ft.Column(controls, spacing=8),
        padding=14,
        border_radius=12,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
    )
