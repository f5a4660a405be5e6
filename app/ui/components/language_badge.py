"""A household's language at a glance: its name in the UI language in a pill."""

from __future__ import annotations

import flet as ft

from ..context import use_caller_app
from ..guard import guarded


@ft.component
@guarded
def LanguageBadge(language: str) -> ft.Control:
    tr = use_caller_app().tr
    return ft.Semantics(
        label=tr("language.badge", language=tr.language_name(language)),
        content=ft.Container(
            content=ft.Text(
                tr.language_label(language),
                size=13,
                weight=ft.FontWeight.BOLD,
                color=ft.Colors.ON_SECONDARY_CONTAINER,
            ),
            bgcolor=ft.Colors.SECONDARY_CONTAINER,
            padding=ft.Padding.symmetric(horizontal=8, vertical=2),
            border_radius=8,
        ),
    )
