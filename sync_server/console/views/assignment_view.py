"""Who calls whom: an automatic plan (language, continuity, balance) shown before it is
applied, rebalancing away from quiet callers, and moving households by hand."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import flet as ft

from app.core.reports import AssignmentPlan
from app.ui.guard import guarded

from ..components.assignment_plan_view import AssignmentPlanView
from ..components.filter_chips import filter_chips
from ..components.household_picker import HouseholdPicker
from ..context import use_query, use_screen, use_tr
from ..services import QUIET_DAYS
from ..theme import card, filled_button, heading, outlined_button


@dataclass(frozen=True)
class ShownPlan:
    title: str
    plan: AssignmentPlan
    names: dict[str, str]


def _number(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


@ft.component
@guarded
def AssignmentView() -> ft.Control:
    console, state, attempt = use_screen()
    tr = use_tr()
    campaign_id = state.campaign_id
    no_plan: ShownPlan | None = None
    shown, set_shown = ft.use_state(no_plan)
    capacity = ft.use_ref("")
    quiet_days = ft.use_ref(str(QUIET_DAYS))
    holder, set_holder = ft.use_state("all")
    nothing: frozenset[str] = frozenset()
    selected, set_selected = ft.use_state(nothing)
    callers = use_query(console.service.callers, [state.revision]).value or []
    moved, set_moved = ft.use_state(0)
    # Not live (a device's sync does not move households): read again after this page's
    # own moves, or when the supervisor comes back to the screen.
    listed = use_query(
        lambda: (
            console.service.campaign_list(
                campaign_id,
                caller_id=None if holder in ("all", "unassigned") else holder,
                unassigned=holder == "unassigned",
            )
            if campaign_id
            else []
        ),
        [campaign_id, holder, moved],
    )
    if campaign_id is None:
        return ft.Text(tr("assignment.choose_campaign"), size=16)
    names = {caller.id: caller.name for caller in callers}
    active = [caller for caller in callers if caller.active]

    async def show(title: str, plan: AssignmentPlan | None) -> None:
        if plan is None:
            return
        households = await attempt(
            console.service.household_names, [move.household_id for move in plan.moves]
        )
        set_shown(ShownPlan(title, plan, households or {}))

    async def plan_assignment() -> None:
        plan = await attempt(
            console.service.plan_assignment, campaign_id, capacity=_number(capacity.current)
        )
        await show(tr("assignment.automatic_plan"), plan)

    async def plan_rebalance() -> None:
        days = _number(quiet_days.current) or QUIET_DAYS
        result = await attempt(console.service.rebalance, campaign_id, days, dry_run=True)
        if result is None:
            return
        quiet = ", ".join(c.name for c in result.quiet_callers) or tr("assignment.nobody")
        await show(tr("assignment.rebalance_plan", quiet=quiet), result.plan)

    async def apply() -> None:
        if shown is None:
            return
        applied = await attempt(console.service.apply_plan, shown.plan)
        if applied is not None:
            set_shown(None)
            state.tell(tr("assignment.assigned", count=len(applied.moves)))
            set_moved(moved + 1)
            state.changed()

    async def move_to(caller_id: str | None) -> None:
        if not selected:
            state.tell(tr("assignment.tick_first"))
            return
        result = await attempt(
            console.service.move_households, campaign_id, sorted(selected), caller_id
        )
        if result is not None:
            set_selected(frozenset())
            target = names.get(caller_id or "", tr("assignment.nobody"))
            state.tell(tr("assignment.moved", count=len(result.moved), target=target))
            set_moved(moved + 1)
            state.changed()

    def toggle(household_id: str) -> None:
        set_selected(selected ^ {household_id})

    def everything(on: bool) -> None:
        ids = {household.id for household in listed.value or []}
        set_selected(frozenset(selected | ids) if on else frozenset(selected - ids))

    def typed(ref: ft.MutableRef[str]) -> Callable[[ft.Event[ft.TextField]], None]:
        def on_change(e: ft.Event[ft.TextField]) -> None:
            ref.current = e.control.value or ""

        return on_change

    automatic = card(
        ft.Column(
            [
                heading(tr("assignment.automatic"), 18),
                ft.Text(tr("assignment.automatic_lead"), size=14),
                ft.Row(
                    [
                        ft.TextField(
                            label=tr("assignment.capacity"),
                            width=260,
                            on_change=typed(capacity),
                        ),
                        filled_button(
                            tr("assignment.plan"),
                            icon=ft.Icons.AUTO_FIX_HIGH,
                            on_click=plan_assignment,
                        ),
                    ],
                    wrap=True,
                ),
                *(
                    [
                        ft.Row(
                            [
                                ft.TextField(
                                    label=tr("assignment.quiet_days"),
                                    value=str(QUIET_DAYS),
                                    width=160,
                                    on_change=typed(quiet_days),
                                ),
                                outlined_button(
                                    tr("assignment.plan_rebalance"),
                                    icon=ft.Icons.BALANCE,
                                    on_click=plan_rebalance,
                                ),
                            ],
                            wrap=True,
                        )
                    ]
                    # Rebalancing moves any school's families: district admins only.
                    if state.admin
                    else []
                ),
            ],
            spacing=12,
        )
    )
    blocks: list[ft.Control] = [heading(tr("screen.assignment"), 24), automatic]
    if shown is not None:
        blocks.append(
            card(
                ft.Column(
                    [
                        heading(shown.title, 18),
                        AssignmentPlanView(shown.plan, shown.names, names),
                        ft.Row(
                            [
                                filled_button(
                                    tr("assignment.assign", count=len(shown.plan.moves)),
                                    icon=ft.Icons.CHECK,
                                    on_click=apply,
                                    disabled=not shown.plan.moves,
                                ),
                                outlined_button(
                                    tr("assignment.discard"),
                                    icon=ft.Icons.CLOSE,
                                    on_click=lambda: set_shown(None),
                                ),
                            ],
                            wrap=True,
                        ),
                    ],
                    spacing=10,
                )
            )
        )
    holders = [
        ("all", tr("assignment.all")),
        ("unassigned", tr("assignment.unassigned")),
    ] + [(caller.id, caller.name) for caller in callers]
    blocks.append(
        card(
            ft.Column(
                [
                    heading(tr("assignment.by_hand"), 18),
                    filter_chips(
                        holders,
                        holder,
                        set_holder,
                        read_as=lambda title: tr("assignment.show", holder=title),
                    ),
                    HouseholdPicker(listed.value or [], selected, toggle, everything),
                    ft.Text(
                        tr("assignment.move_ticked", count=len(selected)),
                        size=15,
                        weight=ft.FontWeight.W_600,
                    ),
                    ft.Row(
                        [
                            *(
                                outlined_button(caller.name, on_click=partial(move_to, caller.id))
                                for caller in active
                            ),
                            outlined_button(
                                tr("assignment.off_every_list"), on_click=partial(move_to, None)
                            ),
                        ],
                        wrap=True,
                    ),
                ],
                spacing=10,
            )
        )
    )
    return ft.Column(blocks, spacing=14)
