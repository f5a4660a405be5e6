"""Plain-Python services the caller app's screens call: no Flet, no SQL, no HTTP here.

```
CallbackReminders  which callbacks have just fallen due, each told once
CallerSession      join, my list, a household's call sheet, record / text / log inbound,
                   follow-ups, stats, sync now — over DeviceStore + SyncClient
practice_session   the same over a throwaway in-memory store with a sample family
Translator         the app's words in the caller's language (assets/i18n/*.json)
```
"""

from .callback_reminders import CallbackReminders, Reminder
from .caller_session import (
    CallerSession,
    CallOptedOut,
    NothingToText,
    OutcomeIncomplete,
    OutsideCallingHours,
    TextOptedOut,
    UnsentWorkWouldBeLost,
)
from .i18n import Translator, choose_language, load_catalogues
from .practice import PRACTICE_CAMPAIGN_ID, PRACTICE_HOUSEHOLD_ID, practice_session
from .sheets import (
    CallbackChoice,
    CallSheet,
    FollowUpRow,
    HouseholdRow,
    ListFilters,
    ListGroup,
    MyList,
    PhoneChoice,
    SavedOutcome,
    StatsSheet,
    TextOption,
)
from .survey import InvalidAnswer, InvalidCallbackTime, parse_callback_time, typed_answer

__all__ = [
    "PRACTICE_CAMPAIGN_ID",
    "PRACTICE_HOUSEHOLD_ID",
    "CallOptedOut",
    "CallSheet",
    "CallbackChoice",
    "CallbackReminders",
    "CallerSession",
    "FollowUpRow",
    "HouseholdRow",
    "InvalidAnswer",
    "InvalidCallbackTime",
    "ListFilters",
    "ListGroup",
    "MyList",
    "NothingToText",
    "OutcomeIncomplete",
    "OutsideCallingHours",
    "PhoneChoice",
    "Reminder",
    "SavedOutcome",
    "StatsSheet",
    "TextOptedOut",
    "TextOption",
    "Translator",
    "UnsentWorkWouldBeLost",
    "choose_language",
    "load_catalogues",
    "parse_callback_time",
    "practice_session",
    "typed_answer",
]
