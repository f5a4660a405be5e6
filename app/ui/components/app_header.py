"""The top of every screen: the app's name, the sync badge, and the sync details on demand."""

from __future__ import annotations

import flet as ft

from ..context import use_caller_app
from ..guard import guarded
from .heading import heading
from .practice_banner import PracticeBanner
from .sync_badge import SyncBadge
from .sync_details import SyncDetails


@ft.component
@guarded
def AppHeader() -> ft.Control:
    _, app, tr = use_caller_app()
    controls: list[ft.Control] = [
        # The name takes the width it needs, never less: at 200 % text the badge moves
        # below it rather than squeezing it into "Pho/neb/ank".
        ft.Row(
            [heading(tr("app.title"), 1), SyncBadge()],
            wrap=True,
            alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
            spacing=8,
            run_spacing=0,
        )
    ]
    if app.sync_details_open:
        controls.append(SyncDetails())
    if app.practice:
        controls.append(PracticeBanner())
    # Stretched: the wrapping row spans the width, the badge at its end.
    return ft.Column(controls, spacing=4, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
