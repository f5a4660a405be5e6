"""The one clock: ``utcnow`` and the ``Clock`` type that lets tests hand in their own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]
"""What a store, session or sync client asks the time of; ``utcnow`` unless a test moves it."""


def utcnow() -> datetime:
    """Now, in UTC (aware)."""
    return datetime.now(UTC)
