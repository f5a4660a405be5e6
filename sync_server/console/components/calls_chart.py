"""Calls per day as a bar chart: each bar the day's calls, its dark part the conversations."""

from __future__ import annotations

import flet as ft
import flet_charts as fch

from app.core.reports import DayProgress
from app.ui.guard import guarded

DAYS_SHOWN = 14


@ft.component
@guarded
def CallsChart(days: list[DayProgress]) -> ft.Control:
    shown = days[-DAYS_SHOWN:]
    summary = ", ".join(f"{d.day:%b %d}: {d.calls} calls, {d.reached} reached" for d in shown)
    if not shown:
        body: ft.Control = ft.Text("No calls recorded yet.", italic=True)
    else:
        top = max(day.calls for day in shown)
        body = fch.BarChart(
            groups=[
                fch.BarChartGroup(
                    x=index,
                    rods=[
                        fch.BarChartRod(
                            from_y=0,
                            to_y=day.calls,
                            width=18,
                            color=ft.Colors.TEAL_200,
                            border_radius=3,
                            stack_items=[
                                fch.BarChartRodStackItem(
                                    from_y=0, to_y=day.reached, color=ft.Colors.TEAL_700
                                )
                            ],
                            tooltip=f"{day.calls} calls, {day.reached} reached",
                        )
                    ],
                )
                for index, day in enumerate(shown)
            ],
            bottom_axis=fch.ChartAxis(
                labels=[
                    fch.ChartAxisLabel(value=index, label=ft.Text(f"{day.day:%d %b}", size=11))
                    for index, day in enumerate(shown)
                ],
                label_size=28,
            ),
            left_axis=fch.ChartAxis(label_size=36),
            horizontal_grid_lines=fch.ChartGridLines(
                color=ft.Colors.OUTLINE_VARIANT, width=1, dash_pattern=[3, 3]
            ),
            max_y=max(4, top + 1),
            interactive=True,
            height=220,
            expand=True,
        )
    return ft.Semantics(
        exclude_semantics=True,
        identifier="chart-calls-per-day",
        label=f"Calls per day: {summary}" if shown else "Calls per day: none yet",
        content=ft.Column(
            [
                ft.Text("Calls per day", size=17, weight=ft.FontWeight.BOLD),
                body,
                ft.Text(
                    "light: calls · dark: conversations",
                    size=12,
                    color=ft.Colors.ON_SURFACE_VARIANT,
                ),
            ],
            spacing=6,
        ),
    )
