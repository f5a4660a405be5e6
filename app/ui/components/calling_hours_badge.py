"""Whether it is fine to call now, by the family's own clock: "8:05 pm there, too late"."""

from __future__ import annotations

import flet as ft

from app.core.calling_hours import CallingHours
from app.services import Translator

from ..context import use_caller_app
from ..guard import guarded

KEYS = {"ok": "hours.ok", "too_late": "hours.too_late", "too_early": "hours.too_early"}


def hours_text(tr: Translator, hours: CallingHours) -> str:
    """What the badge says ("8:05 pm there, too late"), also for a row's spoken name."""
    return tr(KEYS[hours.reason], time=tr.clock(hours.local_time))


@ft.component
@guarded
def CallingHoursBadge(hours: CallingHours) -> ft.Control:
    tr = use_caller_app().tr
    text = hours_text(tr, hours)
    color = ft.Colors.PRIMARY if hours.allowed else ft.Colors.ERROR
    return ft.Row(
        [
            ft.Icon(ft.Icons.SCHEDULE if hours.allowed else ft.Icons.BEDTIME, size=16, color=color),
            ft.Text(text, size=13, color=color),
        ],
        spacing=4,
        tight=True,
    )
