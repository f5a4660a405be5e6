"""What a tap on the sync badge shows: pending, refused, last sync, the last problem, and
"Sync now" / "Re-join" when they help."""

from __future__ import annotations

import flet as ft

from ..context import use_caller_app, use_sync
from ..guard import guarded
from ..theme import big_button_style
from .heading import heading


@ft.component
@guarded
def SyncDetails() -> ft.Control:
    services, app, tr = use_caller_app()
    sync = use_sync()
    session = services.active(app)

    async def sync_now() -> None:
        await session.sync_now()
        app.changed()

    def rejoin() -> None:
        app.sync_details_open = False
        app.go("join")

    def close() -> None:
        app.sync_details_open = False

    lines: list[ft.Control] = [
        heading(tr("sync.details.title"), 3, size=18),
        ft.Text(tr("sync.details.pending", count=sync.pending)),
    ]
    if sync.parked:
        lines.append(ft.Text(tr("sync.details.parked", count=sync.parked)))
    last = tr.clock(sync.last_success_at.astimezone(session.zone)) if sync.last_success_at else "—"
    lines.append(ft.Text(tr("sync.details.last", time=last)))
    # The sync client's own words are English; offline and re-join have their own lines.
    if sync.last_error and sync.online and not sync.rejoin_needed:
        lines.append(
            ft.Text(
                tr(
                    "sync.details.error",
                    message=tr.error(sync.last_problem) if sync.last_problem else sync.last_error,
                ),
                color=ft.Colors.ERROR,
            )
        )
    if sync.rejoin_needed:
        lines.append(ft.Text(tr("sync.details.rejoin"), color=ft.Colors.ERROR))
    elif not sync.online:
        lines.append(ft.Text(tr("sync.details.offline_note")))
    buttons: list[ft.Control] = []
    if sync.rejoin_needed:
        buttons.append(
            ft.FilledButton(tr("sync.rejoin_button"), on_click=rejoin, style=big_button_style())
        )
    elif not session.practice:
        buttons.append(
            ft.FilledButton(
                tr("sync.now"), icon=ft.Icons.SYNC, on_click=sync_now, style=big_button_style()
            )
        )
    buttons.append(ft.TextButton(tr("sync.close"), on_click=close, style=big_button_style()))
    lines.append(ft.Row(buttons, wrap=True))
    return ft.Container(
        content=ft.Column(lines, spacing=6),
        padding=14,
        border_radius=12,
        bgcolor=ft.Colors.SURFACE_CONTAINER_HIGH,
        margin=ft.Margin.only(bottom=8),
    )
