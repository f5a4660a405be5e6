"""Callers: add one with the languages they speak, invite them (code, link, QR code), see
their devices and when each last synced, sign a device out or wipe a lost one, make a caller
inactive."""

from __future__ import annotations

import flet as ft

from app.core.models import LanguageCode
from app.core.reports import CallerUpdate
from app.ui.guard import guarded

from ..components.announcements_panel import AnnouncementsPanel
from ..components.caller_card import CallerCard
from ..components.invite_card import InviteCard
from ..components.language_picker import LanguagePicker
from ..context import use_query, use_screen, use_tr
from ..services import Invite, language_name
from ..theme import card, filled_button, heading


@ft.component
@guarded
def CallersView() -> ft.Control:
    console, state, attempt = use_screen()
    tr = use_tr()
    loaded = use_query(console.service.callers, [state.revision])
    choices = use_query(console.service.language_choices, [state.revision])
    no_invite: Invite | None = None
    invite, set_invite = ft.use_state(no_invite)
    name = ft.use_ref("")
    new_languages: list[LanguageCode] = ["en"]
    languages, set_languages_of_new = ft.use_state(new_languages)
    form, set_form = ft.use_state(0)  # bumped to give the form new, empty fields

    async def add() -> None:
        caller = await attempt(
            console.service.add_caller,
            name.current or "",
            languages,
        )
        if caller is not None:
            name.current = ""
            set_languages_of_new(["en"])
            set_form(form + 1)
            state.tell(tr("callers.added", name=caller.name))
            state.changed()

    async def make_invite(caller_id: str) -> None:
        made = await attempt(console.service.invite, caller_id, console.invite_base_url)
        if made is not None:
            set_invite(made)

    async def pick_for_new(chosen: list[LanguageCode]) -> None:
        set_languages_of_new(chosen)

    async def set_languages(caller_id: str, chosen: list[LanguageCode]) -> None:
        if not chosen:
            state.tell(tr("callers.one_language"))
            return
        updated = await attempt(
            console.service.update_caller, caller_id, CallerUpdate(languages=chosen)
        )
        if updated is not None:
            spoken = ", ".join(language_name(tag, tr.language) for tag in updated.languages)
            state.tell(tr("callers.speaks", name=updated.name, languages=spoken))
            state.changed()

    async def set_active(caller_id: str, active: bool) -> None:
        updated = await attempt(
            console.service.update_caller, caller_id, CallerUpdate(active=active)
        )
        if updated is not None:
            state.tell(
                tr("callers.active_again" if active else "callers.inactive", name=updated.name)
            )
            state.changed()

    async def revoke(device_id: str) -> None:
        await attempt(console.service.revoke_device, device_id)
        state.tell(tr("callers.device_signed_out"))
        state.changed()

    async def wipe(device_id: str) -> None:
        await attempt(console.service.wipe_device, device_id)
        state.tell(tr("callers.wipe_ordered"))
        state.changed()

    def typed_name(e: ft.Event[ft.TextField]) -> None:
        name.current = e.control.value or ""

    adding = card(
        ft.Column(
            [
                heading(tr("callers.add_title"), 18),
                ft.Row(
                    [
                        ft.TextField(
                            label=tr("callers.name"),
                            on_change=typed_name,
                            width=260,
                            key=f"name-{form}",
                        ),
                        filled_button(
                            tr("callers.add"),
                            icon=ft.Icons.PERSON_ADD,
                            on_click=add,
                            disabled=not languages,
                        ),
                    ],
                    wrap=True,
                    vertical_alignment=ft.CrossAxisAlignment.CENTER,
                ),
                LanguagePicker(
                    languages,
                    choices.value or [],
                    pick_for_new,
                    who=tr("callers.the_new_caller"),
                    identifier="languages-new-caller",
                ),
            ],
            spacing=10,
        )
    )
    blocks: list[ft.Control] = [heading(tr("screen.callers"), 24), adding]
    if state.campaign_id:
        panel = AnnouncementsPanel(state.campaign_id, loaded.value or [], key="announcements")  # type: ignore[call-arg]
        blocks.append(panel)
    if invite is not None:
        blocks.append(InviteCard(invite, lambda: set_invite(None)))
    if loaded.error:
        blocks.append(ft.Text(loaded.error, color=ft.Colors.ERROR))
    for caller in loaded.value or []:
        blocks.append(
            CallerCard(
                caller,
                choices.value or [],
                make_invite,
                set_languages,
                set_active,
                revoke,
                wipe,
                key=caller.id,
            )
        )
    return ft.Column(blocks, spacing=12)
