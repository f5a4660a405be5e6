""" "Needs another language": the family goes to a caller who speaks it, or waits in the
console's queue "needs a speaker of …" until a supervisor assigns one.

The choice is assignment's (language, continuity, balance) among the active callers other
than the one who asked; a caller who does not speak the language never gets the family
here. Moving the household off the first caller's list is what makes their device drop it
at its next pull; the hand-off note on the household (app.core.household_notes) is what
tells the new caller why it came to them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from app.core.errors import Conflict, NotFound
from app.core.family_reports import QueuedFamily, SpeakerChoice
from app.core.household_notes import with_note
from app.core.models import Household, HouseholdNote, LanguageCode

from .assignment import move_households, plan_assignment, speaks
from .audit import Actor, record
from .clock import iso, utcnow
from .db import next_version
from .languages import language_name, read_language
from .records import household_from_row
from .roles import EVERY_SCHOOL, Scope, require_event

__all__ = [
    "HandoffRequest",
    "assign_from_queue",
    "family_language",
    "hand_off",
    "language_queue",
    "save_household",
]

# Chinese as Hong Kong and Macau speak it is Cantonese: one tag for matching callers (its
# script, Traditional Chinese, follows from yue: app.core.scripts).
_CANTONESE_REGIONS = frozenset({"zh-hk", "zh-mo", "zh-hant-hk", "zh-hant-mo"})


def family_language(text: str) -> LanguageCode:
    """The tag a family's language is kept as: 'Cantonese', 'yue', '粵語' and 'zh-HK' are
    all ``yue``; 'Spanish' is ``es``; text naming no language is kept as typed."""
    tag = read_language(text).tag
    return "yue" if tag.lower() in _CANTONESE_REGIONS else tag


def save_household(db: sqlite_utils.Database, before: Household, after: Household) -> None:
    """Store the household's new body (a new version, so devices holding it get it)."""
    if after is before:
        return
    db.execute(
        "UPDATE households SET body = ?, version = ?, updated_at = ? WHERE id = ?",
        [after.model_dump_json(), next_version(db), iso(utcnow()), before.id],
    )


def load_household(db: sqlite_utils.Database, household_id: str) -> Household | None:
    rows = list(db.query("SELECT body FROM households WHERE id = ?", [household_id]))
    return household_from_row(rows[0]) if rows else None


def _caller_name(db: sqlite_utils.Database, caller_id: str | None) -> str:
    row = db.execute("SELECT name FROM callers WHERE id = ?", [caller_id]).fetchone()
    return str(row[0]) if row else ""


def _speakers(
    db: sqlite_utils.Database, language: LanguageCode, *excluding: str
) -> list[tuple[str, str]]:
    """(id, name) of the active callers who speak ``language``, but ``excluding``."""
    return [
        (caller_id, name)
        for caller_id, name, languages in db.execute(
            "SELECT id, name, languages FROM callers WHERE active = 1 ORDER BY name, id"
        ).fetchall()
        if caller_id not in excluding and speaks(json.loads(languages), language)
    ]


@dataclass(frozen=True)
class HandoffRequest:
    """A caller's "needs another language" outcome: which family, which language, who."""

    event_id: str
    campaign_id: str
    household_id: str
    language: LanguageCode
    from_caller_id: str | None


def _note_handoff(
    db: sqlite_utils.Database, request: HandoffRequest, to_caller_id: str | None
) -> None:
    household = load_household(db, request.household_id)
    if household is None:
        return
    name = language_name(request.language)
    text = (
        f"Needs a speaker of {name}: handed to {_caller_name(db, to_caller_id)}"
        if to_caller_id
        else f"Needs a speaker of {name}: waiting in the console's queue"
    )
    note = HouseholdNote(
        # One note per hand-off step: the first caller's, then a supervisor's assignment.
        id=f"handoff:{request.event_id}:{to_caller_id or 'queue'}",
        text=text,
        caller_id=request.from_caller_id,
        caller_name=_caller_name(db, request.from_caller_id),
        recorded_at=utcnow(),
        campaign_id=request.campaign_id,
        kind="handoff",
        handed_to=to_caller_id,
        language=request.language,
    )
    save_household(db, household, with_note(household, note))


