"""Quarantined events: work a device sent for a household its caller no longer had. Never
dropped and never silent: a supervisor accepts (it counts) or dismisses (kept, ignored)."""

from __future__ import annotations

import flet as ft

from app.core.reports import QuarantineStatus
from app.ui.guard import guarded

from ..components.filter_chips import filter_chips
from ..components.quarantine_row import QuarantineRow
from ..context import use_chosen_campaign, use_query, use_screen, use_tr
from ..theme import heading, labelled, list_notes

FILTERS = ("open", "accepted", "dismissed", "all")
"""What the list may show; each a key under ``quarantine.filter.``."""


@ft.component
@guarded
def QuarantineView() -> ft.Control:
    console, state, attempt = use_screen()
    tr = use_tr()
    shown, set_shown = ft.use_state("open")
    status: QuarantineStatus | None = None if shown == "all" else shown  # type: ignore[assignment]
    loaded = use_query(lambda: console.service.quarantined(status), [shown, state.revision])
    callers = {
        c.id: c.name for c in use_query(console.service.callers, [state.revision]).value or []
    }
    campaign = use_chosen_campaign()

    async def accept(event_id: str) -> None:
        if await attempt(console.service.accept_quarantined, event_id):
            state.tell(tr("quarantine.accepted"))
            state.changed()

    async def dismiss(event_id: str) -> None:
        if await attempt(console.service.dismiss_quarantined, event_id):
            state.tell(tr("quarantine.dismissed"))
            state.changed()

    events = loaded.value or []
    blocks: list[ft.Control] = [
        heading(tr("screen.quarantine"), 24),
        ft.Text(tr("quarantine.lead"), size=14),
        filter_chips(
            [(key, tr(f"quarantine.filter.{key}")) for key in FILTERS],
            shown,
            set_shown,
            read_as=lambda title: tr("quarantine.show", filter=title.lower()),
        ),
        labelled(
            "quarantine-count",
            tr("quarantine.count_label", count=len(events)),
            tr("quarantine.count", count=len(events)),
            size=15,
        ),
        *list_notes(loaded.error, not events and not loaded.loading, tr("quarantine.nothing")),
    ]
    timezone = campaign.timezone if campaign else None
    blocks += [QuarantineRow(event, callers, timezone, accept, dismiss) for event in events]
    return ft.Column(blocks, spacing=12)
