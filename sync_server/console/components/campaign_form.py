"""A campaign's settings: name, kind (daily attendance or not), languages, hours, variables,
and how long a silent caller's phone keeps showing its families."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import flet as ft
from pydantic import ValidationError

from app.core.models import Campaign, CampaignDraft
from app.ui.guard import guarded

from ..context import use_tr
from ..theme import error_line, filled_button, quiet_text

FIELDS: tuple[tuple[str, str, int], ...] = (
    ("name", "Tech check 2026", 320),
    ("slug", "campaign_form.slug_hint", 260),
    ("default_language", "en", 160),
    ("timezone", "America/Los_Angeles", 240),
    ("window_start", "09:00", 130),
    ("window_end", "20:00", 130),
    ("caller_id_prefix", "*67", 160),
    ("starts_on", "campaign_form.date_hint", 160),
    ("ends_on", "campaign_form.date_hint", 160),
    ("hide_families_after_days", "14", 300),
)
"""Each field's name (its label is ``campaign_form.<name>``), hint (an example, or a
catalogue key) and width."""


def texts_of(campaign: Campaign | None) -> dict[str, str]:
    """The form's fields as text, from a campaign (or blank for a new one)."""
    if campaign is None:
        draft = CampaignDraft(slug="new-campaign", name="")
        values = {"slug": ""}
    else:
        draft, values = campaign, {"slug": campaign.slug}
    return {
        "name": draft.name,
        "default_language": draft.default_language,
        "timezone": draft.timezone,
        "window_start": draft.calling_window.start.strftime("%H:%M"),
        "window_end": draft.calling_window.end.strftime("%H:%M"),
        "after_hours": draft.calling_window.after_hours,
        "caller_id_prefix": draft.caller_id_prefix or "",
        "starts_on": draft.starts_on.isoformat() if draft.starts_on else "",
        "ends_on": draft.ends_on.isoformat() if draft.ends_on else "",
        "hide_families_after_days": str(draft.hide_families_after_days),
        "variables": "\n".join(f"{key}: {value}" for key, value in draft.variables.items()),
        "kind": draft.kind,
        "active": "yes" if draft.active else "no",
        **values,
    }


def draft_from(texts: dict[str, str], campaign: Campaign | None) -> CampaignDraft:
    """The form's text as a campaign draft; ValidationError names a field that is wrong."""
    variables = {}
    for line in texts.get("variables", "").splitlines():
        key, separator, value = line.partition(":")
        if separator and key.strip():
            variables[key.strip()] = value.strip()
    base = campaign.model_dump(exclude={"id"}) if campaign else {}
    return CampaignDraft.model_validate(
        {
            **base,
            "slug": texts.get("slug", "").strip(),
            "name": texts.get("name", "").strip(),
            "kind": texts.get("kind", "standard"),
            "default_language": texts.get("default_language", "en").strip() or "en",
            "timezone": texts.get("timezone", "").strip() or "America/Los_Angeles",
            "calling_window": {
                "start": texts.get("window_start", "09:00").strip() or "09:00",
                "end": texts.get("window_end", "20:00").strip() or "20:00",
                "after_hours": texts.get("after_hours", "with_reason"),
            },
            "caller_id_prefix": texts.get("caller_id_prefix", "").strip() or None,
            "starts_on": texts.get("starts_on", "").strip() or None,
            "ends_on": texts.get("ends_on", "").strip() or None,
            "hide_families_after_days": texts.get("hide_families_after_days", "").strip() or 14,
            "variables": variables,
            "active": texts.get("active", "yes") == "yes",
        }
    )


def problem(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}"


@ft.component
@guarded
def CampaignForm(
    campaign: Campaign | None,
    on_save: Callable[[CampaignDraft], Awaitable[Any]],
    *,
    key: str | None = None,  # taken by Flet: a new form for each campaign
) -> ft.Control:
    tr = use_tr()
    texts, _ = ft.use_state(texts_of(campaign))  # the same dict for the life of the form
    kind, set_kind = ft.use_state(texts["kind"])
    no_error: str | None = None
    error, set_error = ft.use_state(no_error)

    def field(name: str, hint: str, width: int) -> ft.Control:
        def changed(e: ft.Event[ft.TextField]) -> None:
            texts[name] = e.control.value or ""

        return ft.TextField(
            label=tr(f"campaign_form.{name}"),
            hint_text=tr(hint) if hint.startswith("campaign_form.") else hint,
            value=texts.get(name, ""),
            on_change=changed,
            width=width,
            dense=True,
            read_only=name == "slug" and campaign is not None,
        )

    def changed_variables(e: ft.Event[ft.TextField]) -> None:
        texts["variables"] = e.control.value or ""

    def changed_kind(e: ft.Event[ft.SegmentedButton]) -> None:
        chosen = next(iter(e.control.selected or ["standard"]))
        texts["kind"] = chosen
        set_kind(chosen)

    def changed_after_hours(e: ft.Event[ft.Switch]) -> None:
        texts["after_hours"] = "with_reason" if e.control.value else "never"

    def changed_active(e: ft.Event[ft.Switch]) -> None:
        texts["active"] = "yes" if e.control.value else "no"

    async def save() -> None:
        try:
            draft = draft_from(texts, campaign)
        except ValidationError as invalid:
            set_error(problem(invalid))
            return
        set_error(None)
        await on_save(draft)

    controls: list[ft.Control] = [
        ft.SegmentedButton(
            segments=[
                ft.Segment(value="standard", label=ft.Text(tr("campaign_form.standard"))),
                ft.Segment(value="daily_attendance", label=ft.Text(tr("campaign_form.daily"))),
            ],
            selected=[kind],
            on_change=changed_kind,
        ),
    ]
    if kind == "daily_attendance":
        controls.append(quiet_text(tr("campaign_form.daily_lead"), size=13))
    controls += [
        ft.Row(
            [field(name, hint, width) for name, hint, width in FIELDS],
            wrap=True,
            spacing=12,
            run_spacing=12,
        ),
        ft.Semantics(
            identifier="campaign-after-hours",
            content=ft.Switch(
                label=tr("campaign_form.after_hours"),
                value=texts.get("after_hours") != "never",
                on_change=changed_after_hours,
            ),
        ),
        quiet_text(tr("campaign_form.caller_id_note"), size=13),
        ft.TextField(
            label=tr("campaign_form.variables"),
            hint_text="school: Lincoln Elementary",
            value=texts.get("variables", ""),
            multiline=True,
            min_lines=2,
            max_lines=8,
            on_change=changed_variables,
            dense=True,
        ),
        ft.Switch(
            label=tr("campaign_form.active"),
            value=texts.get("active") == "yes",
            on_change=changed_active,
        ),
    ]
    if error:
        controls.append(error_line("campaign-error", error))
    controls.append(
        filled_button(
            tr("campaign_form.save") if campaign else tr("campaign_form.create"),
            icon=ft.Icons.SAVE,
            on_click=save,
        )
    )
    return ft.Column(controls, spacing=12)
