"""The always-visible sync status: offline / syncing / pending N / last synced."""

from __future__ import annotations

from datetime import UTC, tzinfo

import flet as ft

from app.services import Translator

from ..context import use_caller_app, use_sync
from ..guard import guarded
from ..state import SyncState
from .tap import tap


def sync_summary(sync: SyncState, tr: Translator, zone: tzinfo = UTC) -> str:
    """One short line: what a caller needs to know about sending their work."""
    if sync.rejoin_needed:
        return tr("sync.rejoin")
    parts = []
    # Offline wins over syncing: while offline a sync is only a retry that will fail.
    if not sync.online:
        parts.append(tr("sync.offline"))
    elif sync.syncing:
        parts.append(tr("sync.syncing"))
    if sync.pending:
        parts.append(tr("sync.pending", count=sync.pending))
    if sync.parked:
        parts.append(tr("sync.parked", count=sync.parked))
    if not parts:
        if sync.last_success_at is None:
            parts.append(tr("sync.never"))
        else:
            parts.append(tr("sync.synced_at", time=tr.clock(sync.last_success_at.astimezone(zone))))
    return " · ".join(parts)


@ft.component
@guarded
def SyncBadge() -> ft.Control:
    services, app, tr = use_caller_app()
    sync = use_sync()
    text = sync_summary(sync, tr, services.active(app).zone)
    if sync.rejoin_needed or sync.parked:
        icon, color = ft.Icons.ERROR_OUTLINE, ft.Colors.ERROR
    elif not sync.online:
        icon, color = ft.Icons.CLOUD_OFF, ft.Colors.ERROR
    elif sync.syncing:
        icon, color = ft.Icons.SYNC, ft.Colors.PRIMARY
    elif sync.pending:
        icon, color = ft.Icons.CLOUD_UPLOAD_OUTLINED, ft.Colors.TERTIARY
    else:
        icon, color = ft.Icons.CLOUD_DONE_OUTLINED, ft.Colors.PRIMARY

    def toggle() -> None:
        app.sync_details_open = not app.sync_details_open

    return tap(
        ft.Row(
            [ft.Icon(icon, color=color, size=20), ft.Text(text, size=14, color=color)],
            spacing=6,
            tight=True,
        ),
        toggle,
        label=tr("sync.badge_label", status=text),
        identifier="sync-badge",
        padding=ft.Padding.symmetric(horizontal=10, vertical=14),
    )
