"""The supervisor's follow-up queue: callbacks and referrals someone still has to close."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from app.core.errors import Conflict, NotFound
from app.core.reports import FollowUpItem

from .clock import iso, utcnow
from .db import next_version
from .records import follow_up_from_row
from .roles import EVERY_SCHOOL, Scope
from .sql_filters import where_matching

_SELECT = """SELECT f.*, h.name AS household_name, c.name AS caller_name
             FROM follow_ups f
             LEFT JOIN households h ON h.id = f.household_id
             LEFT JOIN callers c ON c.id = f.caller_id"""


def _item(row: dict[str, Any], now: str) -> FollowUpItem:
    follow_up = follow_up_from_row(row)
    return FollowUpItem(
        **follow_up.model_dump(),
        household_name=row["household_name"] or "",
        caller_name=row["caller_name"],
        overdue=follow_up.status == "open" and row["due_at"] is not None and row["due_at"] < now,
    )


def open_follow_ups(
    db: sqlite_utils.Database,
    campaign_id: str | None = None,
    caller_id: str | None = None,
    *,
    limit: int = 1000,
    scope: Scope = EVERY_SCHOOL,
) -> list[FollowUpItem]:
    """Open follow-ups of the scope's households, soonest due first; those with no due time
    after them, oldest first."""
    where, params = where_matching(
        f"f.status = 'open' AND {scope.clause('h.school')}",
        {"f.campaign_id": campaign_id, "f.caller_id": caller_id},
    )
    params.update(scope.params)
    now = iso(utcnow())
    return [
        _item(row, now)
        for row in db.query(
            f"""{_SELECT} WHERE {where}
                ORDER BY f.due_at IS NULL, f.due_at, f.created_at, f.id LIMIT :limit""",
            {**params, "limit": limit},
        )
    ]


def get_follow_up(db: sqlite_utils.Database, follow_up_id: str) -> FollowUpItem:
    rows = list(db.query(f"{_SELECT} WHERE f.id = ?", [follow_up_id]))
    if not rows:
        raise NotFound(f"No follow-up with id {follow_up_id!r}")
    return _item(rows[0], iso(utcnow()))


def close_follow_up(
    db: sqlite_utils.Database, follow_up_id: str, resolution: str = ""
) -> FollowUpItem:
    """Close a follow-up with how it was resolved; closing a closed one changes nothing."""
    current = get_follow_up(db, follow_up_id)
    if current.status == "closed":
        return current
    db.execute(
        """UPDATE follow_ups SET status = 'closed', resolution = ?, closed_at = ?, version = ?
           WHERE id = ?""",
        [resolution.strip(), iso(utcnow()), next_version(db), follow_up_id],
    )
    return get_follow_up(db, follow_up_id)


def reassign_follow_up(
    db: sqlite_utils.Database, follow_up_id: str, caller_id: str | None
) -> FollowUpItem:
    """Hand an open follow-up to another (active) caller, or to nobody.

    Devices see a follow-up with its household, so a callback for someone else's household
    is best moved with the household (assignment.move_households does both).
    """
    current = get_follow_up(db, follow_up_id)
    if current.status != "open":
        raise Conflict("That follow-up is closed; only open ones can be reassigned")
    if caller_id is not None:
        row = db.execute("SELECT active FROM callers WHERE id = ?", [caller_id]).fetchone()
        if row is None:
            raise NotFound(f"No caller with id {caller_id!r}")
        if not row[0]:
            raise Conflict("That caller is not active; reactivate them first")
    if current.caller_id != caller_id:
        db.execute(
            "UPDATE follow_ups SET caller_id = ?, version = ? WHERE id = ?",
            [caller_id, next_version(db), follow_up_id],
        )
    return get_follow_up(db, follow_up_id)
