"""The follow-up queue across callers: callbacks and referrals someone still has to close."""

from __future__ import annotations

import flet as ft

from app.ui.components.tap import chip
from app.ui.guard import guarded

from ..components.follow_up_row import FollowUpRow
from ..context import use_chosen_campaign, use_query, use_screen, use_tr
from ..theme import heading, labelled, list_notes


@ft.component
@guarded
def FollowUpsView() -> ft.Control:
    console, state, attempt = use_screen()
    tr = use_tr()
    every_campaign, set_every_campaign = ft.use_state(False)
    campaign_id = None if every_campaign else state.campaign_id
    loaded = use_query(
        lambda: console.service.follow_ups(campaign_id), [campaign_id, state.revision]
    )
    callers = use_query(console.service.callers, [state.revision]).value or []
    campaign = use_chosen_campaign()
    active = [(caller.id, caller.name) for caller in callers if caller.active]

    async def close(follow_up_id: str, resolution: str) -> None:
        if await attempt(console.service.close_follow_up, follow_up_id, resolution):
            state.tell(tr("follow_ups.closed"))
            state.changed()

    async def reassign(follow_up_id: str, caller_id: str | None) -> None:
        item = await attempt(console.service.reassign_follow_up, follow_up_id, caller_id)
        if item is not None:
            state.tell(
                tr(
                    "follow_ups.reassigned",
                    name=item.household_name,
                    caller=item.caller_name or tr("follow_ups.nobody"),
                )
            )
            state.changed()

    items = loaded.value or []
    blocks: list[ft.Control] = [
        heading(tr("screen.follow_ups"), 24),
        ft.Row(
            [
                chip(
                    tr("follow_ups.this_campaign"),
                    lambda: set_every_campaign(False),
                    selected=not every_campaign,
                ),
                chip(
                    tr("follow_ups.every_campaign"),
                    lambda: set_every_campaign(True),
                    selected=every_campaign,
                ),
            ],
            spacing=6,
        ),
        labelled(
            "follow-ups-count",
            tr("follow_ups.count_label", count=len(items)),
            tr(
                "follow_ups.count",
                open=tr("follow_ups.open", count=len(items)),
                overdue=tr("follow_ups.overdue", count=sum(item.overdue for item in items)),
            ),
            size=15,
        ),
        *list_notes(
            loaded.error,
            not items and not loaded.loading,
            tr("follow_ups.nothing"),
        ),
    ]
    timezone = campaign.timezone if campaign else None
    blocks += [FollowUpRow(item, active, timezone, close, reassign, key=item.id) for item in items]
    return ft.Column(blocks, spacing=12)
