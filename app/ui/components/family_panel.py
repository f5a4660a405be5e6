"""What the caller learned about the family, for whoever calls it next: its language, its
numbers and notes. Each change is saved at once (an event that syncs), apart from the
call's outcome."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.core.errors import PhonebankError
from app.services import CallSheet

from ..context import use_caller_app
from ..guard import guarded
from ..theme import BOUNDARY
from .family_language import FamilyLanguage
from .family_notes import FamilyNotes
from .heading import heading
from .phone_corrections import PhoneCorrections

Correct = Callable[[Callable[[], str]], bool]
"""Run a correction; its message (or the refusal's) is shown and the screen reads it again."""


@ft.component
@guarded
def FamilyPanel(sheet: CallSheet) -> ft.Control:
    _services, app, tr = use_caller_app()
    said, set_said = ft.use_state(("", False))

    def correct(action: Callable[[], str]) -> bool:
        try:
            message = action()
        except PhonebankError as problem:
            set_said((tr.error(problem), True))
            return False
        set_said((message, False))
        app.changed()
        return True

    controls: list[ft.Control] = [
        heading(tr("family.heading"), 3, size=18),
        FamilyLanguage(sheet, correct),
        PhoneCorrections(sheet, correct),
        FamilyNotes(sheet, correct),
    ]
    message, is_error = said
    if message:
        controls.append(
            ft.Semantics(
                identifier="family-message",
                live_region=True,
                content=ft.Text(
                    message, size=15, color=ft.Colors.ERROR if is_error else ft.Colors.PRIMARY
                ),
            )
        )
    return ft.Container(
        content=ft.Column(controls, spacing=10),
        padding=12,
        border_radius=12,
        border=ft.Border.all(1, BOUNDARY),
    )
