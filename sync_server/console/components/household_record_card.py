"""One family as callers left it: current numbers, language, notes (newest first, with who
and when) and every correction they made."""

from __future__ import annotations

from datetime import datetime

import flet as ft

from app.core.family_reports import HouseholdRecord
from app.core.household_notes import newest_first
from app.ui.guard import guarded

from ...languages import language_name
from ..context import use_tr
from ..theme import heading, labelled, quiet_text
from ..timefmt import local


@ft.component
@guarded
def HouseholdRecordCard(record: HouseholdRecord, timezone: str | None) -> ft.Control:
    tr = use_tr()
    household = record.household
    phones = ", ".join(
        tr("record.wrong_number", number=phone.number) if phone.bad else phone.number
        for phone in household.phones
    )
    language = language_name(household.language, tr.language)
    controls: list[ft.Control] = [
        heading(household.name, 18),
        labelled(
            "record-language",
            tr("record.language_label", language=language),
            tr("record.language", language=language, code=household.language),
            size=15,
        ),
        labelled(
            "record-phones",
            tr("record.numbers", numbers=phones),
            tr("record.numbers", numbers=phones or tr("record.no_numbers")),
            size=15,
        ),
        heading(tr("record.notes_title"), 16),
    ]
    notes = newest_first(household)
    for index, note in enumerate(notes):
        line = tr(
            "record.note",
            text=note.text,
            who=note.caller_name or tr("record.the_server"),
            when=local(note.recorded_at, timezone, tr=tr),
        )
        controls.append(labelled(f"record-note-{index}", line, line, size=14))
    if not notes:
        controls.append(quiet_text(tr("record.no_notes"), size=14))
    controls.append(heading(tr("record.corrections_title"), 16))
    for index, change in enumerate(record.history):
        when = local(datetime.fromisoformat(change.recorded_at), timezone, tr=tr)
        line = tr("record.note", text=change.summary, who=change.caller_name, when=when)
        controls.append(labelled(f"record-change-{index}", line, line, size=14))
    if not record.history:
        controls.append(quiet_text(tr("record.no_corrections"), size=14))
    return ft.Container(
        content=ft.Column(controls, spacing=6),
        padding=14,
        border_radius=12,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
    )
