"""What a device silent for longer than its campaign allows shows instead of its families
(issue 14): they stay on the phone, hidden, until a sync succeeds or the caller re-joins."""

from __future__ import annotations

import flet as ft

from ..components.button_pair import ButtonChoice, button_pair
from ..context import use_caller_app
from ..guard import guarded


@ft.component
@guarded
def HiddenFamiliesView(days: int) -> ft.Control:
    services, app, tr = use_caller_app()
    failed, set_failed = ft.use_state(False)
    busy, set_busy = ft.use_state(False)

    async def sync_now() -> None:
        set_busy(True)
        set_failed(False)
        report = await services.session.sync_now()
        set_busy(False)
        set_failed(report is None)
        app.changed()

    controls: list[ft.Control] = [
        ft.Semantics(
            identifier="families-hidden",
            header=True,
            content=ft.Text(tr("hidden.title"), size=22, weight=ft.FontWeight.BOLD),
        ),
        ft.Text(tr("hidden.lead", count=days), size=16),
        *button_pair(
            ButtonChoice(
                tr("sync.syncing") if busy else tr("sync.now"),
                ft.Icons.SYNC,
                sync_now,
                disabled=busy,
            ),
            ButtonChoice(tr("settings.rejoin"), ft.Icons.LOGIN, lambda: app.go("join")),
        ),
    ]
    if failed:
        controls.append(
            ft.Semantics(
                live_region=True,
                content=ft.Text(tr("hidden.sync_failed"), color=ft.Colors.ERROR),
            )
        )
    return ft.Container(content=ft.Column(controls, spacing=14), padding=ft.Padding.only(top=24))
