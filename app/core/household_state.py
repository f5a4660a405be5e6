"""Which group a household sits in on a caller's list: callback, new, retry or done."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from .calling_hours import household_zone
from .models import Campaign, Disposition

Group = Literal["callback", "new", "retry", "done"]


@dataclass(frozen=True)
class HouseholdState:
    group: Group
    attempts: int
    last_disposition: str | None = None
    callback_due_at: datetime | None = None
    callback_is_due: bool = False
    """An open callback whose time has come (the list may highlight it)."""


def day_started_at(campaign: Campaign, now: datetime) -> datetime | None:
    """Since when outcomes count in ``campaign``: for a daily-attendance campaign, midnight
    today in its time zone, because each morning's list is a new absence to call about
    (yesterday's reached family is on today's list when the child is out again); None, from
    the start, for any other campaign."""
    if campaign.kind != "daily_attendance":
        return None
    local = now.astimezone(household_zone(None, campaign.timezone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def household_state(
    outcomes: Sequence[tuple[str, datetime]],
    dispositions: Sequence[Disposition],
    open_callback_due: datetime | None,
    now: datetime,
) -> HouseholdState:
    """Group a household from its ``(disposition code, recorded_at)`` outcomes.

    An open callback, due or not, comes first; no outcome is new; a latest outcome that is
    complete or final is done; anything else, an unknown code included, is retry. The
    latest is the greatest ``recorded_at``, the later in ``outcomes`` on a tie.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("household_state needs an aware datetime, got a naive one")
    last: str | None = None
    if outcomes:
        # max() keeps the first of equals; reversing makes a tie go to the later entry.
        last = max(reversed(outcomes), key=lambda outcome: outcome[1])[0]
    attempts = len(outcomes)
    if open_callback_due is not None:
        due = open_callback_due <= now
        return HouseholdState("callback", attempts, last, open_callback_due, due)
    if last is None:
        return HouseholdState("new", 0)
    by_code = {disposition.code: disposition for disposition in dispositions}
    known = by_code.get(last)
    group: Group = "done" if known and (known.complete or known.final) else "retry"
    return HouseholdState(group, attempts, last)
