"""An observable copy of the sync client's status, so the badge redraws when it changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import flet as ft

from app.sync import SyncStatus


@ft.observable
@dataclass
class SyncState:
    online: bool = True
    syncing: bool = False
    pending: int = 0
    parked: int = 0
    last_success_at: datetime | None = None
    last_error: str | None = None
    rejoin_needed: bool = False

    def copy_from(self, status: SyncStatus) -> None:
        for name in (
            "online",
            "syncing",
            "pending",
            "parked",
            "last_success_at",
            "last_error",
            "rejoin_needed",
        ):
            value = getattr(status, name)
            if getattr(self, name) != value:
                setattr(self, name, value)
