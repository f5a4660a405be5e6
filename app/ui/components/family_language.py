"""The family's language, and a way to change it (the script and the next caller follow)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import flet as ft

from app.services import CallSheet

from ..context import use_caller_app
from ..guard import guarded
from ..theme import big_button_style
from .tap import chip, chip_row

if TYPE_CHECKING:
    from .family_panel import Correct


@ft.component
@guarded
def FamilyLanguage(sheet: CallSheet, correct: Correct) -> ft.Control:
    services, app, tr = use_caller_app()
    session = services.active(app)
    choosing, set_choosing = ft.use_state(False)
    household = sheet.household

    def pick(language: str) -> None:
        def save() -> str:
            session.corrections.set_language(sheet.campaign.id, household.id, language)
            return tr("family.language_set", language=tr.language_name(language))

        if correct(save):
            set_choosing(False)

    controls: list[ft.Control] = [
        ft.Semantics(
            identifier="family-language",
            content=ft.Text(
                tr("family.language", language=tr.language_name(household.language)), size=15
            ),
        ),
        ft.Semantics(
            identifier="family-language-change",
            content=ft.OutlinedButton(
                tr("family.language_change"),
                icon=ft.Icons.TRANSLATE,
                on_click=lambda: set_choosing(not choosing),
                style=big_button_style(),
            ),
        ),
    ]
    if choosing:
        controls.append(
            chip_row(
                [
                    chip(
                        tr.language_name(language),
                        partial(pick, language),
                        selected=False,
                        identifier=f"family-language-{language}",
                    )
                    for language in sheet.language_choices
                ]
            )
        )
    return ft.Column(controls, spacing=8)
