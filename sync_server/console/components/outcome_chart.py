"""How calls ended: a pie of the outcomes recorded, with a legend that gives the counts."""

from __future__ import annotations

import flet as ft
import flet_charts as fch

from app.core.reports import DispositionCount
from app.ui.guard import guarded

from ..context import use_tr
from ..theme import CHART_COLOURS
from .bar_chart import chart_frame


@ft.component
@guarded
def OutcomeChart(outcomes: list[DispositionCount]) -> ft.Control:
    tr = use_tr()
    counted = [outcome for outcome in outcomes if outcome.calls > 0]
    total = sum(outcome.calls for outcome in counted)
    summary = ", ".join(f"{o.label}: {o.calls}" for o in counted)
    legend: list[ft.Control] = [
        ft.Row(
            [
                ft.Container(
                    width=14,
                    height=14,
                    bgcolor=CHART_COLOURS[i % len(CHART_COLOURS)],
                    border_radius=3,
                ),
                ft.Text(f"{outcome.label}", size=14, expand=True),
                ft.Text(f"{outcome.calls}", size=14, weight=ft.FontWeight.BOLD),
            ],
            spacing=8,
        )
        for i, outcome in enumerate(counted)
    ]
    if not counted:
        body: ft.Control = ft.Text(tr("outcome_chart.empty"), italic=True)
    else:
        body = ft.Row(
            [
                fch.PieChart(
                    sections=[
                        fch.PieChartSection(
                            value=outcome.calls,
                            title=f"{outcome.calls / total * 100:.0f}%",
                            title_style=ft.TextStyle(
                                size=11, color=ft.Colors.WHITE, weight=ft.FontWeight.BOLD
                            ),
                            color=CHART_COLOURS[i % len(CHART_COLOURS)],
                            radius=70,
                        )
                        for i, outcome in enumerate(counted)
                    ],
                    center_space_radius=24,
                    sections_space=1,
                    width=200,
                    height=200,
                ),
                ft.Column(legend, spacing=4, expand=True),
            ],
            spacing=16,
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        )
    return chart_frame(
        "chart-outcomes",
        tr("outcome_chart.summary", summary=summary) if counted else tr("outcome_chart.none"),
        tr("outcome_chart.title"),
        body,
    )
