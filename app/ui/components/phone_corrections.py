"""The family's numbers as the caller learns them: one it gave, one that is wrong."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import flet as ft

from app.services import CallSheet

from ..context import use_caller_app
from ..guard import guarded
from ..theme import big_button_style
from .entry_form import EntryForm
from .heading import heading

if TYPE_CHECKING:
    from .family_panel import Correct


@ft.component
@guarded
def PhoneCorrections(sheet: CallSheet, correct: Correct) -> ft.Control:
    services, app, tr = use_caller_app()
    corrections = services.active(app).corrections
    campaign_id, household_id = sheet.campaign.id, sheet.household.id

    def add(typed: str) -> str:
        number = corrections.add_number(campaign_id, household_id, typed)
        return tr("family.number_added", number=number)

    def mark_wrong(number: str) -> None:
        def save() -> str:
            corrections.mark_wrong(campaign_id, household_id, number)
            return tr("family.marked_wrong", number=number)

        correct(save)

    controls: list[ft.Control] = [heading(tr("family.numbers"), 4, size=16)]
    controls += [
        ft.Semantics(
            identifier=f"phone-wrong-{phone.number}",
            # A number marked wrong leaves the list: keyed, its button goes with it. By
            # place, the next number's button would take over its node, and a tap the
            # browser delivers late (as a screen reader's tap, after the redraw) would
            # mark that number wrong too.
            key=f"phone-wrong-{phone.number}",
            content=ft.OutlinedButton(
                tr("family.mark_wrong", number=phone.number),
                icon=ft.Icons.PHONE_DISABLED,
                on_click=partial(mark_wrong, phone.number),
                style=big_button_style(),
            ),
        )
        for phone in sheet.phones
        if not phone.bad
    ]
    controls.append(
        EntryForm(
            tr("family.number_field"),
            tr("family.number_add"),
            ft.Icons.ADD_CALL,
            "family-number-add",
            add,
            correct,
            keyboard_type=ft.KeyboardType.PHONE,
            key="family-number-form",  # a number marked wrong above it leaves it be
        )
    )
    return ft.Column(controls, spacing=8)
