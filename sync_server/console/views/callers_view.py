"""Callers: add one with the languages they speak, invite them (code, link, QR code), see
their devices and when each last synced, revoke a lost phone, make a caller inactive."""

from __future__ import annotations

import flet as ft

from app.core.reports import CallerUpdate
from app.ui.guard import guarded

from ..components.caller_card import CallerCard
from ..components.invite_card import InviteCard
from ..context import use_query, use_screen
from ..services import Invite, caller_languages
from ..theme import card, filled_button, heading


@ft.component
@guarded
def CallersView() -> ft.Control:
    console, state, attempt = use_screen()
    loaded = use_query(console.service.callers, [state.revision])
    no_invite: Invite | None = None
    invite, set_invite = ft.use_state(no_invite)
    name = ft.use_ref("")
    languages = ft.use_ref("en")
    form, set_form = ft.use_state(0)  # bumped to give the form new, empty fields

    async def add() -> None:
        caller = await attempt(
            console.service.add_caller,
            name.current or "",
            caller_languages(languages.current or ""),
        )
        if caller is not None:
            name.current, languages.current = "", "en"
            set_form(form + 1)
            state.tell(f"Added {caller.name}. Invite them to join from their phone.")
            state.changed()

    async def make_invite(caller_id: str) -> None:
        made = await attempt(console.service.invite, caller_id, console.invite_base_url)
        if made is not None:
            set_invite(made)

    async def set_languages(caller_id: str, text: str) -> None:
        updated = await attempt(
            console.service.update_caller,
            caller_id,
            CallerUpdate(languages=caller_languages(text) or None),
        )
        if updated is not None:
            state.tell(f"{updated.name} speaks {', '.join(updated.languages)}.")
            state.changed()

    async def set_active(caller_id: str, active: bool) -> None:
        updated = await attempt(
            console.service.update_caller, caller_id, CallerUpdate(active=active)
        )
        if updated is not None:
            state.tell(
                f"{updated.name} is active again."
                if active
                else f"{updated.name} is inactive: their devices stop syncing. Rebalance their "
                "households under Assignment."
            )
            state.changed()

    async def revoke(device_id: str) -> None:
        await attempt(console.service.revoke_device, device_id)
        state.tell("Device revoked: it can no longer sync. Its unsent work stays on it.")
        state.changed()

    def typed_name(e: ft.Event[ft.TextField]) -> None:
        name.current = e.control.value or ""

    def typed_languages(e: ft.Event[ft.TextField]) -> None:
        languages.current = e.control.value or ""

    adding = card(
        ft.Column(
            [
                heading("Add a caller", 18),
                ft.Row(
                    [
                        ft.TextField(
                            label="Caller's name",
                            on_change=typed_name,
                            width=260,
                            key=f"name-{form}",
                        ),
                        ft.TextField(
                            label="Languages they speak",
                            value="en",
                            hint_text="en, es",
                            on_change=typed_languages,
                            width=220,
                            key=f"languages-{form}",
                        ),
                        filled_button("Add caller", icon=ft.Icons.PERSON_ADD, on_click=add),
                    ],
                    wrap=True,
                    vertical_alignment=ft.CrossAxisAlignment.CENTER,
                ),
            ],
            spacing=10,
        )
    )
    blocks: list[ft.Control] = [heading("Callers", 24), adding]
    if invite is not None:
        blocks.append(InviteCard(invite, lambda: set_invite(None)))
    if loaded.error:
        blocks.append(ft.Text(loaded.error, color=ft.Colors.ERROR))
    for caller in loaded.value or []:
        blocks.append(
            CallerCard(caller, make_invite, set_languages, set_active, revoke, key=caller.id)
        )
    return ft.Column(blocks, spacing=12)
