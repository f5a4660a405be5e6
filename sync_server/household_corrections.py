"""What callers' corrections do on the server beyond app.core.effects: notes join the
household (with who wrote them), languages become one tag, and "needs another language"
hands the family over (language_handoff). The events table keeps the full history.

Hooked into effects.apply_event_effects: runs for every accepted event, after the shared
rules; applying an event twice changes nothing the second time.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlite_utils

from app.core.errors import NotFound
from app.core.events import EventPayload, LanguageCorrected, NoteAdded, OutcomeRecorded
from app.core.family_reports import Correction, HouseholdRecord
from app.core.household_notes import with_note
from app.core.models import HouseholdNote

from .language_handoff import (
    HandoffRequest,
    family_language,
    hand_off,
    load_household,
    save_household,
)
from .languages import language_name
from .opt_outs import lifts_history, newest_first
from .roles import EVERY_SCHOOL, Scope

__all__ = [
    "apply_household_corrections",
    "correction_history",
    "find_households",
    "household_record",
]

CORRECTION_KINDS = ("note_added", "phone_corrected", "language_corrected", "opt_out_recorded")


def apply_household_corrections(
    db: sqlite_utils.Database, event_row: dict[str, Any], payload: EventPayload
) -> None:
    """The server's part of one accepted event (the row as in the ``events`` table)."""
    match payload:
        case NoteAdded():
            _add_note(db, event_row, payload)
        case LanguageCorrected():
            _keep_language(db, payload.household_id, payload.language)
        case OutcomeRecorded(language_needed=str() as wanted) if wanted:
            language = _keep_language(db, payload.household_id, wanted)
            request = HandoffRequest(
                event_row["event_id"],
                payload.campaign_id,
                payload.household_id,
                language,
                event_row["caller_id"],
            )
            hand_off(db, request, datetime.fromisoformat(event_row["received_at"]))


def _add_note(db: sqlite_utils.Database, event_row: dict[str, Any], payload: NoteAdded) -> None:
    household = load_household(db, payload.household_id)
    if household is None:
        return
    name = db.execute("SELECT name FROM callers WHERE id = ?", [event_row["caller_id"]]).fetchone()
    note = HouseholdNote(
        id=event_row["event_id"],
        text=payload.text,
        caller_id=event_row["caller_id"],
        caller_name=name[0] if name else "",
        recorded_at=datetime.fromisoformat(event_row["recorded_at"]),
        campaign_id=payload.campaign_id,
    )
    save_household(db, household, with_note(household, note))


def _keep_language(db: sqlite_utils.Database, household_id: str, typed: str) -> str:
    """The household's language as one tag (the device sent what the caller picked)."""
    language = family_language(typed)
    household = load_household(db, household_id)
    if household is not None and household.language != language:
        save_household(db, household, household.model_copy(update={"language": language}))
    return language


def correction_history(db: sqlite_utils.Database, household_id: str) -> list[Correction]:
    """Every accepted note and correction for the household, newest first (server order)."""
    rows = db.execute(
        f"""SELECT e.kind, e.payload, c.name, e.recorded_at, e.received_at
            FROM events e LEFT JOIN callers c ON c.id = e.caller_id
            WHERE e.household_id = ? AND e.kind IN ({",".join("?" * len(CORRECTION_KINDS))})
              AND (e.quarantined = 0 OR e.quarantine_status = 'accepted')
            ORDER BY e.version DESC""",
        [household_id, *CORRECTION_KINDS],
    ).fetchall()
    return [
        Correction(
            kind=kind,
            summary=_summary(kind, json.loads(payload)),
            caller_name=name or "",
            recorded_at=recorded,
            received_at=received,
        )
        for kind, payload, name, recorded, received in rows
    ]


def _summary(kind: str, payload: dict[str, Any]) -> str:
    if kind == "note_added":
        return f"Note: {payload.get('text', '')}"
    if kind == "language_corrected":
        return f"Language set to {language_name(str(payload.get('language', '')))}"
    if kind == "opt_out_recorded":
        return (
            "Asked not to be texted"
            if payload.get("channel") == "text"
            else ("Asked not to be called")
        )
    if payload.get("new_number"):
        return f"Number added: {payload['new_number']}"
    return f"Number marked wrong: {payload.get('old_number')}"


def find_households(
    db: sqlite_utils.Database,
    campaign_id: str,
    text: str,
    limit: int = 20,
    scope: Scope = EVERY_SCHOOL,
) -> list[tuple[str, str]]:
    """(id, name) of the campaign's households (the scope's) whose name, id or a phone number
    contains ``text`` (case aside), by name."""
    pattern = f"%{text.strip().casefold()}%"
    return [
        (row[0], row[1])
        for row in db.execute(
            f"""SELECT h.id, h.name FROM households h
               JOIN campaign_households ch
                 ON ch.household_id = h.id AND ch.campaign_id = :campaign
               WHERE (lower(h.name) LIKE :pattern OR lower(h.id) LIKE :pattern
                      OR h.phones LIKE :pattern)
                 AND {scope.clause("h.school")}
               ORDER BY h.name, h.id LIMIT :limit""",
            {"campaign": campaign_id, "pattern": pattern, "limit": limit, **scope.params},
        ).fetchall()
    ]


def household_record(db: sqlite_utils.Database, household_id: str) -> HouseholdRecord:
    household = load_household(db, household_id)
    if household is None:
        raise NotFound(f"No household with id {household_id!r}")
    history = correction_history(db, household_id) + lifts_history(db, household_id)
    return HouseholdRecord(household=household, history=newest_first(history))
