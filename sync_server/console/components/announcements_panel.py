"""Announcements on the Callers screen (issue 15, 6): post a short message to every caller
of the chosen campaign or to one caller, and see who has read each."""

from __future__ import annotations

import flet as ft

from app.core.announcements import ANNOUNCEMENT_CHARS, AnnouncementStatus
from app.core.reports import CallerInfo
from app.ui.guard import guarded

from ..context import use_chosen_campaign, use_query, use_screen
from ..theme import card, filled_button, heading, list_notes, quiet_text
from ..timefmt import local

EVERYONE = "*"


@ft.component
@guarded
def AnnouncementsPanel(campaign_id: str, callers: list[CallerInfo]) -> ft.Control:
    console, state, attempt = use_screen()
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
            state.tell("Posted: their phones show it at the next sync until they mark it read.")
            state.changed()

    names = {caller.id: caller.name for caller in callers}
    statuses = posted.value or []
    return card(
        ft.Column(
            [
                heading("Announcements", 18),
                quiet_text(
                    "A short message for every caller of this campaign, or feedback for one."
                ),
                ft.TextField(
                    label="Message",
                    multiline=True,
                    max_length=ANNOUNCEMENT_CHARS,
                    on_change=typed,
                    key=f"announcement-text-{form}",
                ),
                ft.Row(
                    [
                        ft.Dropdown(
                            label="To",
                            value=to,
                            options=[ft.DropdownOption(key=EVERYONE, text="Every caller")]
                            + [ft.DropdownOption(key=c.id, text=c.name) for c in callers],
                            on_select=chose,
                            width=260,
                            dense=True,
                        ),
                        filled_button("Post", icon=ft.Icons.CAMPAIGN, on_click=post),
                    ],
                    wrap=True,
                ),
                *list_notes(posted.error, not statuses, "Nothing posted in this campaign yet."),
                *[_posted(status, names, timezone) for status in statuses],
            ],
            spacing=10,
        )
    )


def _posted(status: AnnouncementStatus, names: dict[str, str], timezone: str | None) -> ft.Control:
    announcement = status.announcement
    to = names.get(announcement.caller_id, "one caller") if announcement.caller_id else "everyone"
    readers = ", ".join(reader.caller_name for reader in status.readers) or "nobody yet"
    return ft.Semantics(
        identifier=f"announcement-{announcement.id}",
        container=True,
        content=ft.Column(
            [
                ft.Text(announcement.text, size=15),
                quiet_text(
                    f"To {to} · {local(announcement.posted_at, timezone)} · "
                    f"{announcement.author} · read by {len(status.readers)}: {readers}"
                ),
            ],
            spacing=2,
        ),
    )
