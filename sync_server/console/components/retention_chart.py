"""Volunteer retention: how many callers recorded a call each week."""

from __future__ import annotations

import flet as ft

from app.core.reports import WeekActivity
from app.ui.guard import guarded

from ..context import use_tr
from ..timefmt import short_day
from .bar_chart import Bar, bar_chart, chart_frame

WEEKS_SHOWN = 12


@ft.component
@guarded
def RetentionChart(weeks: list[WeekActivity]) -> ft.Control:
    shown = weeks[-WEEKS_SHOWN:]
    tr = use_tr()
    summary = ", ".join(
        tr("retention.week", day=short_day(w.week, tr), count=w.active_callers) for w in shown
    )
    body = bar_chart(
        [
            Bar(
                short_day(w.week, tr),
                w.active_callers,
                tr("retention.bar", callers=w.active_callers, calls=w.calls),
            )
            for w in shown
        ],
        empty=tr("retention.empty"),
        colour=ft.Colors.INDIGO_300,
        width=22,
        lowest_top=3,
        left_label_size=30,
        height=180,
    )
    return chart_frame(
        "chart-retention",
        tr("retention.summary", summary=summary) if shown else tr("retention.none"),
        tr("retention.title"),
        body,
    )
