"""Callers' notes about a family: kept on the household itself, so every device holding it
(in this campaign or a later one) and the console see them; one rule for device and server."""

from __future__ import annotations

from .models import MAX_HOUSEHOLD_NOTES, Household, HouseholdNote


def with_note(household: Household, note: HouseholdNote) -> Household:
    """The household with ``note`` added (the same object when it has it already).

    Notes stay oldest first; past ``MAX_HOUSEHOLD_NOTES`` the oldest go (the server's
    events keep every one).
    """
    if any(known.id == note.id for known in household.notes):
        return household
    notes = sorted([*household.notes, note], key=lambda known: known.recorded_at)
    return household.model_copy(update={"notes": notes[-MAX_HOUSEHOLD_NOTES:]})


def newest_first(household: Household) -> list[HouseholdNote]:
    return sorted(household.notes, key=lambda note: note.recorded_at, reverse=True)


def handoff_to(
    household: Household, campaign_id: str, caller_id: str | None
) -> HouseholdNote | None:
    """Why the family was handed to ``caller_id`` in this campaign: the latest hand-off,
    when it names them."""
    handoffs = [
        note
        for note in household.notes
        if note.kind == "handoff" and note.campaign_id == campaign_id
    ]
    latest = max(handoffs, key=lambda note: note.recorded_at, default=None)
    return latest if latest is not None and latest.handed_to == caller_id else None
