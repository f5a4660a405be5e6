"""Volunteer retention: how many callers recorded a call each week."""

from __future__ import annotations

import flet as ft

from app.core.reports import WeekActivity
from app.ui.guard import guarded

from .bar_chart import Bar, bar_chart, chart_frame

WEEKS_SHOWN = 12


@ft.component
@guarded
def RetentionChart(weeks: list[WeekActivity]) -> ft.Control:
    shown = weeks[-WEEKS_SHOWN:]
    summary = ", ".join(f"week of {w.week:%b %d}: {w.active_callers}" for w in shown)
    body = bar_chart(
        [
            Bar(f"{w.week:%d %b}", w.active_callers, f"{w.active_callers} callers, {w.calls} calls")
            for w in shown
        ],
        empty="No active callers yet.",
        colour=ft.Colors.INDIGO_300,
        width=22,
        lowest_top=3,
        left_label_size=30,
        height=180,
    )
    return chart_frame(
        "chart-retention",
        f"Active callers per week: {summary}" if shown else "Active callers: none yet",
        "Active callers per week",
        body,
    )
