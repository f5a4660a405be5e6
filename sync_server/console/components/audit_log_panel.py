"""The audit log, filtered by who, by kind of action and from a date; downloadable as CSV."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import partial

import flet as ft

from app.ui.components.tap import chip, chip_row
from app.ui.components.typed_field import TypedField
from app.ui.guard import guarded

from ...audit import AuditFilter
from ..context import use_query, use_screen
from ..theme import card, error_line, heading, labelled, list_notes
from .audit_entry_row import AuditEntryRow
from .download_link import DownloadLink

SHOWN = 200
AREAS: tuple[tuple[str, str], ...] = (
    ("", "Everything"),
    ("auth", "Sign-ins"),
    ("import", "Imports"),
    ("assignment", "Assignment"),
    ("campaign", "Campaigns"),
    ("script", "Scripts"),
    ("quarantine", "Quarantine"),
    ("follow_up", "Follow-ups"),
    ("invite", "Invites"),
    ("device", "Devices"),
    ("household", "Deletions"),
    ("retention", "Retention"),
    ("export", "Exports"),
)


def since_moment(typed: str) -> datetime | None:
    """A typed date (YYYY-MM-DD) as midnight UTC; ValueError when it is not one."""
    typed = typed.strip()
    return datetime.combine(date.fromisoformat(typed), time(0), tzinfo=UTC) if typed else None


@ft.component
@guarded
def AuditLogPanel() -> ft.Control:
    console, state, _ = use_screen()
    actor, set_actor = ft.use_state("")
    area, set_area = ft.use_state("")
    since_typed, set_since_typed = ft.use_state("")
    try:
        since, problem = since_moment(since_typed), None
    except ValueError:
        since, problem = None, f"{since_typed!r} is not a date: write it as 2026-11-30"
    where = AuditFilter(actor or None, area or None, since, limit=SHOWN)
    loaded = use_query(
        lambda: console.service.audit_entries(where), [actor, area, since, state.revision]
    )
    actors = use_query(console.service.audit_actors, [state.revision]).value or []
    entries = list(reversed(loaded.value or []))  # newest first

    count = f"{len(entries)} {'entry' if len(entries) == 1 else 'entries'}" + (
        f" (the newest {SHOWN})" if len(entries) == SHOWN else ""
    )
    return card(
        ft.Column(
            [
                heading("Audit log", 18),
                ft.Text(
                    "Every supervisor action, as it happened; nothing here can be edited. "
                    "It holds ids and counts, never passwords, invite codes or families' notes.",
                    size=14,
                ),
                chip_row(
                    [
                        chip(
                            name or "Everyone",
                            partial(set_actor, name),
                            selected=actor == name,
                            label=f"Show actions by {name or 'everyone'}",
                            identifier=f"audit-actor-{name or 'all'}",
                        )
                        for name in ["", *actors]
                    ]
                ),
                chip_row(
                    [
                        chip(
                            title,
                            partial(set_area, key),
                            selected=area == key,
                            label=f"Show {title.lower()}",
                            identifier=f"audit-action-{key or 'all'}",
                        )
                        for key, title in AREAS
                    ]
                ),
                TypedField(since_typed, set_since_typed, label="Since (YYYY-MM-DD)", width=220),
                *([error_line("audit-since-error", problem)] if problem else []),
                labelled("audit-count", f"Audit entries shown: {count}", count, size=15),
                DownloadLink(
                    "Download these entries (CSV)",
                    "audit-log.csv",
                    lambda: console.service.audit_download(where),
                    "audit-download",
                ),
                *list_notes(loaded.error, not entries and not loaded.loading, "Nothing here."),
                *(AuditEntryRow(entry) for entry in entries),
            ],
            spacing=10,
        )
    )
