"""Calls per day as a bar chart: each bar the day's calls, its dark part the conversations."""

from __future__ import annotations

import flet as ft
import flet_charts as fch

from app.core.reports import DayProgress
from app.ui.guard import guarded

from ..context import use_tr
from ..theme import quiet_text
from ..timefmt import short_day
from .bar_chart import Bar, bar_chart, chart_frame

DAYS_SHOWN = 14


@ft.component
@guarded
def CallsChart(days: list[DayProgress]) -> ft.Control:
    shown = days[-DAYS_SHOWN:]
    tr = use_tr()
    summary = ", ".join(
        tr("calls_chart.day", day=short_day(d.day, tr), calls=d.calls, reached=d.reached)
        for d in shown
    )
    body = bar_chart(
        [
            Bar(
                short_day(d.day, tr),
                d.calls,
                tr("calls_chart.bar", calls=d.calls, reached=d.reached),
                d.reached,
            )
            for d in shown
        ],
        empty=tr("calls_chart.empty"),
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
        tr("calls_chart.summary", summary=summary) if shown else tr("calls_chart.none"),
        tr("calls_chart.title"),
        body,
        quiet_text(tr("calls_chart.legend"), size=12),
    )
