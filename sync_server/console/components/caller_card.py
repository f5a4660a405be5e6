"""One caller: languages (picked from a list, saved at once), active or not, households held,
devices to sign out or (lost) to wipe, and what a wipe cost."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

import flet as ft

from app.core.models import LanguageCode
from app.core.reports import CallerInfo, DeviceInfo
from app.ui.guard import guarded

from ..services import language_name
from ..theme import button_style, filled_button, quiet_text
from ..timefmt import ago, local
from .language_picker import LanguagePicker


def _at(moment: datetime | None) -> str:
    return f"{local(moment, 'UTC', '%Y-%m-%d %H:%M')} UTC ({ago(moment)})"


def _lost(device: DeviceInfo) -> str:
    """What can honestly be said about the work a wiped or erased device never sent."""
    held = (
        f"the server holds up to seq {device.last_seq}"
        if device.last_seq
        else "the server received none of its events"
    )
    if device.erased_unsent is None:
        return (
            f"the phone did not report what it erased: events after seq {device.last_seq} "
            f"were not received ({held})"
        )
    if device.erased_unsent == 0:
        return f"nothing unsent was lost ({held})"
    return (
        f"{device.erased_unsent} unsent events lost (the phone had reached seq "
        f"{device.erased_seq or 0}; {held})"
    )


def device_state(device: DeviceInfo) -> str:
    """A device's line on the caller's card: in use, signed out, or wiped and what was lost."""
    if device.wipe_ordered_at is not None:
        ordered = f"wipe ordered {_at(device.wipe_ordered_at)}"
        if device.erased_at is not None:
            return f"{ordered}; wipe done {_at(device.erased_at)}: {_lost(device)}"
        if device.wipe_delivered_at is not None:
            return f"{ordered}; wipe delivered {_at(device.wipe_delivered_at)}: {_lost(device)}"
        return (
            f"{ordered}; waiting for its next contact (the server holds its events up to "
            f"seq {device.last_seq})"
        )
    if device.erased_at is not None:
        return f"signed out and erased by its caller {_at(device.erased_at)}: {_lost(device)}"
    if device.revoked:
        return (
            f"signed out {ago(device.revoked_at)}: its unsent work stays on it and is sent "
            "when it re-joins"
        )
    return f"last seen {ago(device.last_seen_at)}, last sync {ago(device.last_sync_at)}"


def _device(
    device: DeviceInfo,
    on_revoke: Callable[[str], Any],
    ask_wipe: Callable[[str | None], None],
    asking: bool,
    on_wipe: Callable[[str], Any],
) -> ft.Control:
    name = device.name or "device"
    text = f"{device.name or 'Device'} — {device_state(device)}"
    gone = device.revoked or device.wipe_ordered_at is not None

    async def revoke() -> None:
        await on_revoke(device.id)

    async def wipe() -> None:
        ask_wipe(None)
        await on_wipe(device.id)

    controls: list[ft.Control] = [
        ft.Icon(
            ft.Icons.PHONELINK_ERASE if device.wipe_ordered_at else ft.Icons.PHONE_ANDROID,
            color=ft.Colors.ON_SURFACE_VARIANT if gone else ft.Colors.PRIMARY,
        ),
        ft.Text(text, size=14, expand=True),
    ]
    if not device.revoked:
        controls.append(
            ft.TextButton(
                f"Sign out {name}",
                icon=ft.Icons.LOGOUT,
                on_click=revoke,
                tooltip="Its unsent work stays on it and is sent after it re-joins",
                style=button_style(),
            )
        )
    if device.wipe_ordered_at is None and not asking:
        controls.append(
            ft.TextButton(
                f"Lost device — wipe {name}",
                icon=ft.Icons.PHONELINK_ERASE,
                on_click=lambda: ask_wipe(device.id),
                style=button_style(),
            )
        )
    rows: list[ft.Control] = [
        ft.Semantics(
            identifier=f"device-{device.id}",
            label=text,
            content=ft.Row(controls, spacing=8),
        )
    ]
    if asking:
        rows.append(
            ft.Row(
                [
                    ft.Text(
                        f"Erase every family, script, note and unsent event on {name} at its "
                        "next contact? Work it has not sent is lost for good.",
                        size=14,
                        color=ft.Colors.ERROR,
                        expand=True,
                    ),
                    ft.FilledButton(
                        f"Wipe {name}",
                        icon=ft.Icons.PHONELINK_ERASE,
                        on_click=wipe,
                        style=button_style(),
                        bgcolor=ft.Colors.ERROR,
                        color=ft.Colors.ON_ERROR,
                    ),
                    ft.TextButton("Cancel", on_click=lambda: ask_wipe(None), style=button_style()),
                ],
                spacing=8,
            )
        )
    return ft.Column(rows, spacing=4)


@ft.component
@guarded
def CallerCard(
    caller: CallerInfo,
    language_choices: Sequence[tuple[LanguageCode, str]],
    on_invite: Callable[[str], Any],
    on_languages: Callable[[str, list[LanguageCode]], Awaitable[Any]],
    on_active: Callable[[str, bool], Any],
    on_revoke: Callable[[str], Any],
    on_wipe: Callable[[str], Any],
    *,
    key: str | None = None,  # taken by Flet: one card keeps its own state per caller
) -> ft.Control:
    no_device: str | None = None
    asking, set_asking = ft.use_state(no_device)  # the device whose wipe awaits a confirm

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
    body += [
        _device(device, on_revoke, set_asking, asking == device.id, on_wipe)
        for device in caller.devices
    ]
    if not caller.devices:
        body.append(ft.Text("No device yet: send an invite.", size=13, italic=True))
    return ft.Container(
        content=ft.Column(body, spacing=8),
        padding=16,
        border_radius=12,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
    )
