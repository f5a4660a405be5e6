"""Type an invite code (or arrive with one in the link) and join the phone bank."""

from __future__ import annotations

from typing import cast

import flet as ft

from app.core.errors import InvalidInvite, PhonebankError, TooManyAttempts, TransientSyncError

from ..context import use_caller_app, use_sync
from ..guard import guarded
from ..theme import big_button_style
from .button_pair import ButtonChoice, button_pair
from .typed_field import TypedField


@ft.component
@guarded
def JoinForm() -> ft.Control:
    services, app, tr = use_caller_app()
    sync = use_sync()
    error, set_error = ft.use_state(cast(str | None, None))
    busy, set_busy = ft.use_state(False)
    # What was typed lives in a ref: typing redraws nothing (a redraw per keystroke sends
    # the value back and drops letters typed meanwhile); any other redraw keeps it.
    code = ft.use_ref(app.invite_code)

    def typed(text: str) -> None:
        code.current = text

    async def join() -> None:
        if busy:
            return
        set_busy(True)
        set_error(None)
        try:
            caller = await services.session.join(code.current or "")
        except InvalidInvite:
            set_error(tr("join.error.invalid"))
        except TooManyAttempts:
            set_error(tr("join.error.too_many"))
        except TransientSyncError:
            set_error(tr("join.error.offline"))
        except PhonebankError as problem:
            set_error(tr("join.error.other", message=tr.error(problem)))
        else:
            app.invite_code = ""
            app.notice = tr("join.welcome", name=caller.name)
            app.screen = "list"
            app.changed()
        finally:
            set_busy(False)

    async def join_from_link() -> None:
        if app.auto_join and app.invite_code:
            app.auto_join = False
            await join()

    ft.on_mounted(join_from_link)

    controls: list[ft.Control] = [
        ft.Text(tr("join.title"), size=24, weight=ft.FontWeight.BOLD),
    ]
    if sync.erased and not services.session.joined:
        controls.append(
            ft.Semantics(
                identifier="join-erased",
                live_region=True,
                content=ft.Text(tr("join.erased"), color=ft.Colors.ERROR, size=16),
            )
        )
    controls += [
        ft.Text(tr("join.lead"), size=16),
        TypedField(
            code.current or "",
            typed,
            label=tr("join.code"),
            on_submit=join,
            autofocus=True,
            text_size=20,
            capitalization=ft.TextCapitalization.CHARACTERS,
        ),
    ]
    if error:
        controls.append(
            ft.Semantics(
                identifier="join-error",
                live_region=True,
                content=ft.Text(error, color=ft.Colors.ERROR, size=15),
            )
        )
    controls += button_pair(
        ButtonChoice(
            tr("join.joining") if busy else tr("join.submit"),
            ft.Icons.LOGIN,
            join,
            disabled=busy,
        ),
        ButtonChoice(tr("join.practice"), ft.Icons.SCHOOL, app.start_practice),
    )
    if services.session.joined:  # re-joining from settings or the sync details: a way back
        controls.append(
            ft.TextButton(
                tr("call.cancel"), on_click=lambda: app.go("list"), style=big_button_style()
            )
        )
    return ft.Column(controls, spacing=14)
