"""What the caller sees of syncing: online or not, pending changes, last success, last error.

A plain object with a subscribe hook, so the UI can wrap it in its own observable
without this package knowing the UI toolkit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from app.core.errors import PhonebankError

Listener = Callable[["SyncStatus"], None]


@dataclass
class SyncFacts:
    """What is known about syncing right now; the UI's observable copy has these fields too."""

    online: bool = True
    syncing: bool = False
    pending: int = 0
    """Events recorded here that the server has not acknowledged yet."""
    parked: int = 0
    """Events the server refused; they wait for attention and block nothing."""
    last_success_at: datetime | None = None
    last_error: str | None = None
    """In plain English words (logs, tests); None once a sync succeeds."""
    last_problem: PhonebankError | None = None
    """The same as an error with its catalogue key and values: what the caller reads, in
    the caller's language (``Translator.error``)."""
    rejoin_needed: bool = False
    erased: bool = False
    """This device was erased (a supervisor's wipe, or its caller's sign-out): join again."""


@dataclass
class SyncStatus(SyncFacts):
    """The sync client's facts, and who to tell when they change."""

    _listeners: list[Listener] = field(default_factory=list, repr=False, compare=False)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(status)`` after every change; returns a function to unsubscribe."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def update(self, **changes: Any) -> None:
        """Set fields; listeners hear of it once, and only if something changed."""
        known = {f.name for f in fields(SyncFacts)}
        unknown = set(changes) - known
        if unknown:
            raise AttributeError(f"SyncStatus has no field {sorted(unknown)[0]!r}")
        changed = False
        for name, value in changes.items():
            if getattr(self, name) != value:
                setattr(self, name, value)
                changed = True
        if changed:
            for listener in list(self._listeners):
                listener(self)
