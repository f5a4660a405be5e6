"""My stats: today and this week, with a short encouraging line. No leaderboard, on purpose."""

from __future__ import annotations

import flet as ft

from ..components.heading import heading
from ..components.stats_card import StatsCard
from ..context import use_caller_app
from ..guard import guarded


@ft.component
@guarded
def StatsView() -> ft.Control:
    services, app, tr = use_caller_app()
    sheet = services.active(app).stats()
    return ft.Column(
        [
            heading(tr("stats.title"), 2),
            StatsCard(tr("stats.today"), sheet.today, "today"),
            StatsCard(tr("stats.week"), sheet.this_week, "week"),
            ft.Semantics(
                identifier="stats-cheer",
                content=ft.Text(
                    tr(sheet.cheer, **sheet.cheer_values), size=17, color=ft.Colors.PRIMARY
                ),
            ),
        ],
        spacing=12,
    )
