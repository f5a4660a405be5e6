"""What the supervisor's API and console say about families' corrections and the language
hand-off queue (issue 15): one shape for the server, the console and the API schema."""

from __future__ import annotations

from pydantic import Field

from .events import OptOutChannel
from .limits import Key, Name, Note, ShortText
from .models import Household, LanguageCode, Model

__all__ = [
    "AssignSpeakerRequest",
    "Correction",
    "HouseholdRecord",
    "LiftOptOutRequest",
    "QueuedFamily",
    "SpeakerChoice",
]


class SpeakerChoice(Model):
    caller_id: Key
    name: Name
    speaks: bool = Field(
        description="False when no active caller speaks the language and everyone is offered"
    )


class QueuedFamily(Model):
    """A family waiting for a caller who speaks its language."""

    event_id: Key = Field(description="The 'needs another language' outcome that queued it")
    campaign_id: Key
    household_id: Key
    household_name: Name
    language: LanguageCode
    language_name: ShortText
    from_caller_name: Name
    requested_at: str = Field(description="When the server received the request (ISO 8601)")
    callers: list[SpeakerChoice]


class AssignSpeakerRequest(Model):
    caller_id: Key


class Correction(Model):
    """One correction as a supervisor reads it: what, who, when."""

    kind: ShortText
    summary: str
    caller_name: Name
    recorded_at: str = Field(description="The caller's device clock (ISO 8601)")
    received_at: str = Field(description="When the server received it (ISO 8601)")


class HouseholdRecord(Model):
    """A family as callers left it: current numbers, language and notes, and every correction."""

    household: Household
    history: list[Correction]


class LiftOptOutRequest(Model):
    """A supervisor lifts a family's opt-out: which one, and why (required; the family's
    record keeps it, the audit log names the lift)."""

    channel: OptOutChannel = Field(description="call: do not call; text: do not text")
    reason: Note = Field(description="Why it is lifted, e.g. 'the mother asked us to call again'")
