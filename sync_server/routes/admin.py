"""The supervisor's console API: assignment, progress, follow-ups, quarantine, callers."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import sqlite_utils
from fastapi import APIRouter, Query

from app.core.errors import Conflict
from app.core.reports import (
    AssignmentPlan,
    AssignRequest,
    CallerInfo,
    CallerUpdate,
    CloseFollowUpRequest,
    FollowUpItem,
    MoveRequest,
    MoveResult,
    ProgressReport,
    QuarantinedEvent,
    QuietCaller,
    ReassignFollowUpRequest,
    RebalanceRequest,
    RebalanceResult,
    WeekActivity,
)

from .. import assignment, audited, caller_activity, callers, followups, progress, quarantine
from ..audit import Actor
from ..campaigns import get_campaign
from ..deps import StoreDep, SupervisorDep
from ..roles import Scope, require_event, require_follow_up

router = APIRouter(prefix="/api/v1/admin", tags=["supervisor"])


def _plan(
    db: sqlite_utils.Database, campaign_id: str, body: AssignRequest, scope: Scope
) -> AssignmentPlan:
    """The plan for the request's households (or every open, unassigned one) in ``scope``."""
    if body.campaign_id is not None and body.campaign_id != campaign_id:
        raise Conflict("The body names another campaign than the URL")
    return assignment.plan_assignment(
        db, campaign_id, body.household_ids, body.capacity, body.capacities, scope=scope
    )


# --- assignment ------------------------------------------------------------------------------


@router.post(
    "/campaigns/{campaign_id}/assignment/plan",
    response_model=AssignmentPlan,
    summary="Propose an assignment",
)
def plan_assignment(
    campaign_id: str, body: AssignRequest, store: StoreDep, supervisor: SupervisorDep
) -> AssignmentPlan:
    """Who would call each open, unassigned household (or the listed ones), and why:
    language first, then the caller who last reached the family, then the lightest load.
    Changes nothing."""
    with store.reading() as db:
        return _plan(db, campaign_id, body, supervisor.scope)


@router.post(
    "/campaigns/{campaign_id}/assignment/apply",
    response_model=AssignmentPlan,
    summary="Assign households",
)
def apply_assignment(
    campaign_id: str, body: AssignRequest, store: StoreDep, supervisor: SupervisorDep
) -> AssignmentPlan:
    """Plan as /plan does and carry the plan out in the same transaction (unless
    ``dry_run``); the households reach their callers' devices on the next pull."""
    with store.transaction() as db:
        plan = _plan(db, campaign_id, body, supervisor.scope)
        if body.dry_run:
            return plan
        applied = assignment.apply_plan(db, plan)
        audited.assigned(db, Actor.supervisor(supervisor), applied)
        return applied


@router.post(
    "/campaigns/{campaign_id}/assignment/move",
    response_model=MoveResult,
    summary="Move households to a caller",
)
def move_households(
    campaign_id: str, body: MoveRequest, store: StoreDep, supervisor: SupervisorDep
) -> MoveResult:
    """Give these households to one caller, or to nobody with ``to_caller_id: null``.
    Their open callbacks go with them."""
    with store.transaction() as db:
        result = assignment.move_households(
            db, campaign_id, body.household_ids, body.to_caller_id, supervisor.scope
        )
        audited.moved(db, Actor.supervisor(supervisor), result, body.to_caller_id)
        return result


@router.post(
    "/campaigns/{campaign_id}/assignment/rebalance",
    response_model=RebalanceResult,
    summary="Rebalance away from quiet callers",
)
def rebalance(
    campaign_id: str, body: RebalanceRequest, store: StoreDep, supervisor: SupervisorDep
) -> RebalanceResult:
    """Households nobody has called yet move from callers silent for ``quiet_days`` to
    callers who are active."""
    with store.transaction() as db:
        result = assignment.rebalance_quiet(
            db, campaign_id, body.quiet_days, capacity=body.capacity, dry_run=body.dry_run
        )
        if not body.dry_run:
            audited.rebalanced(db, Actor.supervisor(supervisor), result)
        return result


# --- progress --------------------------------------------------------------------------------


@router.get(
    "/campaigns/{campaign_id}/progress",
    response_model=ProgressReport,
    summary="Campaign progress",
)
def campaign_progress(
    campaign_id: str,
    store: StoreDep,
    supervisor: SupervisorDep,
    today: Annotated[date | None, Query(description="Default: today in the time zone")] = None,
    tz: Annotated[str | None, Query(description="Default: the campaign's time zone")] = None,
) -> ProgressReport:
    """Attempted, reached and completed households in total and by caller, language,
    tag, school, day and outcome, with data-quality figures."""
    # A write: the report first brings its summary tables up to date.
    with store.transaction() as db:
        return progress.campaign_progress(
            db, campaign_id, today=today, tz=tz, scope=supervisor.scope
        )


@router.get(
    "/campaigns/{campaign_id}/progress/weeks",
    response_model=list[WeekActivity],
    summary="Active callers per week",
)
def active_callers_per_week(
    campaign_id: str, store: StoreDep, supervisor: SupervisorDep
) -> list[WeekActivity]:
    """How many callers recorded an outcome each week: are volunteers staying?"""
    with store.transaction() as db:
        return caller_activity.active_callers_per_week(db, campaign_id)


