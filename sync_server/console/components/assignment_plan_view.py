"""A proposed assignment before it happens: who gets how many, and which family goes where."""

from __future__ import annotations

import flet as ft

from app.core.reports import AssignmentPlan
from app.ui.guard import guarded

from ...languages import language_name
from ..context import use_tr
from ..theme import labelled

REASONS = {"continuity", "language", "balance"}
"""Why a family goes to a caller; each has words under ``plan.reason.``."""
MOVES_SHOWN = 40


@ft.component
@guarded
def AssignmentPlanView(
    plan: AssignmentPlan, names: dict[str, str], callers: dict[str, str]
) -> ft.Control:
    tr = use_tr()
    rows: list[ft.Control] = []
    for load in plan.loads:
        gained = load.after - load.before
        change = f"+{gained}" if gained > 0 else (str(gained) if gained else tr("plan.no_change"))
        text = tr("plan.load", name=load.name, before=load.before, after=load.after, change=change)
        weight = ft.FontWeight.W_600 if gained else None
        rows.append(labelled(f"plan-load-{load.caller_id}", text, text, size=15, weight=weight))
    if not plan.loads:
        rows.append(ft.Text(tr("plan.no_callers"), color=ft.Colors.ERROR))
    rows.append(ft.Divider())
    for move in plan.moves[:MOVES_SHOWN]:
        household = names.get(move.household_id, move.household_id)
        to = callers.get(move.caller_id, move.caller_id)
        source = callers.get(move.from_caller_id, "") if move.from_caller_id else ""
        reason = tr(f"plan.reason.{move.reason}") if move.reason in REASONS else move.reason
        text = tr(
            "plan.move_from" if source else "plan.move",
            household=household,
            to=to,
            source=source,
            reason=reason,
        )
        rows.append(ft.Text(text, size=14))
    if len(plan.moves) > MOVES_SHOWN:
        rows.append(ft.Text(tr("plan.more", count=len(plan.moves) - MOVES_SHOWN), italic=True))
    if plan.unplaced:
        rows.append(ft.Text(tr("plan.unplaced", count=len(plan.unplaced)), color=ft.Colors.ERROR))
    if plan.do_not_call:
        rows.append(ft.Text(tr("plan.do_not_call", count=len(plan.do_not_call))))
    for gap in plan.languages_without_caller:
        text = tr(
            "plan.no_speaker",
            count=gap.households,
            language=language_name(gap.language, tr.language),
        )
        rows.append(labelled(f"plan-no-speaker-{gap.language}", text, text, size=14))
    summary = tr("plan.summary", count=len(plan.moves))
    title = labelled("assignment-plan", summary, summary, size=17, weight=ft.FontWeight.BOLD)
    return ft.Column([title, *rows], spacing=4)
