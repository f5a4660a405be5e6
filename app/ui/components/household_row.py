"""One family on "My list": name, language, needs, what to do now, and their local time."""

from __future__ import annotations

import flet as ft

from app.services import HouseholdRow as Row

from ..context import use_caller_app
from ..guard import guarded
from ..theme import BOUNDARY
from .calling_hours_badge import CallingHoursBadge, hours_text
from .language_badge import LanguageBadge
from .tap import tap


@ft.component
@guarded
def HouseholdRow(row: Row) -> ft.Control:
    services, app, tr = use_caller_app()
    session = services.active(app)
    now = session.clock()
    if row.group == "callback" and row.callback_due_at is not None:
        # The family's clock; a family needing no more calls has none: the campaign's.
        zone = row.hours.local_time.tzinfo if row.hours else session.zone
        due = row.callback_due_at.astimezone(zone)
        key = "list.callback_due" if row.callback_is_due else "list.callback_at"
        status = tr(key, time=tr.day_and_clock(due, now))
    elif row.attempts:
        outcome = row.last_outcome
        label = tr.outcome(outcome) if outcome else row.last_disposition or ""
        status = tr("list.attempts", count=row.attempts, last=label)
    else:
        status = tr("list.not_called")
    tags: list[ft.Control] = [
        ft.Container(
            ft.Text(tr.need(tag), size=12),
            bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST,
            padding=ft.Padding.symmetric(horizontal=6, vertical=1),
            border_radius=6,
        )
        for tag in row.tags
    ]
    if row.do_not_call:
        tags.insert(
            0,
            ft.Container(
                ft.Text(tr("list.do_not_call"), size=12, color=ft.Colors.ON_ERROR),
                bgcolor=ft.Colors.ERROR,
                padding=ft.Padding.symmetric(horizontal=6, vertical=1),
                border_radius=6,
            ),
        )
    # The row is one button: its name says everything the row shows, one line each.
    spoken = [tr("list.open_household", name=row.name)]
    spoken.append(tr("language.badge", language=tr.language_name(row.language)))
    spoken += [tr("list.do_not_call")] if row.do_not_call else []
    spoken += [tr.need(tag) for tag in row.tags]
    if row.hours is not None:  # a family needing no more calls has no calling hours
        tags.append(CallingHoursBadge(row.hours))
        spoken.append(hours_text(tr, row.hours))
    spoken.append(status)
    return tap(
        ft.Column(
            [
                ft.Row(
                    [
                        ft.Text(row.name, size=17, weight=ft.FontWeight.W_600, expand=True),
                        LanguageBadge(row.language),
                    ],
                ),
                ft.Row(tags, wrap=True, spacing=6, run_spacing=4),
                ft.Text(status, size=13, color=ft.Colors.ON_SURFACE_VARIANT),
            ],
            spacing=4,
        ),
        lambda: app.open_household(row.campaign_id, row.household_id),
        label="\n".join(spoken),
        identifier=f"household-{row.household_id}",
        border=ft.Border.all(1, BOUNDARY),
    )
