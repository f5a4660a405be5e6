"""Quarantined events: work a device sent for a household its caller no longer had. Never
dropped and never silent: a supervisor accepts (it counts) or dismisses (kept, ignored)."""

from __future__ import annotations

import flet as ft

from app.core.reports import QuarantineStatus
from app.ui.guard import guarded

from ..components.filter_chips import filter_chips
from ..components.quarantine_row import QuarantineRow
from ..context import use_chosen_campaign, use_query, use_screen
from ..theme import heading, labelled, list_notes

FILTERS: tuple[tuple[str, str], ...] = (
    ("open", "Waiting"),
    ("accepted", "Accepted"),
    ("dismissed", "Dismissed"),
    ("all", "All"),
)


@ft.component
@guarded
def QuarantineView() -> ft.Control:
    console, state, attempt = use_screen()
    shown, set_shown = ft.use_state("open")
    status: QuarantineStatus | None = None if shown == "all" else shown  # type: ignore[assignment]
    loaded = use_query(lambda: console.service.quarantined(status), [shown, state.revision])
    callers = {
        c.id: c.name for c in use_query(console.service.callers, [state.revision]).value or []
    }
    campaign = use_chosen_campaign()

    async def accept(event_id: str) -> None:
        if await attempt(console.service.accept_quarantined, event_id):
            state.tell("Accepted: the event counts from now on. The household stays where it is.")
            state.changed()

    async def dismiss(event_id: str) -> None:
        if await attempt(console.service.dismiss_quarantined, event_id):
            state.tell("Dismissed: kept on record, counted nowhere.")
            state.changed()

    events = loaded.value or []
    blocks: list[ft.Control] = [
        heading("Quarantine", 24),
        ft.Text(
            "Events that arrived for households their caller no longer had (reassigned while "
            "the phone was offline). Accept one to let it count; dismiss it to set it aside.",
            size=14,
        ),
        filter_chips(FILTERS, shown, set_shown, read_as=lambda title: f"Show {title.lower()}"),
        labelled(
            "quarantine-count",
            f"Quarantined events shown: {len(events)}",
            f"{len(events)} events",
            size=15,
        ),
        *list_notes(loaded.error, not events and not loaded.loading, "Nothing here."),
    ]
    timezone = campaign.timezone if campaign else None
    blocks += [QuarantineRow(event, callers, timezone, accept, dismiss) for event in events]
    return ft.Column(blocks, spacing=12)
