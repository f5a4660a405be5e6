"""The root component: hands services and state down, and draws the shell."""

from __future__ import annotations

import flet as ft

from .context import AppContext, Services, ServicesContext, SyncContext
from .state import AppState, SyncState
from .views.shell import Shell


@ft.component
def CallerApp(services: Services, app: AppState, sync: SyncState) -> ft.Control:
    return ServicesContext(
        services,
        lambda: AppContext(app, lambda: SyncContext(sync, lambda: Shell())),
    )
