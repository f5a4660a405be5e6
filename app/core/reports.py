"""What the supervisor console reads and sends: assignment plans, progress, queues.

Wire models only; the server computes them (sync_server/assignment.py, progress.py,
caller_activity.py, followups.py, quarantine.py, callers.py) and the console draws them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from .dispositions import dispositions_for
from .events import EventKind
from .limits import MAX_LANGUAGES, Key, Note
from .models import Caller, Campaign, Disposition, FollowUp, LanguageCode, Model

AssignmentReason = Literal["language", "continuity", "balance"]


class AssignmentMove(Model):
    """One household given to a caller by the automatic assignment."""

    household_id: str
    caller_id: str
    from_caller_id: str | None = Field(None, description="Who had it before; None: unassigned")
    reason: AssignmentReason = Field(
        description=(
            "continuity: the caller who last reached the family; language: chosen among the "
            "callers who speak the family's language; balance: any eligible caller would do, "
            "the one with the fewest households got it"
        )
    )


class CallerLoad(Model):
    caller_id: str
    name: str
    before: int = Field(description="Open households assigned in this campaign now")
    after: int = Field(description="The same once the plan is applied")
    capacity: int | None = None


class LanguageWithoutCaller(Model):
    """Households in a plan whose language no caller who could take them speaks."""

    language: LanguageCode = Field(description="The spoken language, e.g. ko")
    name: str = Field(description="Its name, e.g. Korean")
    households: int
    message: str = Field(description="e.g. '3 Korean households: no caller speaks Korean'")


class AssignmentPlan(Model):
    campaign_id: str
    moves: list[AssignmentMove] = Field(default_factory=list)
    loads: list[CallerLoad] = Field(default_factory=list)
    unplaced: list[str] = Field(
        default_factory=list,
        description="Households no eligible caller has room for (all speakers at capacity)",
    )
    do_not_call: list[str] = Field(
        default_factory=list, description="Households left out: they asked not to be called"
    )
    languages_without_caller: list[LanguageWithoutCaller] = Field(
        default_factory=list,
        description="Languages of households in the plan that no caller speaks: they go to "
        "whoever has room; add a caller who speaks it",
    )
    applied: bool = False


class AssignRequest(Model):
    campaign_id: Key | None = Field(None, description="Optional; must match the URL when given")
    household_ids: list[Key] | None = Field(
        None, description="Only these households; default: every open, unassigned one"
    )
    capacity: int | None = Field(None, ge=0, description="At most this many open households")
    capacities: dict[Key, int] = Field(
        default_factory=dict, description="Per-caller capacity, overriding `capacity`"
    )
    dry_run: bool = Field(False, description="Plan only; change nothing")


class MoveRequest(Model):
    household_ids: list[Key] = Field(min_length=1)
    to_caller_id: Key | None = Field(description="None takes the households off every list")


class Reassignment(Model):
    household_id: str
    from_caller_id: str | None
    to_caller_id: str | None


class MoveResult(Model):
    campaign_id: str
    moved: list[Reassignment] = Field(default_factory=list)
    unchanged: list[str] = Field(
        default_factory=list, description="Households already with that caller"
    )


class RebalanceRequest(Model):
    quiet_days: int = Field(3, ge=1, le=365)
    capacity: int | None = Field(None, ge=0)
    dry_run: bool = False


class QuietCaller(Model):
    caller_id: str
    name: str
    active: bool
    assigned: int = Field(description="Open households assigned in the campaign")
    last_sync_at: datetime | None = None
    last_event_at: datetime | None = None


class RebalanceResult(Model):
    quiet_callers: list[QuietCaller]
    plan: AssignmentPlan


class ProgressTotals(Model):
    households: int = Field(description="Every household the campaign has had, open or closed")
    open_households: int
    assigned: int = Field(description="Open households with a caller")
    attempted: int = Field(description="Households with at least one recorded outcome")
    reached: int = Field(description="Households with a conversation")
    completed: int = Field(description="Households where the campaign's goal was met")
    calls: int = Field(description="Outcomes recorded (calls and texts)")
    contact_rate: float = Field(description="reached / attempted")
    completion_rate: float = Field(description="completed / households")


class GroupProgress(Model):
    """Progress of the households sharing one language, tag or school."""

    key: str | None
    households: int
    attempted: int
    reached: int
    completed: int


class CallerProgress(Model):
    caller_id: str
    name: str
    active: bool
    assigned: int = Field(description="Open households assigned now")
    attempted: int = Field(description="Households this caller recorded an outcome for")
    reached: int
    completed: int
    calls: int
    calls_today: int
    last_sync_at: datetime | None = None


class DayProgress(Model):
    day: date = Field(description="In the campaign's time zone, by when the server received it")
    calls: int
    reached: int
    completed: int


class DispositionCount(Model):
    code: str
    label: str
    calls: int
    households: int


class DataQuality(Model):
    wrong_number_households: int = Field(description="With a wrong or disconnected number")
    wrong_number_rate: float = Field(description="wrong_number_households / attempted")
    households_without_language: int
    households_without_speaker: int = Field(
        description="Open households whose language no active caller speaks"
    )
    do_not_call: int


class ProgressReport(Model):
    campaign_id: str
    campaign_name: str
    timezone: str
    today: date
    generated_at: datetime
    totals: ProgressTotals
    by_caller: list[CallerProgress]
    by_language: list[GroupProgress]
    by_tag: list[GroupProgress]
    by_school: list[GroupProgress]
    by_day: list[DayProgress]
    by_disposition: list[DispositionCount]
    quality: DataQuality


class WeekActivity(Model):
    week: date = Field(description="The Monday starting the week (campaign time zone)")
    active_callers: int
    calls: int


class FollowUpItem(FollowUp):
    """A follow-up as the supervisor's queue shows it."""

    household_name: str
    caller_name: str | None = None
    overdue: bool = False


