"""Announcements: a supervisor's message to a campaign's callers or to one caller (issue 15).

Posted through the API or the console (recorded in the audit log); a caller's devices get
the ones for their caller at the next pull (``VISIBLE_QUERY``) and send an
``announcement_read`` event when the caller marks one read. Who read one is read back from
those events.
"""

from __future__ import annotations

import secrets
from typing import Any

import sqlite_utils

from app.core.announcements import (
    Announcement,
    AnnouncementReader,
    AnnouncementRequest,
    AnnouncementStatus,
)
from app.core.errors import NotFound
from app.core.events import AnnouncementRead

from .audit import Actor
from .audited import announced
from .campaigns import get_campaign
from .clock import iso, utcnow
from .db import next_version

ADDRESSED_QUERY = """SELECT a.id, a.version FROM announcements a
                     WHERE a.caller_id = :caller
                        OR (a.caller_id IS NULL AND a.campaign_id IN (
                            SELECT campaign_id FROM campaign_households
                            WHERE caller_id = :caller))"""
"""The announcements for a caller: addressed to them, or to every caller of a campaign they
have families in."""

VISIBLE_QUERY = (
    ADDRESSED_QUERY
    + """ EXCEPT SELECT a.id, a.version FROM announcements a
          JOIN events e ON e.caller_id = :caller AND e.kind = 'announcement_read'
                       AND e.quarantined = 0
                       AND json_extract(e.payload, '$.announcement_id') = a.id"""
)
"""What a caller's devices hold: their announcements until the caller reads one (on any of
their devices; the next pull then drops it)."""


def announcement_from_row(row: dict[str, Any]) -> Announcement:
    return Announcement.model_validate({k: v for k, v in row.items() if k != "version"})


def post(
    db: sqlite_utils.Database, campaign_id: str, request: AnnouncementRequest, actor: Actor
) -> Announcement:
    """Store one announcement; call inside the transaction. NotFound for an unknown
    campaign or caller."""
    get_campaign(db, campaign_id)
    if request.caller_id is not None and not list(
        db.query("SELECT id FROM callers WHERE id = ?", [request.caller_id])
    ):
        raise NotFound(f"No caller with id {request.caller_id!r}")
    announcement = Announcement(
        id=secrets.token_hex(8),
        campaign_id=campaign_id,
        caller_id=request.caller_id,
        text=request.text.strip() or request.text,
        author=actor.name,
        posted_at=utcnow(),
    )
    db.execute(
        """INSERT INTO announcements (id, campaign_id, caller_id, text, author, posted_at,
               version) VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [
            announcement.id,
            campaign_id,
            announcement.caller_id,
            announcement.text,
            announcement.author,
            iso(announcement.posted_at),
            next_version(db),
        ],
    )
    announced(db, actor, announcement)
    return announcement


def statuses(db: sqlite_utils.Database, campaign_id: str) -> list[AnnouncementStatus]:
    """The campaign's announcements, newest first, each with who read it (first read)."""
    get_campaign(db, campaign_id)
    readers: dict[str, list[AnnouncementReader]] = {}
    for row in db.query(
        """SELECT json_extract(e.payload, '$.announcement_id') AS announcement_id,
                  e.caller_id, c.name, min(e.recorded_at) AS read_at
           FROM events e JOIN callers c ON c.id = e.caller_id
           WHERE e.kind = 'announcement_read' AND e.campaign_id = ? AND e.quarantined = 0
           GROUP BY announcement_id, e.caller_id ORDER BY read_at""",
        [campaign_id],
    ):
        readers.setdefault(row["announcement_id"], []).append(
            AnnouncementReader(
                caller_id=row["caller_id"], caller_name=row["name"], read_at=row["read_at"]
            )
        )
    return [
        AnnouncementStatus(
            announcement=announcement_from_row(row), readers=readers.get(row["id"], [])
        )
        for row in db.query(
            "SELECT * FROM announcements WHERE campaign_id = ? ORDER BY posted_at DESC, id",
            [campaign_id],
        )
    ]


def readable(db: sqlite_utils.Database, caller_id: str, reads: list[AnnouncementRead]) -> set[str]:
    """The announcement ids among ``reads`` that are the caller's to read (others are
    quarantined at push)."""
    if not reads:
        return set()
    visible = {row[0] for row in db.execute(ADDRESSED_QUERY, {"caller": caller_id}).fetchall()}
    return {read.announcement_id for read in reads} & visible
