"""My follow-ups: open callbacks and referrals, the ones due first."""

from __future__ import annotations

import flet as ft

from ..components.follow_up_item import FollowUpItem
from ..components.heading import heading
from ..context import use_caller_app
from ..guard import guarded


@ft.component
@guarded
def FollowUpsView() -> ft.Control:
    services, app, tr = use_caller_app()
    rows = services.active(app).follow_ups()
    controls: list[ft.Control] = [heading(tr("follow_ups.title"), 2)]
    if not rows:
        controls.append(ft.Text(tr("follow_ups.empty"), size=16))
    controls += [FollowUpItem(row, key=row.follow_up.id) for row in rows]  # type: ignore[call-arg]
    return ft.Column(controls, spacing=8)
