"""A clock a test sets by hand: what the device store and the caller's session take as
``clock``, so that "now" is wherever the test puts it."""

from __future__ import annotations

from datetime import datetime


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now
