"""Progress of groups (languages, schools, tags) as labelled bars drawn with containers:
how many households, how many attempted, reached and completed."""

from __future__ import annotations

import flet as ft

from app.core.reports import GroupProgress
from app.ui.guard import guarded

from ..context import use_tr
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
    tr = use_tr()
    shown = sorted(groups, key=lambda group: (-group.households, group.key or ""))[:limit]
    rows: list[ft.Control] = [ft.Text(title, size=17, weight=ft.FontWeight.BOLD)]
    if not shown:
        rows.append(ft.Text(tr("bar_rows.nothing"), italic=True))
    for group in shown:
        key = group.key or tr("bar_rows.no_value")
        label = tr(
            "bar_rows.row",
            title=title,
            group=key,
            households=group.households,
            attempted=group.attempted,
            reached=group.reached,
            completed=group.completed,
        )
        rows.append(
            ft.Semantics(
                exclude_semantics=True,
                identifier=f"{dimension}-{group.key or '(none)'}",
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
                            tr(
                                "bar_rows.figures",
                                completed=group.completed,
                                reached=group.reached,
                                attempted=group.attempted,
                                households=group.households,
                            ),
                            size=13,
                        ),
                    ],
                    spacing=10,
                ),
            )
        )
    rows.append(quiet_text(tr("bar_rows.legend"), size=12))
    return ft.Column(rows, spacing=6)
