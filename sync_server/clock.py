"""The server's clock (``app.core.clock.utcnow``, the one clock) and how it writes a time."""

from __future__ import annotations

from datetime import UTC, datetime

from app.core.clock import utcnow

__all__ = ["iso", "utcnow"]


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
