"""The audit log, filtered by who, by kind of action and from a date; downloadable as CSV."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import partial

import flet as ft

from app.ui.components.tap import chip, chip_row
from app.ui.components.typed_field import TypedField
from app.ui.guard import guarded

from ...audit import AuditFilter
from ..context import use_query, use_screen, use_tr
from ..theme import card, error_line, heading, labelled, list_notes
from .audit_entry_row import AuditEntryRow
from .download_link import DownloadLink

SHOWN = 200
AREAS = (
    "",
    "auth",
    "import",
    "assignment",
    "campaign",
    "script",
    "quarantine",
    "follow_up",
    "invite",
    "device",
    "household",
    "retention",
    "export",
)
"""What the log may be narrowed to ("": everything); each with words under ``audit.area.``."""


def since_moment(typed: str) -> datetime | None:
    """A typed date (YYYY-MM-DD) as midnight UTC; ValueError when it is not one."""
    typed = typed.strip()
    return datetime.combine(date.fromisoformat(typed), time(0), tzinfo=UTC) if typed else None


@ft.component
@guarded
def AuditLogPanel() -> ft.Control:
    console, state, _ = use_screen()
    tr = use_tr()
    actor, set_actor = ft.use_state("")
    area, set_area = ft.use_state("")
    since_typed, set_since_typed = ft.use_state("")
    try:
        since, problem = since_moment(since_typed), None
    except ValueError:
        since, problem = None, tr("audit.not_a_date", typed=repr(since_typed))
    where = AuditFilter(actor or None, area or None, since, limit=SHOWN)
    loaded = use_query(
        lambda: console.service.audit_entries(where), [actor, area, since, state.revision]
    )
    actors = use_query(console.service.audit_actors, [state.revision]).value or []
    entries = list(reversed(loaded.value or []))  # newest first

    count = tr("audit.entries", count=len(entries))
    if len(entries) == SHOWN:
        count = tr("audit.newest", entries=count, shown=SHOWN)
    return card(
        ft.Column(
            [
                heading(tr("audit.title"), 18),
                ft.Text(tr("audit.lead"), size=14),
                chip_row(
                    [
                        chip(
                            name or tr("audit.everyone"),
                            partial(set_actor, name),
                            selected=actor == name,
                            label=tr("audit.actions_by", name=name)
                            if name
                            else tr("audit.actions_by_everyone"),
                            identifier=f"audit-actor-{name or 'all'}",
                        )
                        for name in ["", *actors]
                    ]
                ),
                chip_row(
                    [
                        chip(
                            tr(f"audit.area.{key or 'all'}"),
                            partial(set_area, key),
                            selected=area == key,
                            label=tr(
                                "audit.show_area", area=tr(f"audit.area.{key or 'all'}").lower()
                            ),
                            identifier=f"audit-action-{key or 'all'}",
                        )
                        for key in AREAS
                    ]
                ),
                TypedField(since_typed, set_since_typed, label=tr("audit.since"), width=220),
                *([error_line("audit-since-error", problem)] if problem else []),
                labelled("audit-count", tr("audit.count_label", count=count), count, size=15),
                DownloadLink(
                    tr("audit.download"),
                    "audit-log.csv",
                    lambda: console.service.audit_download(where),
                    "audit-download",
                ),
                *list_notes(loaded.error, not entries and not loaded.loading, tr("audit.nothing")),
                *(AuditEntryRow(entry) for entry in entries),
            ],
            spacing=10,
        )
    )