@router.get(
    "/campaigns/{campaign_id}/quiet-callers",
    response_model=list[QuietCaller],
    summary="Callers who have gone quiet",
)
def quiet_callers(
    campaign_id: str,
    store: StoreDep,
    supervisor: SupervisorDep,
    days: Annotated[int, Query(ge=1, le=365)] = 3,
) -> list[QuietCaller]:
    """Callers holding households in the campaign with no sync and no outcome for
    ``days`` days, or made inactive."""
    with store.reading() as db:
        get_campaign(db, campaign_id)
        return caller_activity.quiet_callers(db, campaign_id, days)


# --- follow-ups ------------------------------------------------------------------------------


@router.get("/follow-ups", response_model=list[FollowUpItem], summary="Open follow-ups")
def open_follow_ups(
    store: StoreDep,
    supervisor: SupervisorDep,
    campaign_id: str | None = None,
    caller_id: str | None = None,
) -> list[FollowUpItem]:
    """Callbacks and referrals still open, soonest due first."""
    with store.reading() as db:
        return followups.open_follow_ups(
            db, campaign_id=campaign_id, caller_id=caller_id, scope=supervisor.scope
        )


@router.post(
    "/follow-ups/{follow_up_id}/close", response_model=FollowUpItem, summary="Close a follow-up"
)
def close_follow_up(
    follow_up_id: str, body: CloseFollowUpRequest, store: StoreDep, supervisor: SupervisorDep
) -> FollowUpItem:
    """Mark a follow-up done with how it was resolved; closing it again changes nothing."""
    with store.transaction() as db:
        require_follow_up(db, supervisor.scope, follow_up_id)
        item = followups.close_follow_up(db, follow_up_id, body.resolution)
        audited.follow_up_changed(db, Actor.supervisor(supervisor), "follow_up.close", item)
        return item


@router.post(
    "/follow-ups/{follow_up_id}/reassign",
    response_model=FollowUpItem,
    summary="Reassign a follow-up",
)
def reassign_follow_up(
    follow_up_id: str, body: ReassignFollowUpRequest, store: StoreDep, supervisor: SupervisorDep
) -> FollowUpItem:
    """Hand an open follow-up to another active caller, or to nobody."""
    with store.transaction() as db:
        require_follow_up(db, supervisor.scope, follow_up_id)
        item = followups.reassign_follow_up(db, follow_up_id, body.caller_id)
        audited.follow_up_changed(db, Actor.supervisor(supervisor), "follow_up.reassign", item)
        return item


# --- quarantine ------------------------------------------------------------------------------


@router.get("/quarantine", response_model=list[QuarantinedEvent], summary="Quarantined events")
def list_quarantined(
    store: StoreDep,
    supervisor: SupervisorDep,
    status: Literal["open", "accepted", "dismissed", "all"] = "open",
    campaign_id: str | None = None,
) -> list[QuarantinedEvent]:
    """Events pushed for households their callers no longer had, oldest first."""
    with store.reading() as db:
        return quarantine.list_quarantined(
            db,
            None if status == "all" else status,
            campaign_id=campaign_id,
            scope=supervisor.scope,
        )


@router.post(
    "/quarantine/{event_id}/accept",
    response_model=QuarantinedEvent,
    summary="Accept a quarantined event",
)
def accept_quarantined(
    event_id: str, store: StoreDep, supervisor: SupervisorDep
) -> QuarantinedEvent:
    """Let the event stand: its effects apply and progress counts it. Assigns nothing."""
    with store.transaction() as db:
        require_event(db, supervisor.scope, event_id)
        event = quarantine.accept(db, event_id)
        audited.quarantine_decided(db, Actor.supervisor(supervisor), "quarantine.accept", event)
        return event


@router.post(
    "/quarantine/{event_id}/dismiss",
    response_model=QuarantinedEvent,
    summary="Dismiss a quarantined event",
)
def dismiss_quarantined(
    event_id: str, store: StoreDep, supervisor: SupervisorDep
) -> QuarantinedEvent:
    """Set the event aside: it is kept, marked dismissed, and counted nowhere."""
    with store.transaction() as db:
        require_event(db, supervisor.scope, event_id)
        event = quarantine.dismiss(db, event_id)
        audited.quarantine_decided(db, Actor.supervisor(supervisor), "quarantine.dismiss", event)
        return event


# --- callers ---------------------------------------------------------------------------------


@router.get("/callers", response_model=list[CallerInfo], summary="Callers and their devices")
def list_callers(store: StoreDep, supervisor: SupervisorDep) -> list[CallerInfo]:
    """Every caller with their devices (last seen, last sync, revoked) and open households."""
    with store.reading() as db:
        return callers.list_callers(db, supervisor.scope)


@router.patch("/callers/{caller_id}", response_model=CallerInfo, summary="Edit a caller")
def update_caller(
    caller_id: str, body: CallerUpdate, store: StoreDep, supervisor: SupervisorDep
) -> CallerInfo:
    """Change the languages a caller speaks, or make them (in)active: an inactive caller's
    devices stop syncing and they get no new households."""
    with store.transaction() as db:
        caller = callers.update_caller(db, caller_id, body)
        audited.caller_changed(
            db,
            Actor.supervisor(supervisor),
            "caller.update",
            caller_id,
            **body.model_dump(exclude_none=True),
        )
        return caller
