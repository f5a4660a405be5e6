"""One caller: languages (picked from a list, saved at once), active or not, households held,
devices to revoke."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import flet as ft

from app.core.models import LanguageCode
from app.core.reports import CallerInfo, DeviceInfo
from app.ui.guard import guarded

from ..services import language_name
from ..theme import filled_button, quiet_text
from ..timefmt import ago
from .language_picker import LanguagePicker


def _device(device: DeviceInfo, on_revoke: Callable[[str], Any]) -> ft.Control:
    state = (
        "revoked " + ago(device.revoked_at)
        if device.revoked
        else (f"last seen {ago(device.last_seen_at)}, last sync {ago(device.last_sync_at)}")
    )
    text = f"{device.name or 'Device'} — {state}"

    async def revoke() -> None:
        await on_revoke(device.id)

    controls: list[ft.Control] = [
        ft.Icon(
            ft.Icons.PHONE_ANDROID,
            color=ft.Colors.ON_SURFACE_VARIANT if device.revoked else ft.Colors.PRIMARY,
        ),
        ft.Text(text, size=14, expand=True),
    ]
    if not device.revoked:
        controls.append(
            ft.TextButton(f"Revoke {device.name or 'device'}", icon=ft.Icons.BLOCK, on_click=revoke)
        )
    return ft.Semantics(
        identifier=f"device-{device.id}",
        label=text,
        content=ft.Row(controls, spacing=8),
    )


@ft.component
@guarded
def CallerCard(
    caller: CallerInfo,
    language_choices: Sequence[tuple[LanguageCode, str]],
    on_invite: Callable[[str], Any],
    on_languages: Callable[[str, list[LanguageCode]], Awaitable[Any]],
    on_active: Callable[[str, bool], Any],
    on_revoke: Callable[[str], Any],
    *,
    key: str | None = None,  # taken by Flet: one card keeps its own state per caller
) -> ft.Control:
    async def save_languages(chosen: list[LanguageCode]) -> None:
        await on_languages(caller.id, chosen)

    async def invite() -> None:
        await on_invite(caller.id)

    async def toggle_active(e: ft.Event[ft.Switch]) -> None:
        await on_active(caller.id, bool(e.control.value))

    header = ft.Row(
        [
            ft.Semantics(
                exclude_semantics=True,
                identifier=f"caller-{caller.id}",
                label=(
                    f"{caller.name}: speaks "
                    f"{', '.join(language_name(tag) for tag in caller.languages)}, "
                    f"{caller.assigned} households, last sync {ago(caller.last_sync_at)}"
                    + ("" if caller.active else ", inactive")
                ),
                content=ft.Column(
                    [
                        ft.Text(caller.name, size=18, weight=ft.FontWeight.BOLD),
                        quiet_text(
                            f"{caller.assigned} open households · last sync "
                            f"{ago(caller.last_sync_at)}",
                            size=13,
                        ),
                    ],
                    spacing=2,
                ),
                expand=True,
            ),
            ft.Switch(label="Active", value=caller.active, on_change=toggle_active),
            filled_button(
                f"Invite {caller.name}",
                icon=ft.Icons.QR_CODE,
                on_click=invite,
                disabled=not caller.active,
            ),
        ],
        vertical_alignment=ft.CrossAxisAlignment.CENTER,
    )
    body: list[ft.Control] = [
        header,
        LanguagePicker(
            caller.languages,
            language_choices,
            save_languages,
            who=caller.name,
            identifier=f"languages-{caller.id}",
        ),
    ]
    body += [_device(device, on_revoke) for device in caller.devices]
    if not caller.devices:
        body.append(ft.Text("No device yet: send an invite.", size=13, italic=True))
    return ft.Container(
        content=ft.Column(body, spacing=8),
        padding=16,
        border_radius=12,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
    )
