"""Which callbacks have just fallen due: the caller hears of each once, as it falls due
(a notification in the offline app), never in a burst of old ones when the app starts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .sheets import FollowUpRow


@dataclass(frozen=True)
class Reminder:
    follow_up_id: str
    household_name: str


@dataclass
class CallbackReminders:
    """Remembers the due callbacks already told (or already due at the first look: the list's
    banner shows those). In memory: a restarted app starts again from its banner."""

    _told: set[str] = field(default_factory=set)
    _looked: bool = False

    def newly_due(self, rows: Iterable[FollowUpRow]) -> list[Reminder]:
        due = [row for row in rows if row.is_due and row.follow_up.kind == "callback"]
        fresh = [row for row in due if row.follow_up.id not in self._told]
        self._told.update(row.follow_up.id for row in fresh)
        first, self._looked = not self._looked, True
        if first:
            return []
        return [Reminder(row.follow_up.id, row.household_name) for row in fresh]
