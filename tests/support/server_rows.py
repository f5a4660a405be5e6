"""Campaigns, households, assignments, devices and outcome events written straight into
the server database: the rows look exactly as push and the importer leave them, without
going through HTTP (for the supervisor-side tests, the seeded phone banks and the benches).
"""

from __future__ import annotations

import itertools
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from app.core.events import OutcomeRecorded
from app.core.models import Campaign, CampaignDraft, Household, PhoneNumber
from sync_server.campaigns import create_campaign
from sync_server.clock import iso, utcnow
from sync_server.db import Store, next_version
from sync_server.records import household_row

NOON = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)  # 12:00 in Los Angeles
_names = itertools.count(1)


def new_campaign(db: sqlite_utils.Database, slug: str = "tech-check", **fields: Any) -> Campaign:
    return create_campaign(db, CampaignDraft(slug=slug, name=slug.title(), **fields))


def make_household(index: int, *, language: str = "en", tags: tuple[str, ...] = ()) -> Household:
    """The ``index``-th family of a test: one phone number, a new id."""
    return Household(
        id=str(uuid.uuid4()),
        name=f"Family {index}",
        phones=[PhoneNumber(number=f"+1510555{index % 10000:04d}")],
        language=language,
        tags=list(tags),
    )


def put_household(
    db: sqlite_utils.Database,
    household: Household | None,
    campaign_id: str | None,
    caller_id: str | None,
    *,
    now: str,
    household_id: str | None = None,
    open_: bool = True,
) -> None:
    """``household`` into ``households`` (when given), and ``household_id`` (or its id) into
    the campaign (when given), assigned to ``caller_id``."""
    if household is not None:
        db.table("households").insert(
            {
                **household_row(household, dedupe_key=household.id),
                "version": next_version(db),
                "created_at": now,
                "updated_at": now,
            }
        )
    if campaign_id is not None:
        db.table("campaign_households").insert(
            {
                "campaign_id": campaign_id,
                "household_id": household.id if household else household_id,
                "caller_id": caller_id,
                "assigned_at": now if caller_id else None,
                "added_at": now,
                "open": int(open_),
                "version": next_version(db),
            }
        )


def seed_households(
    store: Store,
    campaign_id: str,
    households: list[Household],
    caller_id: str | None = None,
) -> None:
    """Put households straight into the database, in the campaign, assigned to caller_id."""
    now = iso(utcnow())
    with store.transaction() as db:
        for household in households:
            put_household(db, household, campaign_id, caller_id, now=now)


def assign(store: Store, campaign_id: str, household_id: str, caller_id: str | None) -> None:
    """Move one household to another caller (or unassign it), as a supervisor would."""
    with store.transaction() as db:
        db.execute(
            """UPDATE campaign_households SET caller_id = ?, assigned_at = ?, version = ?
               WHERE campaign_id = ? AND household_id = ?""",
            [caller_id, iso(utcnow()), next_version(db), campaign_id, household_id],
        )


def add_household(
    db: sqlite_utils.Database,
    campaign_id: str | None,
    *,
    language: str = "en",
    caller_id: str | None = None,
    tags: tuple[str, ...] = (),
    school: str | None = None,
    do_not_call: bool = False,
    open_: bool = True,
    household_id: str | None = None,
) -> str:
    """A household, in the campaign (when given) and assigned to ``caller_id``; an existing
    ``household_id`` is only added to the campaign."""
    household = None
    if (
        household_id is None
        or not db.execute("SELECT 1 FROM households WHERE id = ?", [household_id]).fetchone()
    ):
        household = Household(
            id=household_id or str(uuid.uuid4()),
            name=f"Family {next(_names)}",
            language=language,
            tags=list(tags),
            school=school,
            do_not_call=do_not_call,
        )
        household_id = household.id
    put_household(
        db, household, campaign_id, caller_id, now=iso(NOON), household_id=household_id, open_=open_
    )
    return household_id


def add_device(
    db: sqlite_utils.Database, caller_id: str, *, last_sync_at: datetime | None = NOON
) -> str:
    device_id = str(uuid.uuid4())
    db.table("devices").insert(
        {
            "id": device_id,
            "caller_id": caller_id,
            "name": "test",
            "token_hash": uuid.uuid4().hex,
            "created_at": iso(NOON),
            "last_sync_at": iso(last_sync_at) if last_sync_at else None,
            "last_seq": 0,
        }
    )
    return device_id


def add_outcome(
    db: sqlite_utils.Database,
    device_id: str,
    campaign_id: str,
    household_id: str,
    disposition: str = "no_answer",
    *,
    received_at: datetime = NOON,
    quarantined: bool = False,
    corrects: str | None = None,
    callback_at: datetime | None = None,
) -> str:
    """An outcome event as push stores it; returns its event_id."""
    caller_id, seq = db.execute(
        "SELECT caller_id, last_seq + 1 FROM devices WHERE id = ?", [device_id]
    ).fetchone()
    payload = OutcomeRecorded(
        campaign_id=campaign_id,
        household_id=household_id,
        disposition=disposition,
        corrects=uuid.UUID(corrects) if corrects else None,
        callback_at=callback_at,
    )
    event_id = str(uuid.uuid4())
    db.table("events").insert(
        {
            "event_id": event_id,
            "device_id": device_id,
            "seq": seq,
            "caller_id": caller_id,
            "kind": "outcome_recorded",
            "campaign_id": campaign_id,
            "household_id": household_id,
            "disposition": disposition,
            "channel": "call",
            "payload": payload.model_dump_json(),
            "recorded_at": iso(received_at),
            "received_at": iso(received_at),
            "quarantined": int(quarantined),
            "quarantine_status": "open" if quarantined else None,
            "version": next_version(db),
        }
    )
    db.execute("UPDATE devices SET last_seq = ? WHERE id = ?", [seq, device_id])
    return event_id


def add_follow_up(
    db: sqlite_utils.Database,
    campaign_id: str,
    household_id: str,
    caller_id: str | None,
    due_at: datetime | None,
    *,
    kind: str = "callback",
    status: str = "open",
) -> str:
    """A follow-up as an outcome (or a supervisor) leaves it; returns its id."""
    follow_up_id = str(uuid.uuid4())
    db.table("follow_ups").insert(
        {
            "id": follow_up_id,
            "campaign_id": campaign_id,
            "household_id": household_id,
            "caller_id": caller_id,
            "kind": kind,
            "due_at": iso(due_at) if due_at else None,
            "detail": "",
            "status": status,
            "resolution": "",
            "created_at": iso(utcnow()),
            "version": next_version(db),
        }
    )
    return follow_up_id


def languages_of(db: sqlite_utils.Database, caller_id: str) -> list[str]:
    row = db.execute("SELECT languages FROM callers WHERE id = ?", [caller_id]).fetchone()
    return list(json.loads(row[0]))
