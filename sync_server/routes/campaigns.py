"""Campaigns and their per-language scripts."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.core.models import CampaignDraft, Script, ScriptDraft
from app.core.reports import CampaignInfo

from .. import audited, campaigns
from ..audit import Actor
from ..deps import StoreDep, SupervisorDep

router = APIRouter(prefix="/api/v1/admin/campaigns", tags=["campaigns"])


@router.get("", response_model=list[CampaignInfo], summary="List campaigns")
def list_campaigns(store: StoreDep, supervisor: SupervisorDep) -> list[CampaignInfo]:
    """Every campaign, by name, with the outcomes it offers (defaults included)."""
    with store.reading() as db:
        return [CampaignInfo.of(campaign) for campaign in campaigns.list_campaigns(db)]


@router.post(
    "",
    response_model=CampaignInfo,
    status_code=status.HTTP_201_CREATED,
    summary="Create a campaign",
)
def create_campaign(
    body: CampaignDraft, store: StoreDep, supervisor: SupervisorDep
) -> CampaignInfo:
    """A new campaign; its slug must be unused."""
    with store.transaction() as db:
        campaign = campaigns.create_campaign(db, body)
        audited.campaign_saved(db, Actor.supervisor(supervisor), "campaign.create", campaign)
        return CampaignInfo.of(campaign)


@router.get("/{campaign_id}", response_model=CampaignInfo, summary="One campaign")
def get_campaign(campaign_id: str, store: StoreDep, supervisor: SupervisorDep) -> CampaignInfo:
    """The campaign with this id, with the outcomes it offers (defaults included)."""
    with store.reading() as db:
        return CampaignInfo.of(campaigns.get_campaign(db, campaign_id))


@router.put("/{campaign_id}", response_model=CampaignInfo, summary="Edit a campaign")
def update_campaign(
    campaign_id: str, body: CampaignDraft, store: StoreDep, supervisor: SupervisorDep
) -> CampaignInfo:
    """Replace the campaign's settings; devices receive them on their next pull.
    ``effective_dispositions`` sent back from a GET is ignored."""
    with store.transaction() as db:
        campaign = campaigns.update_campaign(db, campaign_id, body)
        audited.campaign_saved(db, Actor.supervisor(supervisor), "campaign.update", campaign)
        return CampaignInfo.of(campaign)


@router.get("/{campaign_id}/scripts", response_model=list[Script], summary="A campaign's scripts")
def list_scripts(campaign_id: str, store: StoreDep, supervisor: SupervisorDep) -> list[Script]:
    """One script per language."""
    with store.reading() as db:
        campaigns.get_campaign(db, campaign_id)
        return campaigns.list_scripts(db, campaign_id)


@router.put(
    "/{campaign_id}/scripts/{language}",
    response_model=Script,
    summary="Create or replace the script in a language",
)
def put_script(
    campaign_id: str, language: str, body: ScriptDraft, store: StoreDep, supervisor: SupervisorDep
) -> Script:
    """The language in the path wins over the one in the body."""
    draft = body.model_copy(update={"language": language})
    with store.transaction() as db:
        script = campaigns.put_script(db, campaign_id, draft)
        audited.script_changed(
            db, Actor.supervisor(supervisor), "script.save", campaign_id, language
        )
        return script


@router.delete(
    "/{campaign_id}/scripts/{language}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete the script in a language",
)
def delete_script(
    campaign_id: str, language: str, store: StoreDep, supervisor: SupervisorDep
) -> None:
    """Devices drop it on their next pull."""
    with store.transaction() as db:
        campaigns.delete_script(db, campaign_id, language)
        audited.script_changed(
            db, Actor.supervisor(supervisor), "script.delete", campaign_id, language
        )
