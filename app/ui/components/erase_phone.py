"""Settings' "Sign out and erase this phone": a confirm, then the session pushes what it
can and erases; work it could not send needs a second, explicit yes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal

import flet as ft

from app.core.errors import PhonebankError
from app.services import UnsentWorkWouldBeLost

from ..context import use_caller_app
from ..guard import guarded
from ..theme import big_button_style

Step = Literal["idle", "confirm", "erasing", "unsent"]


def _danger(text: str, on_click: Callable[[], Awaitable[None]], identifier: str) -> ft.Control:
    return ft.FilledButton(
        text,
        icon=ft.Icons.PHONELINK_ERASE,
        on_click=on_click,
        style=big_button_style(),
        bgcolor=ft.Colors.ERROR,
        color=ft.Colors.ON_ERROR,
        key=identifier,
    )


@ft.component
@guarded
def ErasePhone() -> ft.Control:
    services, app, tr = use_caller_app()
    idle: Step = "idle"
    step, set_step = ft.use_state(idle)
    unsent, set_unsent = ft.use_state(0)
    problem, set_problem = ft.use_state("")

    async def erase(lose_unsent: bool) -> None:
        set_step("erasing")
        set_problem("")
        try:
            await services.session.sign_out_and_erase(unsent_work_lost_is_ok=lose_unsent)
        except UnsentWorkWouldBeLost as refused:
            count = refused.values.get("count", 0)
            set_unsent(count if isinstance(count, int) else 0)
            set_step("unsent")
            return
        except PhonebankError as error:
            set_problem(tr.error(error))
            set_step("idle")
            return
        set_step("idle")
        app.go("join")
        app.changed()

    async def first_yes() -> None:
        await erase(False)

    async def second_yes() -> None:
        await erase(True)

    controls: list[ft.Control] = [ft.Text(tr("settings.erase_lead"))]
    if step == "idle":
        controls.append(
            ft.OutlinedButton(
                tr("settings.erase"),
                icon=ft.Icons.PHONELINK_ERASE,
                on_click=lambda: set_step("confirm"),
                style=big_button_style(),
            )
        )
    elif step == "confirm":
        controls += [
            ft.Text(tr("settings.erase_confirm"), color=ft.Colors.ERROR, size=16),
            ft.Row(
                [
                    _danger(tr("settings.erase_yes"), first_yes, "erase-yes"),
                    ft.TextButton(
                        tr("call.cancel"),
                        on_click=lambda: set_step("idle"),
                        style=big_button_style(),
                    ),
                ],
                wrap=True,
            ),
        ]
    elif step == "erasing":
        controls.append(ft.Text(tr("settings.erasing")))
    else:
        controls += [
            ft.Semantics(
                identifier="erase-unsent",
                live_region=True,
                content=ft.Text(
                    tr("settings.erase_unsent", count=unsent), color=ft.Colors.ERROR, size=16
                ),
            ),
            ft.Row(
                [
                    _danger(tr("settings.erase_anyway", count=unsent), second_yes, "erase-anyway"),
                    ft.TextButton(
                        tr("call.cancel"),
                        on_click=lambda: set_step("idle"),
                        style=big_button_style(),
                    ),
                ],
                wrap=True,
            ),
        ]
    if problem:
        controls.append(ft.Text(problem, color=ft.Colors.ERROR))
    return ft.Column(controls, spacing=10)
