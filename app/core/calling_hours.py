"""The calling-hours rule: may a household be called now, by the clock on its own wall?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .models import CallingWindow, Campaign, Household

FALLBACK_ZONE = "America/Los_Angeles"
"""Used only when both the household's and the campaign's zones are unusable."""

DEFAULT_WINDOW = CallingWindow()

Reason = Literal["ok", "too_early", "too_late"]


@dataclass(frozen=True)
class CallingHours:
    """The household's local time and whether the campaign's window allows a call."""

    local_time: datetime
    allowed: bool
    reason: Reason
    opens_at: datetime | None = None
    """When not allowed: the next start of the window, aware, in the household's zone."""


def _zone(key: str | None) -> ZoneInfo | None:
    if not key or not key.strip():
        return None
    try:
        return ZoneInfo(key.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # Bad keys fail in several ways: unknown name, path-like key, a directory, a non-TZif file.
        return None


def household_zone(household_timezone: str | None, campaign_timezone: str) -> ZoneInfo:
    """The household's IANA zone, else the campaign's, else ``FALLBACK_ZONE``."""
    return _zone(household_timezone) or _zone(campaign_timezone) or ZoneInfo(FALLBACK_ZONE)


def _window(campaign: Campaign) -> CallingWindow:
    window = campaign.calling_window
    # A window that is empty or wraps midnight is a typo, not a wish to call at 3 am:
    # fall back to the default window rather than allow every hour.
    return window if window.start < window.end else DEFAULT_WINDOW


def _at(day: datetime, start: time) -> datetime:
    """``start`` on ``day``'s date in its zone; a time skipped by DST moves forward."""
    local = datetime.combine(day.date(), start, tzinfo=day.tzinfo)
    return local.astimezone(UTC).astimezone(day.tzinfo)


def calling_hours(now: datetime, household: Household, campaign: Campaign) -> CallingHours:
    """Whether ``household`` may be called at ``now`` (aware) under ``campaign``'s window.

    The window is read on the household's wall clock, start inclusive and end exclusive.
    A naive ``now`` raises ValueError: the rule never guesses a clock.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("calling_hours needs an aware datetime, got a naive one")
    local = now.astimezone(household_zone(household.timezone, campaign.timezone))
    window = _window(campaign)
    clock = local.time()
    if clock < window.start:
        return CallingHours(local, False, "too_early", _at(local, window.start))
    if clock >= window.end:
        return CallingHours(local, False, "too_late", _at(local + timedelta(days=1), window.start))
    return CallingHours(local, True, "ok")
