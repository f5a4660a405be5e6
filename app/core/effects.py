"""What an event does to a household and its follow-ups: one rule for device and server.

The device applies it the moment a caller records something, so the list is right
before sync; the server applies it when the event arrives (or is accepted from
quarantine). Both must agree, so both call these pure functions.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from .dispositions import DEFAULT_DISPOSITIONS, dispositions_for
from .events import (
    EventPayload,
    FollowUpScheduled,
    LanguageCorrected,
    OptOutChannel,
    OptOutRecorded,
    OutcomeRecorded,
    PhoneCorrected,
)
from .models import Campaign, DispositionEffects, FollowUp, Household, PhoneNumber

OPT_OUT_FIELDS: dict[OptOutChannel, str] = {"call": "do_not_call", "text": "text_opt_out"}
"""The household's flag each channel's opt-out sets (and a supervisor's lift clears)."""


def opted_out(household: Household, channel: OptOutChannel) -> bool:
    """Whether the family asked not to be reached this way: the one question the device's
    service, the server's assignment and the exports ask."""
    return bool(getattr(household, OPT_OUT_FIELDS[channel]))


def with_opt_out(household: Household, channel: OptOutChannel, *, out: bool = True) -> Household:
    """The household opted out of (or, ``out=False``, back into) a channel; the same
    object when it is so already."""
    if opted_out(household, channel) == out:
        return household
    return household.model_copy(update={OPT_OUT_FIELDS[channel]: out})


def outcome_effects(outcome: OutcomeRecorded, campaign: Campaign | None) -> DispositionEffects:
    """What an outcome does to its household.

    An outcome carries the effects its disposition had when the caller recorded it, so a
    supervisor editing the campaign later changes nothing already recorded, on the device
    or the server. One from a device older than the flags carries only its code: it
    means what that code means in its campaign (the defaults when the campaign is not at
    hand, as before the flags), and nothing when no one knows the code.
    """
    if outcome.effects is not None:
        return outcome.effects
    catalogue = dispositions_for(campaign) if campaign else DEFAULT_DISPOSITIONS
    known = next((d for d in catalogue if d.code == outcome.disposition), None)
    return known.effects if known else DispositionEffects()


def needs_campaign(payload: EventPayload) -> bool:
    """True for an outcome without its effects: only its campaign says what it does."""
    return isinstance(payload, OutcomeRecorded) and payload.effects is None


def may_change_household(payload: EventPayload) -> bool:
    """False when ``household_after`` certainly returns the household as it was: lets the
    server skip loading the household for the common no-answer/voicemail outcome."""
    match payload:
        case OutcomeRecorded(effects=None):
            return True
        case OutcomeRecorded(effects=DispositionEffects() as effects):
            return (
                effects.opts_out
                or (effects.marks_number_bad and payload.phone is not None)
                or payload.language_needed is not None
            )
        case PhoneCorrected() | LanguageCorrected() | OptOutRecorded():
            return True
    return False


def household_after(
    household: Household, payload: EventPayload, campaign: Campaign | None = None
) -> Household:
    """The household as the event leaves it (the same object when nothing changes).

    ``campaign`` is the event's campaign, needed only when ``needs_campaign(payload)``.
    """
    match payload:
        case OutcomeRecorded():
            return _household_after_outcome(household, payload, outcome_effects(payload, campaign))
        case PhoneCorrected():
            return with_corrected_phone(
                household,
                old_number=payload.old_number,
                new_number=payload.new_number,
                bad=payload.bad,
            )
        case LanguageCorrected() if payload.language != household.language:
            return household.model_copy(update={"language": payload.language})
        case OptOutRecorded():
            return with_opt_out(household, payload.channel)
    return household


def _household_after_outcome(
    household: Household, outcome: OutcomeRecorded, effects: DispositionEffects
) -> Household:
    if effects.opts_out:
        household = with_opt_out(household, "call")
    if effects.marks_number_bad and outcome.phone:
        household = with_corrected_phone(household, old_number=outcome.phone, bad=True)
    if outcome.language_needed and outcome.language_needed != household.language:
        # "Needs another language": the family's answer is its language from now on.
        household = household.model_copy(update={"language": outcome.language_needed})
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
