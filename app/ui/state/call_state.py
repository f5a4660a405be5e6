"""What the caller has tapped and typed on one household's call screen, until it is saved."""

from __future__ import annotations

from dataclasses import dataclass, field

import flet as ft

from app.services import SavedOutcome
from app.services.survey import RawAnswer


@ft.observable
@dataclass
class CallState:
    script_language: str | None = None
    phone: str | None = None
    answers: dict[str, RawAnswer] = field(default_factory=dict)
    needs: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    notes: str = ""
    more_outcomes: bool = False
    asking: str | None = None
    """A disposition waiting for its second tap (callback time, language, which number)."""
    custom_time: str = ""
    referral: str = ""
    saved: SavedOutcome | None = None
    error: str | None = None
    info: str | None = None

    def answer(self, question_id: str, value: RawAnswer) -> None:
        self.answers = {**self.answers, question_id: value}

    def toggle(self, which: str, value: str) -> None:
        chosen = list(getattr(self, which))
        if value in chosen:
            chosen.remove(value)
        else:
            chosen.append(value)
        setattr(self, which, chosen)
