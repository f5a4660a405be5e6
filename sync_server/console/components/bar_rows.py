"""Progress of groups (languages, schools, tags) as labelled bars drawn with containers:
how many households, how many attempted, reached and completed."""

from __future__ import annotations

import flet as ft

from app.core.reports import GroupProgress
from app.ui.guard import guarded

from ..theme import quiet_text

BAR_WIDTH = 140


def _bar(parts: list[tuple[int, str]], whole: int) -> ft.Control:
    """Overlaid bars, longest first, scaled to ``whole``."""
    layers: list[ft.Control] = [
        ft.Container(
            width=BAR_WIDTH, height=16, bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST, border_radius=4
        )
    ]
    for count, colour in parts:
        if count and whole:
            layers.append(
                ft.Container(
                    width=max(2.0, BAR_WIDTH * count / whole),
                    height=16,
                    bgcolor=colour,
                    border_radius=4,
                )
            )
    return ft.Stack(layers, width=BAR_WIDTH, height=16)


@ft.component
@guarded
def BarRows(title: str, groups: list[GroupProgress], dimension: str, limit: int = 12) -> ft.Control:
    shown = sorted(groups, key=lambda group: (-group.households, group.key or ""))[:limit]
    rows: list[ft.Control] = [ft.Text(title, size=17, weight=ft.FontWeight.BOLD)]
    if not shown:
        rows.append(ft.Text("Nothing yet.", italic=True))
    for group in shown:
        key = group.key or "(none)"
        label = (
            f"{title} {key}: {group.households} households, {group.attempted} attempted, "
            f"{group.reached} reached, {group.completed} completed"
        )
        rows.append(
            ft.Semantics(
                exclude_semantics=True,
                identifier=f"{dimension}-{key}",
                label=label,
                content=ft.Row(
                    [
                        ft.Text(key, width=90, size=14, no_wrap=True),
                        _bar(
                            [
                                (group.attempted, ft.Colors.TEAL_100),
                                (group.reached, ft.Colors.TEAL_300),
                                (group.completed, ft.Colors.TEAL_700),
                            ],
                            group.households,
                        ),
                        ft.Text(
                            f"{group.completed}/{group.reached}/{group.attempted} of "
                            f"{group.households}",
                            size=13,
                        ),
                    ],
                    spacing=10,
                ),
            )
        )
    rows.append(quiet_text("completed / reached / attempted of households", size=12))
    return ft.Column(rows, spacing=6)
