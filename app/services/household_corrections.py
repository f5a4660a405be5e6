"""What a caller corrects about a family during a call: a new number, a wrong one, the
family's language, a note for whoever calls next. Each is one event in the outbox (with
its local effect), so it syncs like an outcome and reaches every device holding the family.
"""

from __future__ import annotations

from app.core.errors import InvalidPhoneNumber, PhonebankError
from app.core.events import Event
from app.core.household_notes import handoff_to, newest_first
from app.core.limits import MAX_PHONES, NOTE_CHARS
from app.core.models import Household, HouseholdNote, LanguageCode
from app.core.phones import DEFAULT_REGION, normalise_phone
from app.store import DeviceStore

__all__ = ["CorrectionRefused", "HouseholdCorrections"]


class CorrectionRefused(PhonebankError):
    """That correction cannot be saved"""

    key = "error.correction_refused"


class HouseholdCorrections:
    """Corrections and notes for the households on this device; NotAssigned for any other."""

    def __init__(self, store: DeviceStore, region: str = DEFAULT_REGION) -> None:
        self.store = store
        self.region = region

    def _household(self, household_id: str) -> Household:
        household = self.store.household(household_id)
        if household is None:
            raise CorrectionRefused(
                "That household is no longer on your list", key="error.not_assigned"
            )
        return household

    def add_number(self, campaign_id: str, household_id: str, typed: str) -> str:
        """Save a number the family gave; returns it as E.164. InvalidPhoneNumber names what
        is wrong with what was typed; a number the family has already is refused."""
        household = self._household(household_id)
        number = normalise_phone(typed, self.region)
        known = next((phone for phone in household.phones if phone.number == number), None)
        if known is not None:
            if known.bad:
                raise CorrectionRefused(
                    f"{number} was marked wrong before", key="error.number_was_wrong", number=number
                )
            raise CorrectionRefused(
                f"{number} is already listed", key="error.number_listed", number=number
            )
        if len(household.phones) >= MAX_PHONES:
            raise CorrectionRefused(
                f"A family has at most {MAX_PHONES} numbers",
                key="error.too_many_numbers",
                count=MAX_PHONES,
            )
        self.store.correct_phone(campaign_id, household_id, new_number=number)
        return number

    def mark_wrong(self, campaign_id: str, household_id: str, number: str) -> Event:
        """The number is not the family's (or no longer works): no one dials it again."""
        household = self._household(household_id)
        if number not in {phone.number for phone in household.callable_phones}:
            raise InvalidPhoneNumber(f"{number} is not one of this family's working numbers")
        return self.store.correct_phone(campaign_id, household_id, old_number=number, bad=True)

    def set_language(
        self, campaign_id: str, household_id: str, language: LanguageCode
    ) -> Event | None:
        """The family's language from now on (the script and the next caller follow it);
        None when it is that already."""
        household = self._household(household_id)
        language = language.strip()
        if not language:
            raise CorrectionRefused("Pick the family's language", key="error.pick_family_language")
        if language == household.language:
            return None
        return self.store.correct_language(campaign_id, household_id, language)

    def add_note(self, campaign_id: str, household_id: str, text: str) -> Event:
        """A note about the family (not about this call): "call after 6", "grandmother
        speaks Cantonese". Whoever calls it next, in any campaign, reads it."""
        self._household(household_id)
        text = text.strip()
        if not text:
            raise CorrectionRefused("Type the note first", key="error.note_empty")
        if len(text) > NOTE_CHARS:
            raise CorrectionRefused(
                f"A note has at most {NOTE_CHARS:,} characters; this one has {len(text):,}",
                key="error.note_too_long",
                limit=NOTE_CHARS,
                count=len(text),
            )
        return self.store.add_note(campaign_id, household_id, text)

    @staticmethod
    def notes(household: Household) -> list[HouseholdNote]:
        """The family's notes and hand-offs, newest first."""
        return newest_first(household)

    def handoff(self, campaign_id: str, household: Household) -> HouseholdNote | None:
        """Why this family came to this caller, when another caller handed it over."""
        return handoff_to(household, campaign_id, self.store.caller_id)
