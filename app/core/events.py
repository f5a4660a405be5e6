"""What a device records: each user action is one immutable event in the outbox.

An event is written once on the device and never edited; a correction is a new event
naming the one it corrects. ``(device_id, seq)`` orders and deduplicates events;
``recorded_at`` is the device's clock and is for display only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from .limits import MAX_ANSWERS, Key, Note, ShortText, Tags, TypedAnswer
from .models import Channel, DispositionEffects, FollowUpKind, LanguageCode, Model

Answer = TypedAnswer


class HouseholdEvent(Model):
    campaign_id: Key
    household_id: Key


class OutcomeRecorded(HouseholdEvent):
    kind: Literal["outcome_recorded"] = "outcome_recorded"
    disposition: Key
    effects: DispositionEffects | None = Field(
        None,
        description="What the disposition did when recorded; none from a device older than "
        "the flags (its code then says, see app.core.effects.outcome_effects)",
    )
    channel: Channel = "call"
    phone: ShortText | None = Field(None, description="The number called or texted (E.164)")
    answers: dict[Key, Answer] = Field(default_factory=dict, max_length=MAX_ANSWERS)
    needs_found: Tags = Field(default_factory=list)
    resources_shared: Tags = Field(default_factory=list)
    notes: Note = ""
    callback_at: datetime | None = None
    follow_up_id: Key | None = Field(
        None, description="Id the device gave the callback this outcome schedules"
    )
    language_needed: LanguageCode | None = None
    corrects: UUID | None = Field(None, description="The event this one corrects")
    outside_hours_reason: Note | None = Field(
        None, description="Why the caller called outside the family's calling hours"
    )


class FollowUpScheduled(HouseholdEvent):
    kind: Literal["follow_up_scheduled"] = "follow_up_scheduled"
    follow_up_id: Key
    follow_up_kind: FollowUpKind = "callback"
    due_at: datetime | None = None
    detail: Note = ""


class FollowUpClosed(HouseholdEvent):
    kind: Literal["follow_up_closed"] = "follow_up_closed"
    follow_up_id: Key
    resolution: Note = ""


class NoteAdded(HouseholdEvent):
    kind: Literal["note_added"] = "note_added"
    text: Note


class PhoneCorrected(HouseholdEvent):
    kind: Literal["phone_corrected"] = "phone_corrected"
    old_number: ShortText | None = None
    new_number: ShortText | None = Field(None, description="E.164; None only marks old_number bad")
    bad: bool = Field(False, description="Mark old_number wrong/disconnected")


class LanguageCorrected(HouseholdEvent):
    kind: Literal["language_corrected"] = "language_corrected"
    language: LanguageCode


OptOutChannel = Literal["call", "text"]
"""What a family can opt out of: being called, being texted (each on its own)."""


class OptOutRecorded(HouseholdEvent):
    """The family asked not to be called, or not to be texted: one channel per event, a fact
    about the household from then on (app.core.effects applies it on device and server)."""

    kind: Literal["opt_out_recorded"] = "opt_out_recorded"
    channel: OptOutChannel


class AnnouncementRead(Model):
    """The caller read a supervisor's announcement (app.core.announcements); it is the
    caller's, not a family's, so ``household_id`` stays empty."""

    kind: Literal["announcement_read"] = "announcement_read"
    campaign_id: Key
    household_id: Literal[""] = ""
    announcement_id: Key


EventPayload = Annotated[
    OutcomeRecorded
    | FollowUpScheduled
    | FollowUpClosed
    | NoteAdded
    | PhoneCorrected
    | LanguageCorrected
    | OptOutRecorded
    | AnnouncementRead,
    Field(discriminator="kind"),
]

EventKind = Literal[
    "outcome_recorded",
    "follow_up_scheduled",
    "follow_up_closed",
    "note_added",
    "phone_corrected",
    "language_corrected",
    "opt_out_recorded",
    "announcement_read",
]


class Event(Model):
    event_id: UUID
    seq: int = Field(ge=1, description="Per-device sequence: 1, 2, 3 …")
    recorded_at: datetime = Field(description="Device clock; display only, never ordering")
    payload: EventPayload
