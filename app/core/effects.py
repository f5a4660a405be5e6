"""What an event does to a household and its follow-ups: one rule for device and server.

The device applies it the moment a caller records something, so the list is right
before sync; the server applies it when the event arrives (or is accepted from
quarantine). Both must agree, so both call these pure functions.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from .events import (
    EventPayload,
    FollowUpScheduled,
    LanguageCorrected,
    OutcomeRecorded,
    PhoneCorrected,
)
from .models import FollowUp, Household, PhoneNumber

BAD_NUMBER_DISPOSITIONS = frozenset({"wrong_number", "disconnected"})


def may_change_household(payload: EventPayload) -> bool:
    """False when ``household_after`` certainly returns the household as it was: lets the
    server skip loading the household for the common no-answer/voicemail outcome."""
    match payload:
        case OutcomeRecorded(disposition="do_not_call"):
            return True
        case OutcomeRecorded(disposition=code, phone=str()):
            return code in BAD_NUMBER_DISPOSITIONS
        case PhoneCorrected() | LanguageCorrected():
            return True
    return False


def household_after(household: Household, payload: EventPayload) -> Household:
    """The household as the event leaves it (the same object when nothing changes)."""
    match payload:
        case OutcomeRecorded(disposition="do_not_call") if not household.do_not_call:
            return household.model_copy(update={"do_not_call": True})
        case OutcomeRecorded(disposition=code, phone=str(phone)) if code in BAD_NUMBER_DISPOSITIONS:
            return with_corrected_phone(household, old_number=phone, bad=True)
        case PhoneCorrected():
            return with_corrected_phone(
                household,
                old_number=payload.old_number,
                new_number=payload.new_number,
                bad=payload.bad,
            )
        case LanguageCorrected() if payload.language != household.language:
            return household.model_copy(update={"language": payload.language})
    return household


def with_corrected_phone(
    household: Household,
    *,
    old_number: str | None = None,
    new_number: str | None = None,
    bad: bool = False,
) -> Household:
    """The old number is marked bad when declared bad or replaced; a new number goes first
    in the list unless the household has it already."""
    phones = [phone.model_copy() for phone in household.phones]
    if old_number and (bad or new_number):
        for phone in phones:
            if phone.number == old_number:
                phone.bad = True
    if new_number and all(phone.number != new_number for phone in phones):
        phones.insert(0, PhoneNumber(number=new_number))
    if phones == household.phones:
        return household
    return household.model_copy(update={"phones": phones})


def follow_up_opened(
    payload: EventPayload, *, event_id: uuid.UUID | str, caller_id: str, created_at: datetime
) -> FollowUp | None:
    """The follow-up an event opens: a scheduled one, or an outcome's callback."""
    match payload:
        case FollowUpScheduled():
            return FollowUp(
                id=payload.follow_up_id,
                campaign_id=payload.campaign_id,
                household_id=payload.household_id,
                caller_id=caller_id,
                kind=payload.follow_up_kind,
                due_at=payload.due_at,
                detail=payload.detail,
                created_at=created_at,
            )
        case OutcomeRecorded(callback_at=datetime() as due_at):
            return FollowUp(
                # Device and server derive the same id when the device gave none.
                id=payload.follow_up_id
                or str(uuid.uuid5(uuid.NAMESPACE_URL, f"callback:{event_id}")),
                campaign_id=payload.campaign_id,
                household_id=payload.household_id,
                caller_id=caller_id,
                kind="callback",
                due_at=due_at,
                detail=payload.notes,
                created_at=created_at,
            )
    return None
