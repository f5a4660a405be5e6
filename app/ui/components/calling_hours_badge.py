"""Whether it is fine to call now, by the family's own clock: "8:05 pm there, too late"."""

from __future__ import annotations

import flet as ft

from app.core.calling_hours import CallingHours

from ..context import use_caller_app
from ..guard import guarded


@ft.component
@guarded
def CallingHoursBadge(hours: CallingHours) -> ft.Control:
    tr = use_caller_app().tr
    key = {"ok": "hours.ok", "too_late": "hours.too_late", "too_early": "hours.too_early"}
    text = tr(key[hours.reason], time=tr.clock(hours.local_time))
    color = ft.Colors.PRIMARY if hours.allowed else ft.Colors.ERROR
    return ft.Row(
        [
            ft.Icon(ft.Icons.SCHEDULE if hours.allowed else ft.Icons.BEDTIME, size=16, color=color),
            ft.Text(text, size=13, color=color),
        ],
        spacing=4,
        tight=True,
    )
