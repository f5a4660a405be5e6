"""What the caller has tapped and typed on one household's call screen, until it is saved."""

from __future__ import annotations

from dataclasses import dataclass, field

import flet as ft

from app.services import SavedOutcome
from app.services.survey import RawAnswer


@dataclass
class Draft:
    """What the caller typed, kept out of the observable on purpose: a text field whose
    value is sent back on every keystroke drops letters typed meanwhile. Fields stay
    uncontrolled; this only remembers their text for the save."""

    notes: str = ""
    typed_answers: dict[str, RawAnswer] = field(default_factory=dict)
    custom_time: str = ""
    referral: str = ""
    outside_hours_reason: str = ""


@ft.observable
@dataclass
class CallState:
    script_language: str | None = None
    phone: str | None = None
    answers: dict[str, RawAnswer] = field(default_factory=dict)
    needs: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    draft: Draft = field(default_factory=Draft)
    more_outcomes: bool = False
    asking: str | None = None
    """A disposition waiting for its second tap (callback time, language, which number)."""
    referral_field: int = 0
    """Bumped to give the referral box a new, empty field after a referral is added."""
    outside_hours: bool = False
    """The caller tapped "call" outside the family's hours: the screen asks why."""
    outside_hours_reason: str | None = None
    """Why the caller called outside the family's hours: saved with the outcome."""
    saved: SavedOutcome | None = None
    error: str | None = None
    info: str | None = None

    def set_script_language(self, language: str) -> None:
        self.script_language = language

    def choose_phone(self, number: str) -> None:
        self.phone = number

    def all_answers(self) -> dict[str, RawAnswer]:
        return {**self.answers, **self.draft.typed_answers}

    def answer(self, question_id: str, value: RawAnswer) -> None:
        self.answers = {**self.answers, question_id: value}

    def toggle(self, which: str, value: str) -> None:
        chosen = list(getattr(self, which))
        if value in chosen:
            chosen.remove(value)
        else:
            chosen.append(value)
        setattr(self, which, chosen)
