"""A supervisor signs in with the account `phonebank create-supervisor` made."""

from __future__ import annotations

import flet as ft

from app.core.errors import PhonebankError
from app.ui.guard import guarded

from ..context import use_console, use_state_of_console, use_tr
from ..i18n import said
from ..theme import error_line, filled_button


@ft.component
@guarded
def SignInForm() -> ft.Control:
    console, state, tr = use_console(), use_state_of_console(), use_tr()
    username = ft.use_ref("")
    password = ft.use_ref("")
    notice: str | None = state.notice
    error, set_error = ft.use_state(notice)
    busy, set_busy = ft.use_state(False)

    async def sign_in() -> None:
        if busy:
            return
        set_busy(True)
        set_error(None)
        client = ft.context.page.client_ip or ""
        try:
            name = await console.run(
                console.service.sign_in, username.current or "", password.current or "", client
            )
        except PhonebankError as problem:
            set_error(said(problem, tr))
            set_busy(False)
            return
        await console.remember_token(console.service.token)
        set_busy(False)
        state.signed_in_as(name, console.service.is_admin)

    def typed_name(e: ft.Event[ft.TextField]) -> None:
        username.current = e.control.value or ""

    def typed_password(e: ft.Event[ft.TextField]) -> None:
        password.current = e.control.value or ""

    controls: list[ft.Control] = [
        ft.Text(tr("sign_in.title"), size=28, weight=ft.FontWeight.BOLD),
        ft.Text(tr("sign_in.lead"), size=16),
        ft.TextField(
            label=tr("sign_in.user_name"), on_change=typed_name, on_submit=sign_in, autofocus=True
        ),
        ft.TextField(
            label=tr("sign_in.password"),
            password=True,
            can_reveal_password=True,
            on_change=typed_password,
            on_submit=sign_in,
        ),
    ]
    if error:
        controls.append(error_line("sign-in-error", error, size=15))
    controls.append(
        filled_button(
            tr("sign_in.busy") if busy else tr("sign_in.submit"),
            icon=ft.Icons.LOGIN,
            on_click=sign_in,
            disabled=busy,
        )
    )
    return ft.Container(
        content=ft.Column(controls, spacing=16, tight=True),
        width=420,
        padding=24,
        border_radius=16,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
    )
