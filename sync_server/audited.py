"""What each supervisor action writes to the audit log, declared once per action.

The API routes and the console services both call these, so an action done either way
leaves the same entry: which records (ids), and counts or settings — never a name typed
for a family, a note, or a secret.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlite_utils

from app.core.accounts import Account
from app.core.announcements import Announcement
from app.core.imports import ImportReport
from app.core.models import Campaign
from app.core.privacy import AnonymisationResult
from app.core.reports import (
    AssignmentPlan,
    FollowUpItem,
    MoveResult,
    QuarantinedEvent,
    RebalanceResult,
)

from .audit import Actor, record

__all__ = [
    "account_changed",
    "announced",
    "assigned",
    "caller_changed",
    "campaign_saved",
    "deleted",
    "exported",
    "follow_up_changed",
    "imported",
    "invited",
    "moved",
    "opt_out_lifted",
    "quarantine_decided",
    "rebalanced",
    "revoked",
    "script_changed",
    "signed",
    "targeted",
    "wiped",
]

Db = sqlite_utils.Database


def announced(db: Db, actor: Actor, announcement: Announcement) -> None:
    """announcement.post: which announcement, to which campaign and caller (not its text)."""
    detail = announcement.model_dump(include={"campaign_id", "caller_id"})
    record(
        db,
        actor,
        "announcement.post",
        target_kind="announcement",
        target_ids=[announcement.id],
        **detail,
    )


def signed(db: Db, actor: Actor, action: str) -> None:
    """auth.sign_in or auth.sign_out."""
    record(db, actor, action)


def imported(db: Db, actor: Actor, report: ImportReport) -> None:
    record(
        db,
        actor,
        "import.households",
        target_kind="campaign",
        target_ids=[report.campaign_id] if report.campaign_id else [],
        rows_read=report.rows_read,
        imported=report.imported,
        merged=report.merged,
        rejected=len(report.rejected),
        closed=report.closed,
        assigned=report.assigned,
    )


def targeted(db: Db, actor: Actor, campaign_id: str, household_ids: Sequence[str]) -> None:
    """Households put on a campaign's list from the console's targeting."""
    record(
        db,
        actor,
        "targeting.add",
        target_kind="household",
        target_ids=household_ids,
        campaign=campaign_id,
    )


def assigned(db: Db, actor: Actor, plan: AssignmentPlan) -> None:
    record(
        db,
        actor,
        "assignment.apply",
        target_kind="household",
        target_ids=[move.household_id for move in plan.moves],
        campaign=plan.campaign_id,
        households=len(plan.moves),
    )


def moved(db: Db, actor: Actor, result: MoveResult, to_caller_id: str | None) -> None:
    record(
        db,
        actor,
        "assignment.move",
        target_kind="household",
        target_ids=[move.household_id for move in result.moved],
        campaign=result.campaign_id,
        to_caller=to_caller_id,
        households=len(result.moved),
    )


def rebalanced(db: Db, actor: Actor, result: RebalanceResult) -> None:
    record(
        db,
        actor,
        "assignment.rebalance",
        target_kind="household",
        target_ids=[move.household_id for move in result.plan.moves],
        campaign=result.plan.campaign_id,
        quiet_callers=sorted(quiet.caller_id for quiet in result.quiet_callers),
        households=len(result.plan.moves),
    )


def campaign_saved(db: Db, actor: Actor, action: str, campaign: Campaign) -> None:
    """campaign.create or campaign.update, with the settings a privacy officer asks about."""
    record(
        db,
        actor,
        action,
        target_kind="campaign",
        target_ids=[campaign.id],
        slug=campaign.slug,
        active=campaign.active,
        ends_on=campaign.ends_on,
        anonymise_after_days=campaign.anonymise_after_days,
    )


def script_changed(db: Db, actor: Actor, action: str, campaign_id: str, language: str) -> None:
    """script.save or script.delete."""
    record(db, actor, action, target_kind="campaign", target_ids=[campaign_id], language=language)


def quarantine_decided(db: Db, actor: Actor, action: str, event: QuarantinedEvent) -> None:
    """quarantine.accept or quarantine.dismiss."""
    record(
        db,
        actor,
        action,
        target_kind="event",
        target_ids=[event.event_id],
        household=event.household_id,
        campaign=event.campaign_id,
    )


def follow_up_changed(db: Db, actor: Actor, action: str, item: FollowUpItem) -> None:
    """follow_up.close or follow_up.reassign."""
    record(
        db,
        actor,
        action,
        target_kind="follow_up",
        target_ids=[item.id],
        household=item.household_id,
        caller=item.caller_id,
        status=item.status,
    )


def caller_changed(db: Db, actor: Actor, action: str, caller_id: str, **detail: object) -> None:
    """caller.create or caller.update."""
    record(db, actor, action, target_kind="caller", target_ids=[caller_id], **detail)


def account_changed(db: Db, actor: Actor, action: str, account: Account) -> None:
    """account.create or account.update: the account's user name, role and schools (never
    its password)."""
    record(
        db,
        actor,
        action,
        target_kind="account",
        target_ids=[account.id],
        username=account.username,
        role=account.role,
        schools=account.schools,
    )


def invited(db: Db, actor: Actor, caller_id: str, expires_at: str) -> None:
    """An invite was issued: for whom and until when; never its code."""
    record(
        db, actor, "invite.create", target_kind="caller", target_ids=[caller_id], until=expires_at
    )


def revoked(db: Db, actor: Actor, device_id: str) -> None:
    """device.revoke: signed out; the device keeps its unsent work for after re-joining."""
    record(db, actor, "device.revoke", target_kind="device", target_ids=[device_id])


def wiped(db: Db, actor: Actor, device_id: str, *, first: bool) -> None:
    """device.wipe: whose device, and the last seq the server held from it when ordered."""
    caller_id, last_seq = db.execute(
        "SELECT caller_id, last_seq FROM devices WHERE id = ?", [device_id]
    ).fetchone()
    record(
        db,
        actor,
        "device.wipe",
        target_kind="device",
        target_ids=[device_id],
        caller=caller_id,
        last_seq=last_seq,
        already=not first,
    )


def deleted(db: Db, actor: Actor, household_id: str, result: AnonymisationResult) -> None:
    record(
        db,
        actor,
        "household.delete",
        target_kind="household",
        target_ids=[household_id],
        events=result.events,
        follow_ups=result.follow_ups,
        already=bool(result.already),
    )


def opt_out_lifted(db: Db, actor: Actor, household_id: str, channel: str, lift_id: int) -> None:
    """household.opt_out_lift: which family, which channel, and the lift (its reason is
    kept with the family's record, which a deletion clears; never here)."""
    record(
        db,
        actor,
        "household.opt_out_lift",
        target_kind="household",
        target_ids=[household_id],
        channel=channel,
        lift_id=lift_id,
    )


def exported(db: Db, actor: Actor, action: str, campaign_ids: Sequence[str]) -> None:
    """export.outcomes or export.households."""
    record(db, actor, action, target_kind="campaign", target_ids=campaign_ids)
