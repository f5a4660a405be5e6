"""The sign-in screen: the form, centred."""

from __future__ import annotations

import flet as ft

from ..components.sign_in_form import SignInForm
from ..guard import guarded


@ft.component
@guarded
def SignInView() -> ft.Control:
    return ft.Container(content=SignInForm(), alignment=ft.Alignment.CENTER, expand=True)
