"""What a caller is saving about one call or text, before it is an event: built by the call
screen, checked and typed by the caller's session, written by the device store."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from .events import Answer, OutcomeRecorded
from .models import Channel, Disposition, LanguageCode


@dataclass(frozen=True)
class OutcomeDraft:
    campaign_id: str
    household_id: str
    disposition: str
    channel: Channel = "call"
    phone: str | None = None
    # As typed on the screen until the session types them against the script's questions.
    answers: Mapping[str, Answer] = field(default_factory=dict)
    needs_found: tuple[str, ...] = ()
    resources_shared: tuple[str, ...] = ()
    notes: str = ""
    callback_at: datetime | None = None
    language_needed: LanguageCode | None = None
    script_language: LanguageCode | None = None
    """The language of the script shown: its questions type the answers."""
    corrects: UUID | None = None
    outside_hours_reason: str | None = None
    """Why the call was placed outside the family's calling hours, when it was."""

    def event(self, disposition: Disposition) -> OutcomeRecorded:
        """The event to record, carrying what ``disposition`` (this draft's) does now."""
        return OutcomeRecorded(
            campaign_id=self.campaign_id,
            household_id=self.household_id,
            disposition=disposition.code,
            effects=disposition.effects,
            channel=self.channel,
            phone=self.phone,
            answers=dict(self.answers),
            needs_found=list(self.needs_found),
            resources_shared=list(self.resources_shared),
            notes=self.notes,
            callback_at=self.callback_at,
            follow_up_id=str(uuid.uuid4()) if self.callback_at else None,
            language_needed=self.language_needed,
            corrects=self.corrects,
            outside_hours_reason=self.outside_hours_reason or None,
        )
