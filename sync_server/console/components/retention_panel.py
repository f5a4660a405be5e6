"""Retention: the chosen campaign's setting, and the dry run of every closed campaign."""

from __future__ import annotations

import flet as ft

from app.core.models import Campaign
from app.core.privacy import RetentionDue
from app.ui.components.typed_field import TypedField
from app.ui.guard import guarded

from ..context import use_query, use_screen
from ..services import campaign_draft
from ..theme import card, filled_button, heading, labelled, outlined_button, quiet_text


def due_text(due: RetentionDue) -> str:
    kept = f", {due.households_kept} kept for another campaign" if due.households_kept else ""
    return (
        f"{due.name}: closed {due.closed_at:%Y-%m-%d}, due {due.due_at:%Y-%m-%d} "
        f"({due.anonymise_after_days} days): {due.households_due} families{kept}"
    )


def days_typed(text: str) -> int | None:
    """The typed number of days (empty: keep the families); ValueError naming the problem."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > 3650:
        raise ValueError(f"{text!r} is not a number of days from 0 to 3650")
    return int(text)


@ft.component
@guarded
def RetentionPanel(
    campaign: Campaign | None,
    *,
    key: str | None = None,  # taken by Flet: the typed days start afresh per campaign
) -> ft.Control:
    console, state, attempt = use_screen()
    current = (
        ""
        if campaign is None or campaign.anonymise_after_days is None
        else str(campaign.anonymise_after_days)
    )
    typed, set_typed = ft.use_state(current)
    dry_run = use_query(console.service.retention_dry_run, [state.revision])

    async def save() -> None:
        if campaign is None:
            return
        try:
            days = days_typed(typed)
        except ValueError as error:
            state.tell(str(error))
            return
        draft = campaign_draft(campaign).model_copy(update={"anonymise_after_days": days})
        if await attempt(console.service.update_campaign, campaign.id, draft):
            state.tell(
                f"{campaign.name}: families anonymised {days} days after it closes."
                if days is not None
                else f"{campaign.name}: families kept after it closes."
            )
            state.changed()

    async def run_now() -> None:
        report = await attempt(console.service.run_retention)
        if report is not None:
            state.tell(f"Retention anonymised {report.anonymised} families.")
            state.changed()

    report = dry_run.value
    lines = [due_text(due) for due in report.campaigns] if report else []
    ready = (
        sum(d.households_due for d in report.campaigns if d.due_at <= report.ran_at)
        if report
        else 0
    )
    summary = f"Due now: {ready} families" if report else "Counting…"
    setting: list[ft.Control] = []
    if campaign is not None:
        setting = [
            ft.Row(
                [
                    TypedField(
                        typed,
                        set_typed,
                        label="Anonymise families after (days)",
                        width=360,
                        key=f"retention-{campaign.id}",
                    ),
                    outlined_button("Save retention", icon=ft.Icons.SAVE, on_click=save),
                ],
                wrap=True,
            )
        ]
    return card(
        ft.Column(
            [
                heading("Retention", 18),
                quiet_text(
                    "A campaign closes when it is made inactive or its last day is over. Its "
                    "families are anonymised that many days later, at the server's daily run, "
                    "unless they are on another campaign still open. Empty: keep them.",
                    size=14,
                ),
                *setting,
                labelled("retention-due", summary, summary, size=15),
                *(
                    labelled(f"retention-campaign-{due.slug}", line, line, size=14)
                    for due, line in zip(report.campaigns if report else [], lines, strict=True)
                ),
                filled_button(
                    "Anonymise due families now",
                    icon=ft.Icons.AUTO_DELETE,
                    on_click=run_now,
                    disabled=ready == 0,
                ),
            ],
            spacing=10,
        )
    )
