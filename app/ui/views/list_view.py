"""My list: the caller's households grouped by what to do now, with search and filters."""

from __future__ import annotations

import flet as ft

from ..components.announcement_banner import AnnouncementBanner
from ..components.callbacks_due_banner import CallbacksDueBanner
from ..components.household_group import HouseholdGroup
from ..components.list_filters import ListFilters
from ..context import use_caller_app
from ..guard import guarded


@ft.component
@guarded
def MyListView() -> ft.Control:
    services, app, tr = use_caller_app()
    session = services.active(app)
    listed = session.my_list(app.filters)
    controls: list[ft.Control] = [
        AnnouncementBanner(a, key=f"announcement-{a.id}")  # type: ignore[call-arg]
        for a in session.announcements()
    ]
    due = session.callbacks_due()
    if due:
        controls.append(CallbacksDueBanner(due, key="callbacks-due"))  # type: ignore[call-arg]
    if app.notice:
        controls.append(ft.Text(app.notice, size=16, color=ft.Colors.PRIMARY))
    # Keyed: a notice appearing above must not make it a new component with a new box
    # (Flet matches unkeyed children by position), dropping what is being typed.
    controls.append(ListFilters(listed.languages, listed.tags, key="list-filters"))  # type: ignore[call-arg]
    if listed.total == 0:
        controls.append(ft.Text(tr("list.empty"), size=16))
    elif not listed.groups:
        controls += [
            ft.Text(tr("list.no_match"), size=16),
            ft.TextButton(tr("list.clear_filters"), on_click=app.clear_filters),
        ]
    controls += [HouseholdGroup(group, key=group.group) for group in listed.groups]  # type: ignore[call-arg]
    return ft.Column(controls, spacing=12)
