"""Volunteer retention: how many callers recorded a call each week."""

from __future__ import annotations

import flet as ft
import flet_charts as fch

from app.core.reports import WeekActivity
from app.ui.guard import guarded

WEEKS_SHOWN = 12


@ft.component
@guarded
def RetentionChart(weeks: list[WeekActivity]) -> ft.Control:
    shown = weeks[-WEEKS_SHOWN:]
    summary = ", ".join(f"week of {w.week:%b %d}: {w.active_callers}" for w in shown)
    if not shown:
        body: ft.Control = ft.Text("No active callers yet.", italic=True)
    else:
        body = fch.BarChart(
            groups=[
                fch.BarChartGroup(
                    x=index,
                    rods=[
                        fch.BarChartRod(
                            from_y=0,
                            to_y=week.active_callers,
                            width=22,
                            color=ft.Colors.INDIGO_300,
                            border_radius=3,
                            tooltip=f"{week.active_callers} callers, {week.calls} calls",
                        )
                    ],
                )
                for index, week in enumerate(shown)
            ],
            bottom_axis=fch.ChartAxis(
                labels=[
                    fch.ChartAxisLabel(value=index, label=ft.Text(f"{week.week:%d %b}", size=11))
                    for index, week in enumerate(shown)
                ],
                label_size=28,
            ),
            left_axis=fch.ChartAxis(label_size=30),
            max_y=max(3, max(week.active_callers for week in shown) + 1),
            height=180,
            expand=True,
        )
    return ft.Semantics(
        exclude_semantics=True,
        identifier="chart-retention",
        label=f"Active callers per week: {summary}" if shown else "Active callers: none yet",
        content=ft.Column(
            [ft.Text("Active callers per week", size=17, weight=ft.FontWeight.BOLD), body],
            spacing=6,
        ),
    )
