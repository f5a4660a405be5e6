"""One open callback or referral: whose, when, and the way to it."""

from __future__ import annotations

import flet as ft

from app.services import FollowUpRow

from ..context import use_caller_app
from ..guard import guarded
from .tap import tap


@ft.component
@guarded
def FollowUpItem(row: FollowUpRow) -> ft.Control:
    services, app, tr = use_caller_app()
    session = services.active(app)
    follow_up = row.follow_up
    kind = tr("follow_ups.callback" if follow_up.kind == "callback" else "follow_ups.referral")
    if follow_up.due_at is None:
        when = tr("follow_ups.no_time")
    else:
        clock = tr.day_and_clock(follow_up.due_at.astimezone(session.zone), session.clock())
        when = tr("follow_ups.overdue" if row.is_due else "follow_ups.due", time=clock)

    def close() -> None:
        session.close_follow_up(follow_up.id)
        app.changed()

    return ft.Row(
        [
            tap(
                ft.Column(
                    [
                        ft.Text(row.household_name, size=17, weight=ft.FontWeight.W_600),
                        ft.Text(
                            f"{kind} · {when}",
                            size=14,
                            color=ft.Colors.ERROR if row.is_due else None,
                        ),
                        *([ft.Text(follow_up.detail, size=13)] if follow_up.detail else []),
                    ],
                    spacing=2,
                ),
                lambda: app.open_household(follow_up.campaign_id, follow_up.household_id),
                # One button: its name says what it shows, one line each.
                label="\n".join(
                    [
                        tr("follow_ups.open", name=row.household_name),
                        f"{kind} · {when}",
                        *([follow_up.detail] if follow_up.detail else []),
                    ]
                ),
                identifier=f"follow-up-{follow_up.id}",
                expand=True,
            ),
            tap(
                ft.Icon(ft.Icons.TASK_ALT, size=28),
                close,
                label=tr("follow_ups.close"),
                identifier=f"close-follow-up-{follow_up.id}",
            ),
        ],
    )
