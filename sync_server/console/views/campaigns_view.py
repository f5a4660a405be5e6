"""Campaigns and scripts: create one, edit its settings and outcomes, write its scripts."""

from __future__ import annotations

import flet as ft

from app.core.models import CampaignDraft, Disposition
from app.ui.guard import guarded

from ..components.campaign_form import CampaignForm
from ..components.disposition_editor import DispositionEditor
from ..components.script_workbench import ScriptWorkbench
from ..context import use_chosen_campaign, use_screen, use_tr
from ..services import campaign_draft
from ..theme import card, filled_button, heading


@ft.component
@guarded
def CampaignsView() -> ft.Control:
    console, state, attempt = use_screen()
    tr = use_tr()
    creating, set_creating = ft.use_state(False)
    campaign_id = state.campaign_id
    campaign = use_chosen_campaign(state.revision)

    async def create(draft: CampaignDraft) -> None:
        made = await attempt(console.service.create_campaign, draft)
        if made is not None:
            set_creating(False)
            state.choose_campaign(made.id)
            state.tell(tr("campaigns.created", name=made.name))
            state.changed()

    async def update(draft: CampaignDraft) -> None:
        if campaign_id is None:
            return
        saved = await attempt(console.service.update_campaign, campaign_id, draft)
        if saved is not None:
            state.tell(tr("campaigns.saved", name=saved.name))
            state.changed()

    async def save_dispositions(dispositions: list[Disposition]) -> None:
        if campaign is None:
            return
        draft = campaign_draft(campaign).model_copy(update={"dispositions": dispositions})
        await update(draft)

    blocks: list[ft.Control] = [
        ft.Row(
            [
                ft.Container(content=heading(tr("screen.campaigns"), 24), expand=True),
                filled_button(
                    tr("common.cancel") if creating else tr("campaigns.new"),
                    icon=ft.Icons.CLOSE if creating else ft.Icons.ADD,
                    on_click=lambda: set_creating(not creating),
                ),
            ]
        )
    ]
    if creating or campaign is None:
        blocks.append(
            card(
                ft.Column(
                    [heading(tr("campaigns.new"), 18), CampaignForm(None, create, key="new")],
                    spacing=12,
                )
            )
        )
        return ft.Column(blocks, spacing=14)
    blocks += [
        card(
            ft.Column(
                [
                    heading(campaign.name, 18),
                    CampaignForm(campaign, update, key=f"form-{campaign.id}"),
                ],
                spacing=12,
            )
        ),
        card(
            ft.Column(
                [
                    heading(tr("campaigns.outcomes"), 18),
                    DispositionEditor(campaign, save_dispositions, key=f"outcomes-{campaign.id}"),
                ],
                spacing=12,
            )
        ),
        card(
            ft.Column(
                [
                    heading(tr("campaigns.scripts"), 18),
                    ScriptWorkbench(
                        campaign.id,
                        campaign.default_language,
                        key=f"scripts-{campaign.id}",
                    ),
                ],
                spacing=12,
            )
        ),
    ]
    return ft.Column(blocks, spacing=14)
