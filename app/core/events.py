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

from .models import Channel, DispositionEffects, FollowUpKind, LanguageCode, Model

Answer = bool | int | float | str | None


class HouseholdEvent(Model):
    campaign_id: str
    household_id: str


class OutcomeRecorded(HouseholdEvent):
    kind: Literal["outcome_recorded"] = "outcome_recorded"
    disposition: str
    effects: DispositionEffects | None = Field(
        None,
        description="What the disposition did when recorded; none from a device older than "
        "the flags (its code then says, see app.core.effects.outcome_effects)",
    )
    channel: Channel = "call"
    phone: str | None = Field(None, description="The number called or texted (E.164)")
    answers: dict[str, Answer] = Field(default_factory=dict)
    needs_found: list[str] = Field(default_factory=list)
    resources_shared: list[str] = Field(default_factory=list)
    notes: str = Field("", max_length=5000)
    callback_at: datetime | None = None
    follow_up_id: str | None = Field(
        None, description="Id the device gave the callback this outcome schedules"
    )
    language_needed: LanguageCode | None = None
    corrects: UUID | None = Field(None, description="The event this one corrects")


class FollowUpScheduled(HouseholdEvent):
    kind: Literal["follow_up_scheduled"] = "follow_up_scheduled"
    follow_up_id: str
    follow_up_kind: FollowUpKind = "callback"
    due_at: datetime | None = None
    detail: str = Field("", max_length=2000)


class FollowUpClosed(HouseholdEvent):
    kind: Literal["follow_up_closed"] = "follow_up_closed"
    follow_up_id: str
    resolution: str = Field("", max_length=2000)


class NoteAdded(HouseholdEvent):
    kind: Literal["note_added"] = "note_added"
    text: str = Field(max_length=5000)


class PhoneCorrected(HouseholdEvent):
    kind: Literal["phone_corrected"] = "phone_corrected"
    old_number: str | None = None
    new_number: str | None = Field(None, description="E.164; None only marks old_number bad")
    bad: bool = Field(False, description="Mark old_number wrong/disconnected")


class LanguageCorrected(HouseholdEvent):
    kind: Literal["language_corrected"] = "language_corrected"
    language: LanguageCode


EventPayload = Annotated[
    OutcomeRecorded
    | FollowUpScheduled
    | FollowUpClosed
    | NoteAdded
    | PhoneCorrected
    | LanguageCorrected,
    Field(discriminator="kind"),
]

EventKind = Literal[
    "outcome_recorded",
    "follow_up_scheduled",
    "follow_up_closed",
    "note_added",
    "phone_corrected",
    "language_corrected",
]


class Event(Model):
    event_id: UUID
    seq: int = Field(ge=1, description="Per-device sequence: 1, 2, 3 …")
    recorded_at: datetime = Field(description="Device clock; display only, never ordering")
    payload: EventPayload
