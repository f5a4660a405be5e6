"""What the caller's screens show, as plain frozen values: no Flet, no SQL, no HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from app.core.calling_hours import CallingHours
from app.core.events import Event
from app.core.household_state import Group
from app.core.models import (
    Campaign,
    Disposition,
    FollowUp,
    Household,
    LanguageCode,
    OutcomeSummary,
)
from app.core.scripts import RenderedScript
from app.store import Tally

GROUPS: tuple[Group, ...] = ("callback", "new", "retry", "done")


@dataclass(frozen=True)
class ListFilters:
    """What the caller typed or picked above "My list"; empty means everything."""

    text: str = ""
    language: LanguageCode | None = None
    tag: str | None = None


@dataclass(frozen=True)
class HouseholdRow:
    """One household on "My list": who, in which language, and what to do now."""

    campaign_id: str
    household_id: str
    name: str
    language: LanguageCode
    tags: tuple[str, ...]
    group: Group
    attempts: int
    last_disposition: str | None
    last_outcome: Disposition | None
    """The last disposition as the campaign defines it (for its label)."""
    callback_due_at: datetime | None
    callback_is_due: bool
    hours: CallingHours | None
    """The family's calling hours now; None when it needs no more calls."""
    do_not_call: bool

    @property
    def key(self) -> tuple[str, str]:
        return (self.campaign_id, self.household_id)


@dataclass(frozen=True)
class ListGroup:
    group: Group
    rows: tuple[HouseholdRow, ...]


@dataclass(frozen=True)
class MyList:
    groups: tuple[ListGroup, ...]
    """Only the groups with rows, in the order callback, new, retry, done."""
    languages: tuple[LanguageCode, ...]
    """Every language on the unfiltered list, for the filter."""
    tags: tuple[str, ...]
    total: int
    """Households on the unfiltered list."""

    @property
    def shown(self) -> int:
        return sum(len(group.rows) for group in self.groups)


@dataclass(frozen=True)
class PhoneChoice:
    number: str
    label: str
    bad: bool
    tel_link: str


CallerIdHiding = Literal["hidden", "cannot_hide"] | None
"""``hidden``: the call button dials the campaign's caller-ID code first; ``cannot_hide``: the
campaign has one but this phone does not dial codes from a link (an iPhone), so the caller
hides their number in the phone's settings; ``None``: the campaign has no code."""


@dataclass(frozen=True)
class TextOption:
    template_id: str
    label: str
    body: str
    missing: tuple[str, ...]


@dataclass(frozen=True)
class CallbackChoice:
    """A ready-made callback time: ``key`` names it for the UI's catalogue."""

    key: str
    due_at: datetime


@dataclass(frozen=True)
class CallSheet:
    """Everything the call screen shows for one household in one campaign."""

    campaign: Campaign
    household: Household
    caller_name: str
    script: RenderedScript | None
    script_languages: tuple[LanguageCode, ...]
    phones: tuple[PhoneChoice, ...]
    quick_outcomes: tuple[Disposition, ...]
    more_outcomes: tuple[Disposition, ...]
    text_options: tuple[TextOption, ...]
    text_language: LanguageCode | None
    needs: tuple[str, ...]
    """Needs a caller may tick: the script's need tags and the household's own tags."""
    resources: tuple[tuple[str, str], ...]
    """(section id, title) of the need-specific sections: resources to share."""
    hours: CallingHours | None
    """The family's calling hours now; None when it needs no more calls."""
    history: tuple[OutcomeSummary, ...]
    open_follow_ups: tuple[FollowUp, ...]
    callback_choices: tuple[CallbackChoice, ...]
    language_choices: tuple[LanguageCode, ...]
    caller_id: CallerIdHiding = None
    """Whether the call button hides the caller's number, when the campaign asks for it."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.campaign.id, self.household.id)

    @property
    def guardians(self) -> tuple[str, ...]:
        return tuple(member.name for member in self.household.guardians)

    @property
    def students(self) -> tuple[str, ...]:
        """Students' first names only: enough to ask for them, no more."""
        return tuple(
            (member.name.split() or [member.name])[0] for member in self.household.students
        )


@dataclass(frozen=True)
class SavedOutcome:
    """What the call screen confirms after a tap: the event written to the outbox."""

    event: Event
    disposition: Disposition
    channel: str
    link: str | None = None
    """The ``sms:`` link a text outcome opens."""


@dataclass(frozen=True)
class FollowUpRow:
    follow_up: FollowUp
    household_name: str
    campaign_name: str
    is_due: bool


@dataclass(frozen=True)
class StatsSheet:
    today: Tally
    this_week: Tally
    cheer: str
    """The catalogue key of a short encouraging line (never a ranking)."""
    cheer_values: dict[str, int] = field(default_factory=dict)
