"""Which campaign the screens show: one pill per campaign (the first chosen at the start)."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.ui.components.tap import chip, chip_row
from app.ui.guard import guarded

from ..context import use_console, use_query, use_state_of_console, use_tr


@ft.component
@guarded
def CampaignPicker() -> ft.Control:
    console, state, tr = use_console(), use_state_of_console(), use_tr()
    loaded = use_query(console.service.campaigns, [state.revision])
    campaigns = loaded.value or []

    def ensure_choice() -> None:
        known = [campaign.id for campaign in campaigns]
        if known and state.campaign_id not in known:
            state.choose_campaign(known[0])

    ft.use_effect(ensure_choice, [tuple(c.id for c in campaigns), state.campaign_id])

    if loaded.error:
        return ft.Text(loaded.error, color=ft.Colors.ERROR)
    if not campaigns:
        return ft.Text(tr("campaign_picker.none"), italic=True)
    return chip_row(
        [
            chip(
                tr("campaign_picker.daily", name=campaign.name)
                if campaign.kind == "daily_attendance"
                else campaign.name,
                partial(state.choose_campaign, campaign.id),
                selected=campaign.id == state.campaign_id,
                identifier=f"campaign-{campaign.slug}",
                label=tr("campaign_picker.label", name=campaign.name),
            )
            for campaign in campaigns
        ]
    )
