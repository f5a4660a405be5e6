"""A supervisor's message on my list (issue 15, 6): what they wrote, who and when, and
"Got it", which marks it read (an event that syncs; the console sees who read it)."""

from __future__ import annotations

import flet as ft

from app.core.announcements import Announcement

from ..context import use_caller_app
from ..guard import guarded
from .tap import tap


@ft.component
@guarded
def AnnouncementBanner(announcement: Announcement) -> ft.Control:
    services, app, tr = use_caller_app()
    session = services.active(app)
    posted = tr.day_and_clock(announcement.posted_at.astimezone(session.zone), session.clock())
    byline = tr("announcement.from", author=announcement.author, time=posted)

    def read() -> None:
        session.mark_announcement_read(announcement.id)
        app.changed()

    return ft.Semantics(
        identifier=f"announcement-{announcement.id}",
        container=True,
        live_region=True,
        content=ft.Container(
            content=ft.Column(
                [
                    ft.Row(
                        [
                            ft.Icon(ft.Icons.CAMPAIGN, color=ft.Colors.ON_SECONDARY_CONTAINER),
                            ft.Text(byline, size=14, expand=True),
                        ],
                    ),
                    ft.Text(announcement.text, size=16),
                    ft.Row(
                        [
                            tap(
                                ft.Text(tr("announcement.got_it"), size=16),
                                read,
                                label=tr("announcement.got_it"),
                                identifier=f"announcement-read-{announcement.id}",
                                padding=ft.Padding.symmetric(horizontal=16, vertical=10),
                            )
                        ],
                        alignment=ft.MainAxisAlignment.END,
                    ),
                ],
                spacing=6,
            ),
            bgcolor=ft.Colors.SECONDARY_CONTAINER,
            padding=ft.Padding.symmetric(horizontal=12, vertical=8),
            border_radius=12,
        ),
    )
