"""Prepare a file on the server, then a link the browser downloads it from.

Two steps because a browser only opens a new tab inside the click itself: the first click
asks the server for a short-lived ticket, the second follows a link that already exists.
``at_once`` asks for the ticket as soon as the link is shown, so one click downloads (for a
file already made, like an import's rejected rows, whose ticket lasts the session).
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.ui.guard import guarded

from ..context import use_action, use_console, use_tr
from ..theme import filled_button, outlined_button, quiet_text


@ft.component
@guarded
def DownloadLink(
    title: str,
    filename: str,
    issue: Callable[[], str],
    identifier: str,
    *,
    at_once: bool = False,
    note: str | None = None,
) -> ft.Control:
    console, tr = use_console(), use_tr()
    attempt = use_action()
    no_ticket: str | None = None
    ticket, set_ticket = ft.use_state(no_ticket)

    async def prepare() -> None:
        issued = await attempt(issue)
        if issued:
            set_ticket(issued)

    async def prepare_at_once() -> None:
        if at_once:
            await prepare()

    ft.use_effect(prepare_at_once, [])
    if ticket is None:
        return outlined_button(title, icon=ft.Icons.DOWNLOAD, on_click=prepare)
    url = console.download_url(ticket)
    return ft.Row(
        [
            ft.Semantics(
                identifier=identifier,
                link=True,
                label=tr("download.file", filename=filename),
                value=url,
                content=filled_button(
                    tr("download.file", filename=filename), icon=ft.Icons.FILE_DOWNLOAD, url=url
                ),
            ),
            quiet_text(note or tr("download.link_lasts"), size=12),
        ],
        spacing=10,
        wrap=True,
    )
