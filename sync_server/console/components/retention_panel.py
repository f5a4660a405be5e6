"""Retention: the chosen campaign's setting, and the dry run of every closed campaign."""

from __future__ import annotations

import flet as ft

from app.core.models import Campaign
from app.core.privacy import RetentionDue
from app.services.i18n import Translator
from app.ui.components.typed_field import TypedField
from app.ui.guard import guarded

from ..context import use_query, use_screen, use_tr
from ..i18n import console_catalogues
from ..services import campaign_draft
from ..theme import card, filled_button, heading, labelled, outlined_button, quiet_text


def due_text(due: RetentionDue, tr: Translator | None = None) -> str:
    """A campaign's families due for anonymising (in ``tr``'s language; English without)."""
    tr = tr or Translator("en", console_catalogues())
    kept = tr("retention_panel.kept", count=due.households_kept) if due.households_kept else ""
    return tr(
        "retention_panel.due",
        name=due.name,
        closed=f"{due.closed_at:%Y-%m-%d}",
        due=f"{due.due_at:%Y-%m-%d}",
        days=due.anonymise_after_days,
        count=due.households_due,
        kept=kept,
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
    tr = use_tr()
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
        except ValueError:
            state.tell(tr("retention_panel.not_days", text=repr(typed.strip())))
            return
        draft = campaign_draft(campaign).model_copy(update={"anonymise_after_days": days})
        if await attempt(console.service.update_campaign, campaign.id, draft):
            state.tell(
                tr("retention_panel.after", name=campaign.name, count=days)
                if days is not None
                else tr("retention_panel.kept_after", name=campaign.name)
            )
            state.changed()

    async def run_now() -> None:
        report = await attempt(console.service.run_retention)
        if report is not None:
            state.tell(tr("retention_panel.anonymised", count=report.anonymised))
            state.changed()

    report = dry_run.value
    lines = [due_text(due, tr) for due in report.campaigns] if report else []
    ready = (
        sum(d.households_due for d in report.campaigns if d.due_at <= report.ran_at)
        if report
        else 0
    )
    summary = (
        tr("retention_panel.due_now", count=ready) if report else tr("retention_panel.counting")
    )
    setting: list[ft.Control] = []
    if campaign is not None:
        setting = [
            ft.Row(
                [
                    TypedField(
                        typed,
                        set_typed,
                        label=tr("retention_panel.days"),
                        width=360,
                        key=f"retention-{campaign.id}",
                    ),
                    outlined_button(tr("retention_panel.save"), icon=ft.Icons.SAVE, on_click=save),
                ],
                wrap=True,
            )
        ]
    return card(
        ft.Column(
            [
                heading(tr("retention_panel.title"), 18),
                quiet_text(tr("retention_panel.lead"), size=14),
                *setting,
                labelled("retention-due", summary, summary, size=15),
                *(
                    labelled(f"retention-campaign-{due.slug}", line, line, size=14)
                    for due, line in zip(report.campaigns if report else [], lines, strict=True)
                ),
                filled_button(
                    tr("retention_panel.run"),
                    icon=ft.Icons.AUTO_DELETE,
                    on_click=run_now,
                    disabled=ready == 0,
                ),
            ],
            spacing=10,
        )
    )
