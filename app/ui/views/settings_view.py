"""Settings: the app's language, practice mode, who this device is, and erasing it."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.services import Translator

from ..components.erase_phone import ErasePhone
from ..components.heading import heading
from ..components.tap import chip
from ..context import use_caller_app
from ..guard import guarded
from ..theme import big_button_style


@ft.component
@guarded
def SettingsView() -> ft.Control:
    services, app, tr = use_caller_app()
    caller = services.session.caller

    async def choose(language: str) -> None:
        app.ui_language = language
        await services.remember("ui_language", language)

    languages = sorted(services.catalogues)
    return ft.Column(
        [
            heading(tr("settings.title"), 2),
            heading(tr("settings.language"), 3),
            ft.Row(
                [
                    chip(
                        # Each language in its own words, in its own direction.
                        Translator(language, services.catalogues)("language.self"),
                        partial(choose, language),
                        selected=language == app.ui_language,
                        identifier=f"ui-language-{language}",
                    )
                    for language in languages
                ],
                wrap=True,
                spacing=8,
            ),
            heading(tr("settings.practice"), 3),
            ft.OutlinedButton(
                tr("settings.practice_start"),
                icon=ft.Icons.SCHOOL,
                on_click=app.start_practice,
                style=big_button_style(),
            ),
            heading(tr("settings.device"), 3),
            ft.Text(
                tr("settings.signed_in", name=caller.name) if caller else tr("settings.not_joined")
            ),
            ft.TextButton(tr("settings.rejoin"), on_click=lambda: app.go("join")),
            *([ErasePhone()] if caller and not app.practice else []),
        ],
        spacing=10,
        horizontal_alignment=ft.CrossAxisAlignment.START,
    )
