"""One quarantined event: sent for a household its caller no longer had, or an outcome its
campaign does not define. Accept or dismiss."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.core.reports import QuarantinedEvent
from app.ui.guard import guarded

from ..context import use_tr
from ..theme import filled_button, outlined_button
from ..timefmt import local


@ft.component
@guarded
def QuarantineRow(
    event: QuarantinedEvent,
    callers: dict[str, str],
    timezone: str | None,
    on_accept: Callable[[str], Any],
    on_dismiss: Callable[[str], Any],
) -> ft.Control:
    tr = use_tr()
    holder = callers.get(event.assigned_caller_id or "", tr("follow_ups.nobody"))
    # An event's words are under quarantine.kind.; one without shows as its kind.
    kind = f"quarantine.kind.{event.kind}"
    what = tr(kind) if tr.has(kind) else event.kind
    if event.disposition:
        what = tr("quarantine.outcome", what=what, outcome=event.disposition.replace("_", " "))
    notes = event.payload.get("notes") or event.payload.get("text") or ""
    text = tr(
        "quarantine.line",
        what=what,
        household=event.household_name or event.household_id,
        caller=event.caller_name,
        recorded=local(event.recorded_at, timezone, tr=tr),
        received=local(event.received_at, timezone, tr=tr),
    )
    if event.reason == "unknown_disposition":
        text += " " + tr("quarantine.unknown_outcome")
    else:
        text += " " + tr("quarantine.now_with", holder=holder)
    status = tr(f"quarantine.status.{event.status}")

    async def accept() -> None:
        await on_accept(event.event_id)

    async def dismiss() -> None:
        await on_dismiss(event.event_id)

    controls: list[ft.Control] = [
        ft.Semantics(
            exclude_semantics=True,
            identifier=f"quarantined-{event.event_id}",
            label=tr("quarantine.status_label", text=text, status=status),
            content=ft.Text(text, size=15),
        )
    ]
    if notes:
        controls.append(ft.Text(tr("quarantine.notes", notes=notes), size=14, italic=True))
    buttons: list[ft.Control] = []
    if event.status != "accepted":
        buttons.append(filled_button(tr("quarantine.accept"), icon=ft.Icons.CHECK, on_click=accept))
    if event.status == "open":
        buttons.append(
            outlined_button(tr("quarantine.dismiss"), icon=ft.Icons.CLOSE, on_click=dismiss)
        )
    if event.status != "open":
        buttons.append(ft.Text(tr("quarantine.status", status=status), size=14))
    controls.append(ft.Row(buttons, wrap=True))
    return ft.Container(
        content=ft.Column(controls, spacing=8),
        padding=14,
        border_radius=12,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
    )
