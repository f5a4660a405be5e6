"""Announcements on the Callers screen (issue 15, 6): post a short message to every caller
of the chosen campaign or to one caller, and see who has read each."""

from __future__ import annotations

import flet as ft

from app.core.announcements import ANNOUNCEMENT_CHARS, AnnouncementStatus
from app.core.reports import CallerInfo
from app.services.i18n import Translator
from app.ui.guard import guarded

from ..context import use_chosen_campaign, use_query, use_screen, use_tr
from ..theme import card, filled_button, heading, list_notes, quiet_text
from ..timefmt import local

EVERYONE = "*"


@ft.component
@guarded
def AnnouncementsPanel(campaign_id: str, callers: list[CallerInfo]) -> ft.Control:
    console, state, attempt = use_screen()
    tr = use_tr()
    campaign = use_chosen_campaign()
    timezone = campaign.timezone if campaign else None
    posted = use_query(
        lambda: console.service.announcements(campaign_id), [campaign_id, state.revision]
    )
    text = ft.use_ref("")
    to, set_to = ft.use_state(EVERYONE)
    form, set_form = ft.use_state(0)

    def typed(e: ft.Event[ft.TextField]) -> None:
        text.current = e.control.value or ""

    def chose(e: ft.Event[ft.Dropdown]) -> None:
        set_to(e.control.value or EVERYONE)

    async def post() -> None:
        caller_id = None if to == EVERYONE else to
        made = await attempt(
            console.service.post_announcement, campaign_id, text.current or "", caller_id
        )
        if made is not None:
            text.current = ""
            set_form(form + 1)
            state.tell(tr("announcements.posted"))
            state.changed()

    names = {caller.id: caller.name for caller in callers}
    statuses = posted.value or []
    return card(
        ft.Column(
            [
                heading(tr("announcements.title"), 18),
                quiet_text(tr("announcements.lead")),
                ft.TextField(
                    label=tr("announcements.message"),
                    multiline=True,
                    max_length=ANNOUNCEMENT_CHARS,
                    on_change=typed,
                    key=f"announcement-text-{form}",
                ),
                ft.Row(
                    [
                        ft.Dropdown(
                            label=tr("announcements.to"),
                            value=to,
                            options=[
                                ft.DropdownOption(
                                    key=EVERYONE, text=tr("announcements.every_caller")
                                )
                            ]
                            + [ft.DropdownOption(key=c.id, text=c.name) for c in callers],
                            on_select=chose,
                            width=260,
                            dense=True,
                        ),
                        filled_button(
                            tr("announcements.post"), icon=ft.Icons.CAMPAIGN, on_click=post
                        ),
                    ],
                    wrap=True,
                ),
                *list_notes(posted.error, not statuses, tr("announcements.nothing")),
                *[_posted(status, names, timezone, tr) for status in statuses],
            ],
            spacing=10,
        )
    )


def _posted(
    status: AnnouncementStatus, names: dict[str, str], timezone: str | None, tr: Translator
) -> ft.Control:
    announcement = status.announcement
    to = (
        names.get(announcement.caller_id, tr("announcements.one_caller"))
        if announcement.caller_id
        else tr("announcements.everyone")
    )
    readers = ", ".join(r.caller_name for r in status.readers) or tr("announcements.nobody_yet")
    return ft.Semantics(
        identifier=f"announcement-{announcement.id}",
        container=True,
        content=ft.Column(
            [
                ft.Text(announcement.text, size=15),
                quiet_text(
                    tr(
                        "announcements.line",
                        to=to,
                        when=local(announcement.posted_at, timezone, tr=tr),
                        author=announcement.author,
                        count=len(status.readers),
                        readers=readers,
                    )
                ),
            ],
            spacing=2,
        ),
    )
