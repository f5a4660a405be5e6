"""The follow-up queue across callers: callbacks and referrals someone still has to close."""

from __future__ import annotations

import flet as ft

from app.ui.components.tap import chip
from app.ui.guard import guarded

from ..components.follow_up_row import FollowUpRow
from ..context import use_chosen_campaign, use_query, use_screen
from ..theme import heading, labelled, list_notes


@ft.component
@guarded
def FollowUpsView() -> ft.Control:
    console, state, attempt = use_screen()
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
            state.tell("Follow-up closed.")
            state.changed()

    async def reassign(follow_up_id: str, caller_id: str | None) -> None:
        item = await attempt(console.service.reassign_follow_up, follow_up_id, caller_id)
        if item is not None:
            state.tell(
                f"Follow-up for {item.household_name} is now with {item.caller_name or 'nobody'}."
            )
            state.changed()

    items = loaded.value or []
    blocks: list[ft.Control] = [
        heading("Follow-ups", 24),
        ft.Row(
            [
                chip(
                    "This campaign", lambda: set_every_campaign(False), selected=not every_campaign
                ),
                chip("Every campaign", lambda: set_every_campaign(True), selected=every_campaign),
            ],
            spacing=6,
        ),
        labelled(
            "follow-ups-count",
            f"Open follow-ups: {len(items)}",
            f"{len(items)} open, {sum(item.overdue for item in items)} overdue",
            size=15,
        ),
        *list_notes(
            loaded.error,
            not items and not loaded.loading,
            "Nothing open: every callback and referral is closed.",
        ),
    ]
    timezone = campaign.timezone if campaign else None
    blocks += [FollowUpRow(item, active, timezone, close, reassign, key=item.id) for item in items]
    return ft.Column(blocks, spacing=12)
