"""An observable copy of the sync client's status, so the badge redraws when it changes."""

from __future__ import annotations

from dataclasses import dataclass, fields

import flet as ft

from app.sync import SyncStatus
from app.sync.status import SyncFacts


@ft.observable
@dataclass
class SyncState(SyncFacts):
    def copy_from(self, status: SyncStatus) -> None:
        for name in (f.name for f in fields(SyncFacts)):
            value = getattr(status, name)
            if getattr(self, name) != value:
                setattr(self, name, value)
