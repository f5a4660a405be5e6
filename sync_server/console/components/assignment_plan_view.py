"""A proposed assignment before it happens: who gets how many, and which family goes where."""

from __future__ import annotations

import flet as ft

from app.core.reports import AssignmentPlan
from app.ui.guard import guarded

from ..theme import labelled

REASONS = {
    "continuity": "called them before",
    "language": "speaks their language",
    "balance": "fewest households",
}
MOVES_SHOWN = 40


@ft.component
@guarded
def AssignmentPlanView(
    plan: AssignmentPlan, names: dict[str, str], callers: dict[str, str]
) -> ft.Control:
    rows: list[ft.Control] = []
    for load in plan.loads:
        gained = load.after - load.before
        change = f"+{gained}" if gained > 0 else (str(gained) if gained else "no change")
        text = f"{load.name}: from {load.before} to {load.after} households ({change})"
        weight = ft.FontWeight.W_600 if gained else None
        rows.append(labelled(f"plan-load-{load.caller_id}", text, text, size=15, weight=weight))
    if not plan.loads:
        rows.append(
            ft.Text("There are no active callers: add one under Callers.", color=ft.Colors.ERROR)
        )
    rows.append(ft.Divider())
    for move in plan.moves[:MOVES_SHOWN]:
        household = names.get(move.household_id, move.household_id)
        to = callers.get(move.caller_id, move.caller_id)
        source = callers.get(move.from_caller_id, "") if move.from_caller_id else ""
        text = (
            f"{household}: to {to}"
            + (f" (from {source})" if source else "")
            + f" · {REASONS.get(move.reason, move.reason)}"
        )
        rows.append(ft.Text(text, size=14))
    if len(plan.moves) > MOVES_SHOWN:
        rows.append(ft.Text(f"... and {len(plan.moves) - MOVES_SHOWN} more.", italic=True))
    if plan.unplaced:
        rows.append(
            ft.Text(
                f"{len(plan.unplaced)} households stay unassigned: the callers who speak their "
                "language are full.",
                color=ft.Colors.ERROR,
            )
        )
    if plan.do_not_call:
        rows.append(ft.Text(f"{len(plan.do_not_call)} left out: they asked not to be called."))
    for gap in plan.languages_without_caller:
        text = f"{gap.message}; add a caller who speaks it under Callers."
        rows.append(labelled(f"plan-no-speaker-{gap.language}", text, text, size=14))
    summary = f"{len(plan.moves)} households to assign"
    title = labelled("assignment-plan", summary, summary, size=17, weight=ft.FontWeight.BOLD)
    return ft.Column([title, *rows], spacing=4)
