"""Notes about the family for whoever calls it next (any campaign), newest first, with
who wrote each and when; and a box to add one. Not the call's outcome note."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from app.core.models import HouseholdNote
from app.services import CallSheet, Translator

from ..context import use_caller_app
from ..guard import guarded
from .entry_form import EntryForm
from .heading import heading

if TYPE_CHECKING:
    from .family_panel import Correct


def _written(tr: Translator, note: HouseholdNote) -> str:
    """What the note says: a hand-off in the caller's own language."""
    if note.kind == "handoff" and note.language:
        return tr(
            "family.handoff_line",
            language=tr.language_name(note.language),
            caller=note.caller_name,
        )
    return note.text


@ft.component
@guarded
def FamilyNotes(sheet: CallSheet, correct: Correct) -> ft.Control:
    services, app, tr = use_caller_app()
    session = services.active(app)

    def add(typed: str) -> str:
        session.corrections.add_note(sheet.campaign.id, sheet.household.id, typed)
        return tr("family.note_saved")

    notes = session.corrections.notes(sheet.household)
    controls: list[ft.Control] = [heading(tr("family.notes"), 4, size=16)]
    for index, note in enumerate(notes):
        moment = note.recorded_at.astimezone(session.zone)
        signed = tr(
            "family.note_by", caller=note.caller_name, date=f"{moment:%Y-%m-%d} {tr.clock(moment)}"
        )
        text = _written(tr, note)
        controls.append(
            ft.Semantics(
                identifier=f"family-note-{index}",
                label=f"{text} — {signed}",
                content=ft.Column(
                    [ft.Text(text, size=15), ft.Text(signed, size=13, italic=True)], spacing=2
                ),
            )
        )
    if not notes:
        controls.append(ft.Text(tr("family.no_notes"), size=14, italic=True))
    # Keyed: a note more (or a sync's) above it must not make it a new form, losing what
    # is being typed.
    controls.append(
        EntryForm(
            tr("family.note_field"),
            tr("family.note_add"),
            ft.Icons.NOTE_ADD,
            "family-note-add",
            add,
            correct,
            multiline=True,
            min_lines=2,
            key="family-note-form",
        )
    )
    return ft.Column(controls, spacing=8)
