"""One line of the audit log: when, who, what, on which records."""

from __future__ import annotations

import flet as ft

from app.core.privacy import AuditEntry
from app.ui.guard import guarded

from ...audit import label
from ..theme import dotted, labelled

TARGETS_SHOWN = 3


def entry_text(entry: AuditEntry) -> str:
    """'2026-12-01 21:30 UTC · coordinator · Moved households · household h1, h2 (+3)'."""
    targets = ""
    if entry.target_ids:
        shown = ", ".join(entry.target_ids[:TARGETS_SHOWN])
        more = len(entry.target_ids) - TARGETS_SHOWN
        targets = f"{entry.target_kind or 'record'} {shown}" + (f" (+{more})" if more > 0 else "")
    return dotted(f"{entry.at:%Y-%m-%d %H:%M} UTC", entry.actor_name, label(entry.action), targets)


@ft.component
@guarded
def AuditEntryRow(entry: AuditEntry) -> ft.Control:
    text = entry_text(entry)
    return labelled(f"audit-entry-{entry.id}", text, text, size=14, selectable=True)
