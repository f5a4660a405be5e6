"""The supervisor's API for announcements to callers (sync_server.announcements)."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.core.announcements import Announcement, AnnouncementRequest, AnnouncementStatus

from .. import announcements
from ..audit import Actor
from ..deps import StoreDep, SupervisorDep

router = APIRouter(prefix="/api/v1/admin/campaigns/{campaign_id}", tags=["supervisor"])
Statuses = list[AnnouncementStatus]


@router.post("/announcements", status_code=status.HTTP_201_CREATED, summary="Post an announcement")
def post_announcement(
    campaign_id: str, body: AnnouncementRequest, store: StoreDep, supervisor: SupervisorDep
) -> Announcement:
    """To every caller with families in the campaign, or only to ``caller_id``: their
    devices show it from the next sync until they mark it read."""
    with store.transaction() as db:
        return announcements.post(db, campaign_id, body, Actor.supervisor(supervisor))


@router.get("/announcements", summary="A campaign's announcements and who read each")
def list_announcements(campaign_id: str, store: StoreDep, _: SupervisorDep) -> Statuses:
    """Newest first; each with the callers who marked it read, and when."""
    with store.reading() as db:
        return announcements.statuses(db, campaign_id)
