"""Calls per day as a bar chart: each bar the day's calls, its dark part the conversations."""

from __future__ import annotations

import flet as ft
import flet_charts as fch

from app.core.reports import DayProgress
from app.ui.guard import guarded

from ..theme import quiet_text
from .bar_chart import Bar, bar_chart, chart_frame

DAYS_SHOWN = 14


@ft.component
@guarded
def CallsChart(days: list[DayProgress]) -> ft.Control:
    shown = days[-DAYS_SHOWN:]
    summary = ", ".join(f"{d.day:%b %d}: {d.calls} calls, {d.reached} reached" for d in shown)
    body = bar_chart(
        [
            Bar(f"{d.day:%d %b}", d.calls, f"{d.calls} calls, {d.reached} reached", d.reached)
            for d in shown
        ],
        empty="No calls recorded yet.",
        colour=ft.Colors.TEAL_200,
        part_colour=ft.Colors.TEAL_700,
        width=18,
        lowest_top=4,
        left_label_size=36,
        horizontal_grid_lines=fch.ChartGridLines(
            color=ft.Colors.OUTLINE_VARIANT, width=1, dash_pattern=[3, 3]
        ),
        interactive=True,
        height=220,
    )
    return chart_frame(
        "chart-calls-per-day",
        f"Calls per day: {summary}" if shown else "Calls per day: none yet",
        "Calls per day",
        body,
        quiet_text("light: calls · dark: conversations", size=12),
    )
