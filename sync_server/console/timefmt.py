"""Times as a supervisor reads them: '4 min ago', 'yesterday 16:05', in the campaign's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def ago(moment: datetime | None, now: datetime | None = None) -> str:
    """How long ago, roughly: 'just now', '4 min ago', '3 h ago', '2 days ago', 'never'."""
    if moment is None:
        return "never"
    now = now or datetime.now(UTC)
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86400)
    return "yesterday" if days == 1 else f"{days} days ago"


def local(moment: datetime | None, timezone: str | None, pattern: str = "%b %d %H:%M") -> str:
    if moment is None:
        return "—"
    return moment.astimezone(zone(timezone)).strftime(pattern)
