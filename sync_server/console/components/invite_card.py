"""A fresh invite for a caller: the code to read aloud, the link to text, the QR code to scan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.ui.guard import guarded

from ..context import use_tr
from ..services import Invite
from ..theme import outlined_button, quiet_text


@ft.component
@guarded
def InviteCard(invite: Invite, on_close: Callable[[], Any]) -> ft.Control:
    tr = use_tr()
    details: list[ft.Control] = [
        ft.Text(tr("invite.title", name=invite.caller_name), size=18, weight=ft.FontWeight.BOLD),
        ft.Semantics(
            exclude_semantics=True,
            identifier="invite-code",
            label=tr("invite.code", code=invite.code),
            content=ft.Text(
                invite.code,
                size=34,
                weight=ft.FontWeight.BOLD,
                selectable=True,
                font_family="monospace",
            ),
        ),
        ft.Semantics(
            exclude_semantics=True,
            identifier="invite-link",
            label=tr("invite.link", link=invite.link),
            content=ft.Text(invite.link, size=14, selectable=True),
        ),
        quiet_text(
            tr("invite.expiry", when=invite.expires_at[:16].replace("T", " ")),
            size=13,
        ),
        ft.Row(
            [
                outlined_button(
                    tr("invite.copy_code"),
                    icon=ft.Icons.COPY,
                    action=ft.CopyToClipboard(invite.code),
                ),
                outlined_button(
                    tr("invite.copy_link"),
                    icon=ft.Icons.LINK,
                    action=ft.CopyToClipboard(invite.link),
                ),
                ft.TextButton(tr("invite.done"), on_click=on_close),
            ],
            wrap=True,
        ),
    ]
    row: list[ft.Control] = [ft.Column(details, spacing=8, expand=True)]
    if invite.qr_png:
        row.append(
            ft.Semantics(
                exclude_semantics=True,
                identifier="invite-qr",
                image=True,
                label=tr("invite.qr", name=invite.caller_name),
                content=ft.Image(src=invite.qr_png, width=200, height=200),
            )
        )
    return ft.Container(
        content=ft.Row(row, spacing=20, vertical_alignment=ft.CrossAxisAlignment.START),
        padding=16,
        border_radius=12,
        bgcolor=ft.Colors.PRIMARY_CONTAINER,
    )
