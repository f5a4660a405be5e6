"""The frame around every screen: header with sync status, the screen, the tabs.

Phone first: the full width of a phone; on a laptop a centred column of readable width.
"""

from __future__ import annotations

import flet as ft

from ..components.app_header import AppHeader
from ..components.bottom_nav import BottomNav
from ..context import use_app, use_services
from ..guard import guarded
from ..theme import MAX_WIDTH
from .call_view import CallView
from .follow_ups_view import FollowUpsView
from .hidden_view import HiddenFamiliesView
from .join_view import JoinView
from .list_view import MyListView
from .settings_view import SettingsView
from .stats_view import StatsView


@ft.component
@guarded
def Shell() -> ft.Control:
    services, app = use_services(), use_app()
    session = services.active(app)
    screen = app.screen
    if not session.joined and screen != "settings":
        screen = "join"
    body: ft.Control
    hidden_after = session.families_hidden_after()
    if screen == "join":
        body = JoinView()
    elif hidden_after is not None and screen != "settings":
        body = HiddenFamiliesView(hidden_after)
    elif screen == "call" and app.open_campaign_id and app.open_household_id:
        body = CallView(  # type: ignore[call-arg]
            app.open_campaign_id,
            app.open_household_id,
            key=f"{app.practice}:{app.open_campaign_id}:{app.open_household_id}",
        )
    elif screen == "follow_ups":
        body = FollowUpsView()
    elif screen == "stats":
        body = StatsView()
    elif screen == "settings":
        body = SettingsView()
    else:
        body = MyListView()
    page_width = ft.context.page.width or MAX_WIDTH
    # The call screen scrolls its own parts: its outcome buttons stay on screen below them.
    scrolled = (
        ft.Container(content=body, expand=True)
        if screen == "call"
        else ft.Column([body], scroll=ft.ScrollMode.AUTO, expand=True)
    )
    column = ft.Container(
        content=ft.Column([AppHeader(), scrolled], expand=True, spacing=8),
        width=min(float(page_width), MAX_WIDTH),
        padding=ft.Padding.symmetric(horizontal=12, vertical=8),
    )
    controls: list[ft.Control] = [
        ft.Row(
            [column],
            alignment=ft.MainAxisAlignment.CENTER,
            vertical_alignment=ft.CrossAxisAlignment.STRETCH,
            expand=True,
        ),
    ]
    if screen not in ("join", "call"):
        controls.append(BottomNav())
    # An Arabic UI mirrors the whole layout (Flutter's Directionality), not only its text.
    rtl = services.tr(app).direction == "rtl"
    return ft.SafeArea(content=ft.Column(controls, expand=True, spacing=0), expand=True, rtl=rtl)
