"""A bar chart of days or weeks for the dashboard, and the titled, labelled frame every
dashboard chart sits in."""

from __future__ import annotations

from typing import Any, NamedTuple

import flet as ft
import flet_charts as fch

from ..theme import labelled


class Bar(NamedTuple):
    label: str  # under the bar: its day or week
    value: int
    tooltip: str
    part: int | None = None  # drawn darker from the bottom: the part of value that went further


def bar_chart(
    bars: list[Bar],
    *,
    empty: str,
    colour: str,
    part_colour: str | None = None,
    width: int,
    lowest_top: int,
    left_label_size: int,
    **chart: Any,
) -> ft.Control:
    """The bars left to right, or ``empty`` in italics when there are none."""
    if not bars:
        return ft.Text(empty, italic=True)
    return fch.BarChart(
        groups=[
            fch.BarChartGroup(
                x=index,
                rods=[
                    fch.BarChartRod(
                        from_y=0,
                        to_y=bar.value,
                        width=width,
                        color=colour,
                        border_radius=3,
                        stack_items=[
                            fch.BarChartRodStackItem(from_y=0, to_y=bar.part, color=part_colour)
                        ]
                        if bar.part is not None
                        else [],
                        tooltip=bar.tooltip,
                    )
                ],
            )
            for index, bar in enumerate(bars)
        ],
        bottom_axis=fch.ChartAxis(
            labels=[
                fch.ChartAxisLabel(value=index, label=ft.Text(bar.label, size=11))
                for index, bar in enumerate(bars)
            ],
            label_size=28,
        ),
        left_axis=fch.ChartAxis(label_size=left_label_size),
        max_y=max(lowest_top, max(bar.value for bar in bars) + 1),
        expand=True,
        **chart,
    )


def chart_frame(
    identifier: str, label: str, title: str, body: ft.Control, *below: ft.Control
) -> ft.Control:
    """A chart under its title, read to a screen reader as ``label`` (its figures)."""
    return labelled(
        identifier,
        label,
        ft.Column([ft.Text(title, size=17, weight=ft.FontWeight.BOLD), body, *below], spacing=6),
    )
