"""Deleting a family's personal data (on request, or by retention): anonymise, keep counts.

The household row stays under its id with only what progress counts by (language,
school, opt-outs) and the name ``ANONYMISED_NAME``: names, phones, members, needs,
address, external id and best time to call go. Its events keep their kind, campaign,
disposition, channel and times — progress and the outcomes export still count them —
while their notes, answers, numbers, needs and free text go; its follow-ups are emptied
and closed. Its places on campaign lists are closed, so every device that holds it
drops it at its next pull (push_pull's usual remove, as after a reassignment); an event
a device sends later is quarantined, and its free text removed at the next daily
retention run (scrub_late_events).

Set-wise SQL over a temporary table of ids, in the caller's transaction (retention calls
it in batches; bench/bench_anonymise.py measures a 200,000-household campaign). Event
versions are left alone on purpose: the progress summary counts an event once per version
(progress_tables.py).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from app.core.errors import Conflict, NotFound
from app.core.privacy import ANONYMISED_NAME, AnonymisationResult, AnonymiseReason

from . import progress_tables
from .clock import iso, utcnow
from .db import next_version

__all__ = [
    "PERSONAL_DATA",
    "anonymise_households",
    "household_by_reference",
    "is_anonymised",
    "scrub_late_events",
]

_IDS = "temp.anonymising"

# Every field of an event payload that holds what a person typed or a family's number;
# json_replace only touches the keys a payload has, so each kind stays valid.
_EVENT_FIELDS = {
    "$.notes": "''",
    "$.answers": "json('{}')",
    "$.phone": "NULL",
    "$.needs_found": "json('[]')",
    "$.resources_shared": "json('[]')",
    "$.detail": "''",
    "$.resolution": "''",
    "$.text": "''",
    "$.old_number": "NULL",
    "$.new_number": "NULL",
}

PERSONAL_DATA: list[str] = [
    # The household's body: only what progress counts by is kept.
    f"""UPDATE households SET
           body = json_object('id', id, 'name', '{ANONYMISED_NAME}',
                              'language', coalesce(language, 'en'), 'school', school,
                              'do_not_call', json(iif(do_not_call, 'true', 'false')),
                              'text_opt_out', json(iif(text_opt_out, 'true', 'false'))),
           dedupe_key = 'anonymised:' || id, version = :version, updated_at = :now
       WHERE id IN (SELECT id FROM {_IDS})""",
    f"""UPDATE events SET payload = json_replace(payload, {
        ", ".join(f"'{path}', {value}" for path, value in _EVENT_FIELDS.items())
    }) WHERE household_id IN (SELECT id FROM {_IDS})""",
    # An event still waiting in quarantine would re-apply its effects if accepted.
    f"""UPDATE events SET quarantine_status = 'dismissed'
        WHERE quarantined = 1 AND quarantine_status = 'open'
          AND household_id IN (SELECT id FROM {_IDS})""",
    f"""UPDATE follow_ups SET detail = '', resolution = '', version = :version,
           status = 'closed', closed_at = coalesce(closed_at, :now)
       WHERE household_id IN (SELECT id FROM {_IDS})""",
    # Why a supervisor lifted an opt-out may name the family; the lift itself stays.
    f"UPDATE opt_out_lifts SET reason = '' WHERE household_id IN (SELECT id FROM {_IDS})",
]
"""The statements that remove personal data, over the ids in temp.anonymising (``:version``,
``:now`` bound). A module that stores more about a household (notes, corrections) appends
its own statement here."""


def scrub_late_events(db: sqlite_utils.Database) -> AnonymisationResult:
    """Remove the free text of events that arrived for anonymised households after they
    were anonymised (a phone that was offline then); retention calls this daily."""
    late = [
        row[0]
        for row in db.execute(
            """SELECT DISTINCT a.household_id FROM anonymised_households a
               JOIN events e ON e.household_id = a.household_id
               WHERE e.received_at > a.scrubbed_at"""
        )
    ]
    if not late:
        return AnonymisationResult(households=0)
    return anonymise_households(db, late, "retention")


def household_by_reference(db: sqlite_utils.Database, reference: str) -> str:
    """The id of the household a supervisor names by its id or by its external id (the
    school's student or family number, as a deletion request quotes it)."""
    reference = reference.strip()
    if db.execute("SELECT 1 FROM households WHERE id = ?", [reference]).fetchone():
        return reference
    found = [
        row[0] for row in db.execute("SELECT id FROM households WHERE external_id = ?", [reference])
    ]
    if not found:
        raise NotFound(f"No household with id or external id {reference!r}")
    if len(found) > 1:
        raise Conflict(
            f"{len(found)} households have the external id {reference!r}: "
            "delete each by its household id"
        )
    return found[0]


def is_anonymised(db: sqlite_utils.Database, household_id: str) -> bool:
    return (
        db.execute(
            "SELECT 1 FROM anonymised_households WHERE household_id = ?", [household_id]
        ).fetchone()
        is not None
    )


def anonymise_households(
    db: sqlite_utils.Database,
    household_ids: Iterable[str],
    reason: AnonymiseReason,
    *,
    must_exist: bool = False,
) -> AnonymisationResult:
    """Remove these families' personal data; call inside one transaction.

    Households anonymised before change nothing again (except an event pushed since,
    whose free text is removed); with ``must_exist`` an unknown id is NotFound and
    nothing is changed.
    """
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_IDS.split('.')[1]} (id TEXT PRIMARY KEY)")
    db.execute(f"DELETE FROM {_IDS}")
    try:
        db.conn.executemany(
            f"INSERT OR IGNORE INTO {_IDS} SELECT id FROM households WHERE id = ?",
            [(household_id,) for household_id in household_ids],
        )
        asked = db.execute(f"SELECT count(*) FROM {_IDS}").fetchone()[0]
        if must_exist and asked == 0:
            raise NotFound("No such household")
        already = db.execute(
            f"SELECT count(*) FROM {_IDS} WHERE id IN "
            "(SELECT household_id FROM anonymised_households)"
        ).fetchone()[0]
        now = iso(utcnow())
        version = next_version(db)
        closed = db.execute(
            f"""UPDATE campaign_households SET open = 0, version = ?
                WHERE open = 1 AND household_id IN (SELECT id FROM {_IDS})""",
            [version],
        ).rowcount
        events = db.execute(
            f"SELECT count(*) FROM events WHERE household_id IN (SELECT id FROM {_IDS})"
        ).fetchone()[0]
        follow_ups = db.execute(
            f"SELECT count(*) FROM follow_ups WHERE household_id IN (SELECT id FROM {_IDS})"
        ).fetchone()[0]
        for statement in PERSONAL_DATA:
            db.execute(statement, {"version": version, "now": now})
        db.execute(
            f"""INSERT INTO anonymised_households SELECT id, ?, ?, ? FROM {_IDS} WHERE true
                ON CONFLICT (household_id) DO UPDATE SET scrubbed_at = excluded.scrubbed_at""",
            [now, reason, now],
        )
    finally:
        db.execute(f"DELETE FROM {_IDS}")
    # The dashboard's summary copies each household's tags (its needs): brought up to date
    # now, so no copy of them outlives the deletion until the next dashboard load.
    progress_tables.refresh_progress(db)
    return AnonymisationResult(
        households=asked - already,
        already=already,
        events=events,
        follow_ups=follow_ups,
        assignments_closed=closed,
    )
