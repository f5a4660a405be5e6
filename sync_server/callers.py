"""Callers as the supervisor manages them: their devices, languages, and whether active."""

from __future__ import annotations

import json
from collections import defaultdict

import sqlite_utils

from app.core.models import Caller, LanguageCode
from app.core.reports import CallerInfo, CallerUpdate, DeviceInfo

from .auth import create_caller, load_caller
from .languages import caller_languages
from .roles import EVERY_SCHOOL, Scope


def list_callers(db: sqlite_utils.Database, scope: Scope = EVERY_SCHOOL) -> list[CallerInfo]:
    """Every caller, by name, with their devices (newest first) and open households.

    Callers are the district's shared pool: a school coordinator sees the active ones (to
    give their families to), each with only their schools' open households counted."""
    devices: dict[str, list[DeviceInfo]] = defaultdict(list)
    for row in db.query(
        """SELECT id, caller_id, name, created_at, last_seen_at, last_sync_at, revoked_at,
                  last_seq, wipe_ordered_at, wipe_delivered_at, erased_at, erased_reason,
                  erased_unsent, erased_seq
           FROM devices ORDER BY created_at DESC, id"""
    ):
        caller_id = row.pop("caller_id")
        devices[caller_id].append(DeviceInfo(**row, revoked=row["revoked_at"] is not None))
    assigned = dict(
        db.execute(
            f"""SELECT caller_id, count(*) FROM campaign_households
               WHERE open = 1 AND caller_id IS NOT NULL
                 AND {scope.household_clause("household_id")}
               GROUP BY caller_id""",
            scope.params,
        ).fetchall()
    )
    callers = []
    for row in db.query(
        """SELECT id, name, languages, role, active FROM callers
           WHERE active = 1 OR :scope_schools IS NULL ORDER BY name COLLATE NOCASE, id""",
        scope.params,
    ):
        own = devices.get(row["id"], [])
        syncs = [device.last_sync_at for device in own if device.last_sync_at is not None]
        callers.append(
            CallerInfo(
                id=row["id"],
                name=row["name"],
                languages=json.loads(row["languages"]),
                role=row["role"],
                active=bool(row["active"]),
                devices=own,
                last_sync_at=max(syncs) if syncs else None,
                assigned=assigned.get(row["id"], 0),
            )
        )
    return callers


def get_caller(db: sqlite_utils.Database, caller_id: str) -> CallerInfo:
    load_caller(db, caller_id)  # NotFound for an unknown id
    return next(caller for caller in list_callers(db) if caller.id == caller_id)


def set_caller_active(db: sqlite_utils.Database, caller_id: str, active: bool) -> None:
    """An inactive caller's devices stop syncing and they get no new households.

    Households they hold stay theirs until moved (see assignment.rebalance_quiet).
    """
    load_caller(db, caller_id)
    db.execute("UPDATE callers SET active = ? WHERE id = ?", [int(active), caller_id])


def add_caller(
    db: sqlite_utils.Database, name: str, languages: list[LanguageCode], role: str = "caller"
) -> Caller:
    """A new caller; UnknownLanguage (nothing stored) unless every language is a tag we know."""
    return create_caller(db, name, caller_languages(languages), role)


def set_caller_languages(
    db: sqlite_utils.Database, caller_id: str, languages: list[LanguageCode]
) -> None:
    """UnknownLanguage, and the caller's languages as they were, unless every one is a tag
    we know ('ES' is stored as es); assignment matches families by these tags."""
    cleaned = caller_languages(languages)
    load_caller(db, caller_id)
    db.execute(
        "UPDATE callers SET languages = ? WHERE id = ?",
        [json.dumps(cleaned, ensure_ascii=False), caller_id],
    )


def update_caller(db: sqlite_utils.Database, caller_id: str, update: CallerUpdate) -> CallerInfo:
    with db.atomic():
        if update.languages is not None:
            set_caller_languages(db, caller_id, update.languages)
        if update.active is not None:
            set_caller_active(db, caller_id, update.active)
        return get_caller(db, caller_id)
