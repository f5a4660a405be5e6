"""A campaign's households with a box to tick each, for moving them by hand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.ui.guard import guarded

from ...targeting import ListedHousehold
from ..context import use_tr
from ..theme import dotted


@ft.component
@guarded
def HouseholdPicker(
    households: list[ListedHousehold],
    selected: frozenset[str],
    on_toggle: Callable[[str], Any],
    on_all: Callable[[bool], Any],
) -> ft.Control:
    tr = use_tr()
    everything = bool(households) and all(h.id in selected for h in households)
    rows: list[ft.Control] = [
        ft.Checkbox(
            label=tr("picker.all_shown", count=len(households)),
            value=everything,
            on_change=lambda: on_all(not everything),
        )
    ]
    for household in households:
        caller = household.caller_name or tr("picker.unassigned")
        details = dotted(
            household.language,
            household.school or "",
            ", ".join(household.tags),
            tr("picker.calls", count=household.calls) if household.calls else "",
        )

        def toggle(household_id: str = household.id) -> Callable[[], Any]:
            return lambda: on_toggle(household_id)

        rows.append(
            ft.Checkbox(
                label=tr("picker.row", name=household.name, caller=caller, details=details),
                value=household.id in selected,
                on_change=toggle(),
            )
        )
    if not households:
        rows.append(ft.Text(tr("picker.none"), italic=True))
    return ft.Column(rows, spacing=0)