def hand_off(
    db: sqlite_utils.Database, request: HandoffRequest, requested_at: datetime
) -> str | None:
    """Give the family to a caller who speaks its language, or queue it; the status
    ('handed' or 'queued'), or None when there is nothing to hand over (the event was
    handled before, the household is not open with that caller, or asked not to be called).
    Call inside the push's transaction."""
    if db.execute(
        "SELECT 1 FROM language_handoffs WHERE event_id = ?", [request.event_id]
    ).fetchone():
        return None
    campaign_id, household_id = request.campaign_id, request.household_id
    row = db.execute(
        """SELECT ch.caller_id, h.do_not_call FROM campaign_households ch
           JOIN households h ON h.id = ch.household_id
           WHERE ch.campaign_id = ? AND ch.household_id = ? AND ch.open = 1""",
        [campaign_id, household_id],
    ).fetchone()
    if row is None or row[0] != request.from_caller_id or row[1]:
        return None
    excluding = [request.from_caller_id] if request.from_caller_id else []
    plan = plan_assignment(db, campaign_id, [household_id], excluding=excluding)
    speakers = {caller_id for caller_id, _ in _speakers(db, request.language, *excluding)}
    chosen = next((move.caller_id for move in plan.moves if move.caller_id in speakers), None)
    move_households(db, campaign_id, [household_id], chosen)
    status = "handed" if chosen else "queued"
    db.execute(
        """INSERT INTO language_handoffs (event_id, campaign_id, household_id, language,
               from_caller_id, requested_at, status, to_caller_id, settled_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            request.event_id,
            campaign_id,
            household_id,
            request.language,
            request.from_caller_id,
            iso(requested_at),
            status,
            chosen,
            iso(utcnow()) if chosen else None,
        ],
    )
    _note_handoff(db, request, chosen)
    return status


def language_queue(
    db: sqlite_utils.Database, campaign_id: str | None = None, scope: Scope = EVERY_SCHOOL
) -> list[QueuedFamily]:
    """The scope's families still waiting for a speaker of their language (nobody has them
    yet), oldest first, each with the callers a supervisor may give it to."""
    rows = db.execute(
        f"""SELECT q.event_id, q.campaign_id, q.household_id, q.language, q.from_caller_id,
                  q.requested_at, h.body
           FROM language_handoffs q
           JOIN campaign_households ch
             ON ch.campaign_id = q.campaign_id AND ch.household_id = q.household_id
           JOIN households h ON h.id = q.household_id
           WHERE q.status = 'queued' AND ch.open = 1 AND ch.caller_id IS NULL
             AND (:campaign IS NULL OR q.campaign_id = :campaign)
             AND {scope.clause("h.school")}
           ORDER BY q.requested_at, q.event_id""",
        {"campaign": campaign_id, **scope.params},
    ).fetchall()
    everyone = [
        (caller_id, name)
        for caller_id, name in db.execute(
            "SELECT id, name FROM callers WHERE active = 1 ORDER BY name, id"
        ).fetchall()
    ]
    queued = []
    for event_id, campaign, household_id, language, from_caller, requested_at, body in rows:
        speakers = _speakers(db, language)
        offered = speakers or everyone
        queued.append(
            QueuedFamily(
                event_id=event_id,
                campaign_id=campaign,
                household_id=household_id,
                household_name=Household.model_validate_json(body).name,
                language=language,
                language_name=language_name(language),
                from_caller_name=_caller_name(db, from_caller),
                requested_at=requested_at,
                callers=[
                    SpeakerChoice(caller_id=caller_id, name=name, speaks=bool(speakers))
                    for caller_id, name in offered
                ],
            )
        )
    return queued


def assign_from_queue(
    db: sqlite_utils.Database,
    event_id: str,
    caller_id: str,
    actor: Actor,
    scope: Scope = EVERY_SCHOOL,
) -> QueuedFamily:
    """A supervisor (``actor``, in the audit log) gives a queued family to ``caller_id``;
    their device gets it, with the reason, at its next pull. Conflict when it is no longer
    waiting."""
    require_event(db, scope, event_id)
    waiting = next((item for item in language_queue(db) if item.event_id == event_id), None)
    if waiting is None:
        raise Conflict("That family is no longer waiting for a speaker; reload the queue")
    if db.execute("SELECT 1 FROM callers WHERE id = ?", [caller_id]).fetchone() is None:
        raise NotFound(f"No caller with id {caller_id!r}")
    move_households(db, waiting.campaign_id, [waiting.household_id], caller_id)
    db.execute(
        """UPDATE language_handoffs SET status = 'assigned', to_caller_id = ?, settled_at = ?
           WHERE event_id = ?""",
        [caller_id, iso(utcnow()), event_id],
    )
    row = db.execute(
        "SELECT from_caller_id FROM language_handoffs WHERE event_id = ?", [event_id]
    ).fetchone()
    request = HandoffRequest(
        event_id, waiting.campaign_id, waiting.household_id, waiting.language, row[0]
    )
    _note_handoff(db, request, caller_id)
    record(
        db,
        actor,
        "language_queue.assign",
        target_kind="household",
        target_ids=[waiting.household_id],
        campaign_id=waiting.campaign_id,
        caller_id=caller_id,
        language=waiting.language,
    )
    return waiting
