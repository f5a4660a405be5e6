"""The top of every screen: the app's name, the sync badge, and the sync details on demand."""

from __future__ import annotations

import flet as ft

from ..context import use_caller_app
from ..guard import guarded
from .practice_banner import PracticeBanner
from .sync_badge import SyncBadge
from .sync_details import SyncDetails


@ft.component
@guarded
def AppHeader() -> ft.Control:
    _, app, tr = use_caller_app()
    controls: list[ft.Control] = [
        ft.Row(
            [
                ft.Text(tr("app.title"), size=20, weight=ft.FontWeight.BOLD, expand=True),
                SyncBadge(),
            ],
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        )
    ]
    if app.sync_details_open:
        controls.append(SyncDetails())
    if app.practice:
        controls.append(PracticeBanner())
    return ft.Column(controls, spacing=4)
