"""A supervisor signs in with the account `phonebank create-supervisor` made."""

from __future__ import annotations

import flet as ft

from app.core.errors import PhonebankError
from app.ui.guard import guarded

from ..context import use_console, use_state_of_console
from ..theme import error_line, filled_button


@ft.component
@guarded
def SignInForm() -> ft.Control:
    console, state = use_console(), use_state_of_console()
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
            set_error(problem.message)
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
        ft.Text("Phonebank console", size=28, weight=ft.FontWeight.BOLD),
        ft.Text("Sign in as a supervisor.", size=16),
        ft.TextField(label="User name", on_change=typed_name, on_submit=sign_in, autofocus=True),
        ft.TextField(
            label="Password",
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
            "Signing in..." if busy else "Sign in",
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
