"""The frame around every screen: the screens down the left, campaign and account on top."""

from __future__ import annotations

import flet as ft

from app.ui.guard import guarded

from ..components.campaign_picker import CampaignPicker
from ..components.language_menu import LanguageMenu
from ..components.nav_rail import NavRail
from ..components.notice_bar import NoticeBar
from ..context import use_console, use_state_of_console, use_tr
from ..state.console_state import HOME
from .screens import BY_ID, screens_for
from .sign_in_view import SignInView


@ft.component
@guarded
def Shell() -> ft.Control:
    console, state, tr = use_console(), use_state_of_console(), use_tr()
    if not state.signed_in:
        return SignInView()

    async def sign_out() -> None:
        await console.run(console.service.sign_out)
        await console.remember_token(None)
        state.signed_out(tr("shell.signed_out"))

    screens = screens_for(state.admin)
    body = BY_ID[state.screen if state.screen in {s.id for s in screens} else HOME].view()
    top = ft.Row(
        [
            ft.Container(content=CampaignPicker(), expand=True),
            ft.Text(
                (state.username or "")
                if state.admin
                else tr("shell.school_coordinator", name=state.username or ""),
                size=14,
            ),
            LanguageMenu(),
            ft.TextButton(tr("shell.sign_out"), icon=ft.Icons.LOGOUT, on_click=sign_out),
        ],
        vertical_alignment=ft.CrossAxisAlignment.CENTER,
    )
    main = ft.Column(
        [
            top,
            NoticeBar(),
            ft.Column(
                [ft.Container(content=body, padding=ft.Padding.only(right=16, bottom=24))],
                scroll=ft.ScrollMode.AUTO,
                expand=True,
            ),
        ],
        expand=True,
        spacing=10,
    )
    return ft.Row(
        [
            ft.Column(
                [
                    ft.Container(
                        content=ft.Text(tr("shell.title"), size=22, weight=ft.FontWeight.BOLD),
                        padding=ft.Padding.only(left=20, top=16),
                    ),
                    NavRail(screens),
                ],
                spacing=0,
            ),
            ft.VerticalDivider(width=1),
            ft.Container(content=main, expand=True, padding=ft.Padding.only(left=16, top=12)),
        ],
        expand=True,
        vertical_alignment=ft.CrossAxisAlignment.STRETCH,
        spacing=0,
    )
