"""Why a family is new on this caller's list: another caller handed it over because it
needs a language they speak."""

from __future__ import annotations

import flet as ft

from app.core.models import HouseholdNote

from ..context import use_caller_app
from ..guard import guarded


@ft.component
@guarded
def HandoffBanner(handoff: HouseholdNote) -> ft.Control:
    services, app, tr = use_caller_app()
    moment = handoff.recorded_at.astimezone(services.active(app).zone)
    text = tr(
        "family.handoff",
        caller=handoff.caller_name,
        date=f"{moment:%Y-%m-%d}",
        language=tr.language_name(handoff.language or ""),
    )
    return ft.Semantics(
        identifier="handoff-banner",
        label=text,
        content=ft.Container(
            content=ft.Row(
                [ft.Icon(ft.Icons.TRANSLATE, size=24), ft.Text(text, size=15, expand=True)]
            ),
            padding=12,
            border_radius=12,
            bgcolor=ft.Colors.TERTIARY_CONTAINER,
        ),
    )
