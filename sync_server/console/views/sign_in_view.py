"""The sign-in screen: the form, centred."""

from __future__ import annotations

import flet as ft

from app.ui.guard import guarded

from ..components.language_menu import LanguageMenu
from ..components.sign_in_form import SignInForm


@ft.component
@guarded
def SignInView() -> ft.Control:
    return ft.Column(
        [
            ft.Row([LanguageMenu()], alignment=ft.MainAxisAlignment.END),
            ft.Row([SignInForm()], alignment=ft.MainAxisAlignment.CENTER),
        ],
        alignment=ft.MainAxisAlignment.CENTER,
        expand=True,
    )
