"""The supervisor's API for families' corrections and the language hand-off queue."""

from __future__ import annotations

from fastapi import APIRouter

from app.core.family_reports import (
    AssignSpeakerRequest,
    HouseholdRecord,
    LiftOptOutRequest,
    QueuedFamily,
)

from .. import household_corrections, language_handoff, opt_outs
from ..audit import Actor
from ..deps import StoreDep, SupervisorDep
from ..roles import require_households

router = APIRouter(prefix="/api/v1/admin", tags=["supervisor"])


@router.get(
    "/language-queue", response_model=list[QueuedFamily], summary="Families needing a speaker"
)
def language_queue(
    store: StoreDep, supervisor: SupervisorDep, campaign_id: str | None = None
) -> list[QueuedFamily]:
    """Families a caller said need another language that no caller who speaks it could
    take, oldest first, each with the callers it may be given to."""
    with store.reading() as db:
        return language_handoff.language_queue(db, campaign_id, supervisor.scope)


@router.post(
    "/language-queue/{event_id}/assign",
    response_model=QueuedFamily,
    summary="Give a queued family to a caller",
)
def assign_from_queue(
    event_id: str, body: AssignSpeakerRequest, store: StoreDep, supervisor: SupervisorDep
) -> QueuedFamily:
    """The caller's device gets the family, with why, at its next pull; 409 when it is no
    longer waiting."""
    with store.transaction() as db:
        return language_handoff.assign_from_queue(
            db, event_id, body.caller_id, Actor.supervisor(supervisor), supervisor.scope
        )


@router.get(
    "/households/{household_id}/record",
    response_model=HouseholdRecord,
    summary="A family's numbers, notes and corrections",
)
def household_record(
    household_id: str, store: StoreDep, supervisor: SupervisorDep
) -> HouseholdRecord:
    """The family's current numbers, language and callers' notes, and every correction
    callers made, with who and when (newest first)."""
    with store.reading() as db:
        require_households(db, supervisor.scope, [household_id])
        return household_corrections.household_record(db, household_id)


@router.post(
    "/households/{household_id}/opt-outs/lift",
    response_model=HouseholdRecord,
    summary="Lift a family's opt-out, with a reason",
)
def lift_opt_out(
    household_id: str, body: LiftOptOutRequest, store: StoreDep, supervisor: SupervisorDep
) -> HouseholdRecord:
    """The family may be called (``call``) or texted (``text``) again: every device holding
    it learns it at its next pull. The reason is required (400 without one); the family's
    record keeps it and the audit log records "opt-out lifted". 409 when the family has not
    opted out of that channel."""
    with store.transaction() as db:
        require_households(db, supervisor.scope, [household_id])
        opt_outs.lift_opt_out(
            db, household_id, body.channel, body.reason, Actor.supervisor(supervisor)
        )
        return household_corrections.household_record(db, household_id)
