"""The console's language, switched from the top bar; each language named in its own words."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.services.i18n import Translator
from app.ui.guard import guarded

from ..context import use_console, use_state_of_console, use_tr


@ft.component
@guarded
def LanguageMenu() -> ft.Control:
    console, state, tr = use_console(), use_state_of_console(), use_tr()

    def own_name(language: str) -> str:
        return Translator(language, console.catalogues).language_label(language)

    async def choose(language: str) -> None:
        state.speak(language)
        await console.remember_language(language)

    return ft.PopupMenuButton(
        content=ft.Row(
            [ft.Icon(ft.Icons.TRANSLATE, size=20), ft.Text(own_name(state.ui_language), size=14)],
            spacing=6,
            tight=True,
        ),
        tooltip=tr("shell.language"),
        items=[
            ft.PopupMenuItem(
                content=own_name(language),
                checked=language == state.ui_language,
                on_click=partial(choose, language),
            )
            for language in sorted(console.catalogues)
        ],
    )