class CloseFollowUpRequest(Model):
    resolution: Note = ""


class ReassignFollowUpRequest(Model):
    caller_id: Key | None


QuarantineStatus = Literal["open", "accepted", "dismissed"]
QuarantineReason = Literal["not_assigned", "unknown_disposition"]
"""not_assigned: the household was no longer its caller's; unknown_disposition: an outcome
whose code its campaign does not define (app.core.dispositions.dispositions_for)."""


class QuarantinedEvent(Model):
    """An event the server kept aside for a supervisor instead of applying it."""

    event_id: str
    device_id: str
    caller_id: str
    caller_name: str
    kind: EventKind
    campaign_id: str
    household_id: str
    household_name: str | None
    assigned_caller_id: str | None = Field(description="Who has the household now")
    disposition: str | None = None
    payload: dict[str, Any]
    recorded_at: datetime
    received_at: datetime
    status: QuarantineStatus
    reason: QuarantineReason = Field(
        description="not_assigned: the household was no longer its caller's; "
        "unknown_disposition: the campaign defines no outcome with that code"
    )


class CampaignInfo(Campaign):
    """A campaign as the API answers it: what is stored, and the outcomes callers see."""

    effective_dispositions: list[Disposition] = Field(
        description="Every outcome the campaign offers: the defaults, each replaced by the "
        "campaign's own version of that code, then its new codes. Computed; not stored, and "
        "ignored when sent back"
    )

    @classmethod
    def of(cls, campaign: Campaign) -> CampaignInfo:
        return cls(**dict(campaign), effective_dispositions=dispositions_for(campaign))


class DeviceInfo(Model):
    id: str
    name: str
    created_at: datetime
    last_seen_at: datetime | None = None
    last_sync_at: datetime | None = None
    revoked_at: datetime | None = None
    revoked: bool = False
    last_seq: int = Field(0, description="The highest seq the server holds from this device")
    wipe_ordered_at: datetime | None = None
    wipe_delivered_at: datetime | None = Field(
        None, description="When the device was first told to erase itself (its next contact)"
    )
    erased_at: datetime | None = Field(None, description="When the device reported erasing")
    erased_reason: Literal["wipe", "sign_out"] | None = None
    erased_unsent: int | None = Field(
        None, description="Unsent events the device reported erasing: lost for good"
    )
    erased_seq: int | None = Field(None, description="The highest seq the device had used")


class CallerInfo(Caller):
    """A caller with their devices, as the console's caller list shows them."""

    devices: list[DeviceInfo] = Field(default_factory=list)
    last_sync_at: datetime | None = None
    assigned: int = Field(0, description="Open households assigned, every campaign")


class CallerUpdate(Model):
    active: bool | None = None
    languages: list[LanguageCode] | None = Field(None, min_length=1, max_length=MAX_LANGUAGES)
