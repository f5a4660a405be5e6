"""One caller: languages (picked from a list, saved at once), active or not, households held,
devices to sign out or (lost) to wipe, and what a wipe cost."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

import flet as ft

from app.core.models import LanguageCode
from app.core.reports import CallerInfo, DeviceInfo
from app.services.i18n import Translator
from app.ui.guard import guarded

from ..context import use_tr
from ..i18n import console_catalogues
from ..services import language_name
from ..theme import button_style, filled_button, quiet_text
from ..timefmt import ago, local
from .language_picker import LanguagePicker


def _at(moment: datetime | None, tr: Translator) -> str:
    return tr("caller.at", when=local(moment, "UTC", "%Y-%m-%d %H:%M"), ago=ago(moment, tr=tr))


def _lost(device: DeviceInfo, tr: Translator) -> str:
    """What can honestly be said about the work a wiped or erased device never sent."""
    held = (
        tr("caller.server_holds", seq=device.last_seq)
        if device.last_seq
        else tr("caller.server_none")
    )
    if device.erased_unsent is None:
        return tr("caller.lost_unknown", seq=device.last_seq, held=held)
    if device.erased_unsent == 0:
        return tr("caller.lost_nothing", held=held)
    return tr("caller.lost", count=device.erased_unsent, seq=device.erased_seq or 0, held=held)


def device_state(device: DeviceInfo, tr: Translator | None = None) -> str:
    """A device's line on the caller's card: in use, signed out, or wiped and what was lost
    (in ``tr``'s language; English without one)."""
    tr = tr or Translator("en", console_catalogues())
    if device.wipe_ordered_at is not None:
        ordered = tr("caller.wipe_ordered", at=_at(device.wipe_ordered_at, tr))
        if device.erased_at is not None:
            at, lost = _at(device.erased_at, tr), _lost(device, tr)
            return tr("caller.wipe_done", ordered=ordered, at=at, lost=lost)
        if device.wipe_delivered_at is not None:
            at, lost = _at(device.wipe_delivered_at, tr), _lost(device, tr)
            return tr("caller.wipe_delivered", ordered=ordered, at=at, lost=lost)
        return tr("caller.wipe_waiting", ordered=ordered, seq=device.last_seq)
    if device.erased_at is not None:
        return tr("caller.erased_by_caller", at=_at(device.erased_at, tr), lost=_lost(device, tr))
    if device.revoked:
        return tr("caller.signed_out", ago=ago(device.revoked_at, tr=tr))
    return tr(
        "caller.last_seen",
        seen=ago(device.last_seen_at, tr=tr),
        synced=ago(device.last_sync_at, tr=tr),
    )


def _device(
    device: DeviceInfo,
    on_revoke: Callable[[str], Any],
    ask_wipe: Callable[[str | None], None],
    asking: bool,
    on_wipe: Callable[[str], Any],
    tr: Translator,
) -> ft.Control:
    name = device.name or tr("caller.device")
    text = tr(
        "caller.device_line",
        name=device.name or tr("caller.device_title"),
        state=device_state(device, tr),
    )
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
                tr("caller.sign_out_device", name=name),
                icon=ft.Icons.LOGOUT,
                on_click=revoke,
                tooltip=tr("caller.sign_out_tooltip"),
                style=button_style(),
            )
        )
    if device.wipe_ordered_at is None and not asking:
        controls.append(
            ft.TextButton(
                tr("caller.lost_device", name=name),
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
                        tr("caller.wipe_question", name=name),
                        size=14,
                        color=ft.Colors.ERROR,
                        expand=True,
                    ),
                    ft.FilledButton(
                        tr("caller.wipe", name=name),
                        icon=ft.Icons.PHONELINK_ERASE,
                        on_click=wipe,
                        style=button_style(),
                        bgcolor=ft.Colors.ERROR,
                        color=ft.Colors.ON_ERROR,
                    ),
                    ft.TextButton(
                        tr("common.cancel"), on_click=lambda: ask_wipe(None), style=button_style()
                    ),
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
    tr = use_tr()
    no_device: str | None = None
    asking, set_asking = ft.use_state(no_device)  # the device whose wipe awaits a confirm

    async def save_languages(chosen: list[LanguageCode]) -> None:
        await on_languages(caller.id, chosen)

    async def invite() -> None:
        await on_invite(caller.id)

    async def toggle_active(e: ft.Event[ft.Switch]) -> None:
        await on_active(caller.id, bool(e.control.value))

    synced = ago(caller.last_sync_at, tr=tr)
    summary = tr(
        "caller.summary",
        name=caller.name,
        languages=", ".join(language_name(tag, tr.language) for tag in caller.languages),
        count=caller.assigned,
        synced=synced,
    )
    header = ft.Row(
        [
            ft.Semantics(
                exclude_semantics=True,
                identifier=f"caller-{caller.id}",
                label=summary if caller.active else tr("caller.summary_inactive", summary=summary),
                content=ft.Column(
                    [
                        ft.Text(caller.name, size=18, weight=ft.FontWeight.BOLD),
                        quiet_text(
                            tr("caller.open_households", count=caller.assigned, synced=synced),
                            size=13,
                        ),
                    ],
                    spacing=2,
                ),
                expand=True,
            ),
            ft.Switch(label=tr("caller.active"), value=caller.active, on_change=toggle_active),
            filled_button(
                tr("caller.invite", name=caller.name),
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
        _device(device, on_revoke, set_asking, asking == device.id, on_wipe, tr)
        for device in caller.devices
    ]
    if not caller.devices:
        body.append(ft.Text(tr("caller.no_device"), size=13, italic=True))
    return ft.Container(
        content=ft.Column(body, spacing=8),
        padding=16,
        border_radius=12,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
    )
