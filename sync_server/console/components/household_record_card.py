"""One family as callers left it: current numbers, language, notes (newest first, with who
and when) and every correction they made."""

from __future__ import annotations

from datetime import datetime

import flet as ft

from app.core.family_reports import HouseholdRecord
from app.core.household_notes import newest_first
from app.ui.guard import guarded

from ...languages import language_name
from ..theme import heading, labelled, quiet_text
from ..timefmt import local


@ft.component
@guarded
def HouseholdRecordCard(record: HouseholdRecord, timezone: str | None) -> ft.Control:
    household = record.household
    phones = ", ".join(
        f"{phone.number} (wrong)" if phone.bad else phone.number for phone in household.phones
    )
    controls: list[ft.Control] = [
        heading(household.name, 18),
        labelled(
            "record-language",
            f"Language: {language_name(household.language)}",
            f"Language: {language_name(household.language)} ({household.language})",
            size=15,
        ),
        labelled("record-phones", f"Numbers: {phones}", f"Numbers: {phones or 'none'}", size=15),
        heading("Notes from callers", 16),
    ]
    notes = newest_first(household)
    for index, note in enumerate(notes):
        line = (
            f"{note.text} — {note.caller_name or 'the server'}, {local(note.recorded_at, timezone)}"
        )
        controls.append(labelled(f"record-note-{index}", line, line, size=14))
    if not notes:
        controls.append(quiet_text("No notes yet.", size=14))
    controls.append(heading("Corrections", 16))
    for index, change in enumerate(record.history):
        when = local(datetime.fromisoformat(change.recorded_at), timezone)
        line = f"{change.summary} — {change.caller_name}, {when}"
        controls.append(labelled(f"record-change-{index}", line, line, size=14))
    if not record.history:
        controls.append(quiet_text("No corrections yet.", size=14))
    return ft.Container(
        content=ft.Column(controls, spacing=6),
        padding=14,
        border_radius=12,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
    )
