"""One open follow-up: what, for whom, when, with whom; close it with how, or hand it on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.core.reports import FollowUpItem
from app.ui.components.tap import chip
from app.ui.guard import guarded

from ..context import use_tr
from ..theme import filled_button, outlined_button
from ..timefmt import local


@ft.component
@guarded
def FollowUpRow(
    item: FollowUpItem,
    callers: list[tuple[str, str]],
    timezone: str | None,
    on_close: Callable[[str, str], Any],
    on_reassign: Callable[[str, str | None], Any],
    *,
    key: str | None = None,  # taken by Flet: the typed resolution stays with its follow-up
) -> ft.Control:
    tr = use_tr()
    resolution = ft.use_ref("")
    reassigning, set_reassigning = ft.use_state(False)
    kind = tr("follow_up.callback" if item.kind == "callback" else "follow_up.referral")
    due = (
        tr("follow_up.due", when=local(item.due_at, timezone, tr=tr))
        if item.due_at
        else tr("follow_up.no_due")
    )
    who = item.caller_name or tr("follow_ups.nobody")
    text = tr("follow_up.line", kind=kind, name=item.household_name, due=due, who=who)
    if item.detail:
        text += f" · {item.detail}"

    def typed(e: ft.Event[ft.TextField]) -> None:
        resolution.current = e.control.value or ""

    async def close() -> None:
        await on_close(item.id, resolution.current or "")

    def hand_to(caller_id: str | None) -> Callable[[], Any]:
        async def reassign() -> None:
            set_reassigning(False)
            await on_reassign(item.id, caller_id)

        return reassign

    controls: list[ft.Control] = [
        ft.Semantics(
            exclude_semantics=True,
            identifier=f"follow-up-{item.id}",
            label=tr("follow_up.overdue_label", text=text) if item.overdue else text,
            content=ft.Row(
                [
                    ft.Icon(
                        ft.Icons.PHONE_CALLBACK
                        if item.kind == "callback"
                        else ft.Icons.VOLUNTEER_ACTIVISM
                    ),
                    ft.Text(text, size=15, expand=True),
                    *(
                        [
                            ft.Text(
                                tr("follow_up.overdue"),
                                color=ft.Colors.ERROR,
                                weight=ft.FontWeight.BOLD,
                            )
                        ]
                        if item.overdue
                        else []
                    ),
                ],
                spacing=10,
            ),
        ),
        ft.Row(
            [
                ft.TextField(
                    label=tr("follow_up.resolution", name=item.household_name),
                    on_change=typed,
                    on_submit=close,
                    width=360,
                    dense=True,
                ),
                filled_button(tr("follow_up.close"), icon=ft.Icons.DONE, on_click=close),
                outlined_button(
                    tr("follow_up.hand_to"),
                    icon=ft.Icons.SWAP_HORIZ,
                    on_click=lambda: set_reassigning(not reassigning),
                ),
            ],
            wrap=True,
        ),
    ]
    if reassigning:
        controls.append(
            ft.Row(
                [
                    *(
                        chip(
                            name,
                            hand_to(caller_id),
                            selected=caller_id == item.caller_id,
                            label=tr("follow_up.hand_to_caller", name=name),
                        )
                        for caller_id, name in callers
                    ),
                    chip(
                        tr("follow_up.nobody"),
                        hand_to(None),
                        selected=item.caller_id is None,
                        label=tr("follow_up.hand_to_nobody"),
                    ),
                ],
                wrap=True,
                spacing=6,
                run_spacing=6,
            )
        )
    return ft.Container(
        content=ft.Column(controls, spacing=8),
        padding=14,
        border_radius=12,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
    )
