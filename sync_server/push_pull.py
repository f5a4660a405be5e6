"""Push and pull: the server half of the offline-first sync protocol (DESIGN.md).

Push stores each event exactly once by ``(device_id, seq)``; an event for a household no
longer assigned to its caller, or an outcome whose code its campaign does not define, is
kept, quarantined. Pull sends a device the difference
between what it may see now — recomputed from its caller's assignments on every call —
and what it was last sent (``device_holdings``).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from app.core.dispositions import dispositions_for
from app.core.errors import AuthError, PhonebankError
from app.core.events import AnnouncementRead, Event, EventPayload, OutcomeRecorded
from app.core.models import Assignment
from app.core.protocol import (
    Change,
    EntityKind,
    EventResult,
    EventStatus,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
)
from app.core.reports import QuarantineReason

from . import announcements
from .auth import DeviceIdentity
from .campaigns import get_campaign
from .clock import iso, utcnow
from .db import next_versions
from .effects import apply_event_effects
from .records import (
    campaign_from_row,
    follow_up_from_row,
    household_from_row,
    outcome_from_row,
    script_from_row,
)


class SeqGapError(PhonebankError):
    """The batch does not continue from the last event the server stored; resend from there"""

    def __init__(self, last_acked_seq: int, unexpected_seq: int) -> None:
        super().__init__(
            f"Expected event seq {last_acked_seq + 1} next, got {unexpected_seq}; "
            f"resend from {last_acked_seq + 1}"
        )
        self.last_acked_seq = last_acked_seq


class BatchInvalid(PhonebankError):
    """The batch is not a valid sequence of events"""


def _own_device(identity: DeviceIdentity, device_id: str) -> None:
    if device_id != identity.device_id:
        raise AuthError("This token belongs to another device")


def push(db: sqlite_utils.Database, identity: DeviceIdentity, request: PushRequest) -> PushResponse:
    """Store a batch of events; call inside one transaction.

    The request is validated already, so the answer is built without validating it again
    (``model_construct``): with 100 events, validating 100 results cost more than storing.
    """
    _own_device(identity, request.device_id)
    events = sorted(request.events, key=lambda event: event.seq)
    seqs = [event.seq for event in events]
    if len(set(seqs)) != len(seqs):
        raise BatchInvalid("Two events in the batch have the same seq")
    last_seq = int(
        db.conn.execute(
            "SELECT last_seq FROM devices WHERE id = ?", [identity.device_id]
        ).fetchone()[0]
    )
    fresh = [event for event in events if event.seq > last_seq]
    for expected, event in enumerate(fresh, start=last_seq + 1):
        if event.seq != expected:
            raise SeqGapError(last_seq, event.seq)
    result = EventResult.model_construct
    results = [
        result(event_id=event.event_id, seq=event.seq, status="duplicate")
        for event in events
        if event.seq <= last_seq
    ]
    now = utcnow()
    statuses = _store_events(db, identity, fresh, now)
    results += [
        result(event_id=event.event_id, seq=event.seq, status=status)
        for event, status in zip(fresh, statuses, strict=True)
    ]
    new_last = fresh[-1].seq if fresh else last_seq
    db.conn.execute(
        "UPDATE devices SET last_seq = ?, last_seen_at = ?, last_sync_at = ? WHERE id = ?",
        [new_last, iso(now), iso(now), identity.device_id],
    )
    return PushResponse.model_construct(last_acked_seq=new_last, results=results)


def _store_events(
    db: sqlite_utils.Database, identity: DeviceIdentity, events: list[Event], now: datetime
) -> list[EventStatus]:
    """Store fresh events in seq order (this is push's hot path): what the batch needs from
    the database is read with a few set-wise queries before the loop, the rows go in with
    one ``executemany``, and only the effects touch the database per event."""
    if not events:
        return []
    # The same event sent again under a new seq (a re-joined device renumbers its outbox)
    # is already stored: it only moves the device's seq forward.
    event_ids = [str(event.event_id) for event in events]
    stored = _existing(db, "SELECT event_id FROM events WHERE event_id IN ({})", event_ids)
    new: list[tuple[str, Event]] = []
    statuses: list[EventStatus] = []
    for event_id, event in zip(event_ids, events, strict=True):
        if event_id in stored:
            statuses.append("duplicate")
            continue
        stored.add(event_id)
        new.append((event_id, event))
        statuses.append("applied")  # or quarantined: settled below
    reads = [p for _, e in new if isinstance(p := e.payload, AnnouncementRead)]
    readable = announcements.readable(db, identity.caller_id, reads)
    assigned = _assigned(
        db, identity.caller_id, {e.payload.household_id for _, e in new if e.payload.household_id}
    )
    codes = _outcome_codes(
        db,
        {campaign_id for campaign_id, _ in assigned}
        & {p.campaign_id for _, e in new if isinstance(p := e.payload, OutcomeRecorded)},
    )

    def quarantine_reason(payload: EventPayload) -> QuarantineReason | None:
        if isinstance(payload, AnnouncementRead):
            return None if payload.announcement_id in readable else "not_assigned"
        if (payload.campaign_id, payload.household_id) not in assigned:
            return "not_assigned"
        if isinstance(payload, OutcomeRecorded) and payload.disposition not in codes.get(
            payload.campaign_id, ()
        ):
            return "unknown_disposition"
        return None

    received_at = iso(now)
    rows: list[tuple[Any, ...]] = []
    reasons: list[QuarantineReason | None] = []
    own_outcomes: list[tuple[str, int]] = []  # (event_id, version) of the applied ones
    for (event_id, event), version in zip(new, next_versions(db, len(new)), strict=True):
        payload = event.payload
        reason = quarantine_reason(payload)
        reasons.append(reason)
        if reason is None and isinstance(payload, OutcomeRecorded):
            own_outcomes.append((event_id, version))
        rows.append(
            (
                event_id,
                identity.device_id,
                event.seq,
                identity.caller_id,
                payload.kind,
                payload.campaign_id,
                payload.household_id,
                getattr(payload, "disposition", None),
                getattr(payload, "channel", None),
                payload.model_dump_json(),
                iso(event.recorded_at),
                received_at,
                1 if reason else 0,
                "open" if reason else None,
                reason,
                version,
            )
        )
    db.conn.executemany(_INSERT_EVENT, rows)
    _hold_own_outcomes(db, identity.device_id, own_outcomes)
    for (_, event), row, reason in zip(new, rows, reasons, strict=True):
        if reason is None:
            event_row = dict(zip(_EVENT_COLUMNS, row, strict=True))
            apply_event_effects(db, event_row, event.payload, now=now)
    settled = iter(reasons)
    return [
        status if status == "duplicate" else ("quarantined" if next(settled) else "applied")
        for status in statuses
    ]


def _hold_own_outcomes(
    db: sqlite_utils.Database, device_id: str, outcomes: list[tuple[str, int]]
) -> None:
    """The device holds the outcomes it just sent (its store wrote each one when recorded),
    so its next pull does not send them back: a volunteer's phone downloads only what
    others changed. A quarantined outcome is not visible; if a supervisor accepts it, its
    new version reaches the device as any change does."""
    db.conn.executemany(
        """INSERT INTO device_holdings (device_id, entity, entity_id, version)
           VALUES (?, 'outcome', ?, ?) ON CONFLICT (device_id, entity, entity_id)
           DO UPDATE SET version = excluded.version""",
        [(device_id, event_id, version) for event_id, version in outcomes],
    )


def _assigned(db: sqlite_utils.Database, caller_id: str, households: set[str]) -> set[Key]:
    """The (campaign, household) pairs among ``households`` open and assigned to the caller."""
    # Looked up by household, and the caller checked here: given ``caller_id = ?`` the
    # planner walks every household of the caller (campaign_households_caller), so a push
    # cost grew with the caller's list; this costs one index seek per household sent.
    found: set[Key] = set()
    for chunk in _chunks(sorted(households)):
        found.update(
            (campaign_id, household_id)
            for campaign_id, household_id, assignee, is_open in db.conn.execute(
                f"""SELECT campaign_id, household_id, caller_id, open FROM campaign_households
                    WHERE household_id IN ({",".join("?" * len(chunk))})""",
                chunk,
            )
            if assignee == caller_id and is_open == 1
        )
    return found


def _outcome_codes(db: sqlite_utils.Database, campaign_ids: set[str]) -> dict[str, set[str]]:
    """Each campaign's outcome codes, read once a batch."""
    return {
        campaign_id: {d.code for d in dispositions_for(get_campaign(db, campaign_id))}
        for campaign_id in campaign_ids
    }


def _existing(db: sqlite_utils.Database, query: str, values: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(values):
        found.update(
            row[0] for row in db.conn.execute(query.format(",".join("?" * len(chunk))), chunk)
        )
    return found


_EVENT_COLUMNS = (
    "event_id",
    "device_id",
    "seq",
    "caller_id",
    "kind",
    "campaign_id",
    "household_id",
    "disposition",
    "channel",
    "payload",
    "recorded_at",
    "received_at",
    "quarantined",
    "quarantine_status",
    "quarantine_reason",
    "version",
)
_INSERT_EVENT = (
    f"INSERT INTO events ({', '.join(_EVENT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_EVENT_COLUMNS))})"
)


# --- pull -----------------------------------------------------------------------------

ENTITY_ORDER: tuple[EntityKind, ...] = (
    "campaign",
    "script",
    "household",
    "assignment",
    "follow_up",
    "outcome",
    "announcement",
)
Key = tuple[str, str]  # (entity, id)


DAILY_OUTCOMES_KEPT_DAYS = 8
"""How long a daily-attendance outcome stays on callers' devices: long enough for the
caller's "this week" and for yesterday's attempts on the call screen. A campaign of daily
lists adds an outcome a family a day, and a device holding a school year of them would
make every pull (which compares all a device holds) and the phone's start slow."""


def visible_versions(db: sqlite_utils.Database, caller_id: str) -> dict[Key, int]:
    """Every entity the caller's devices may hold now, with its current version.

    That is the caller's open assignments with their households, campaigns, scripts and
    open follow-ups; their outcomes (a daily-attendance campaign's for the last
    ``DAILY_OUTCOMES_KEPT_DAYS`` days, by the server's clock); and their announcements.
    """
    visible: dict[Key, int] = {}
    queries: dict[str, str] = {
        "assignment": """SELECT campaign_id || ':' || household_id, version FROM mine""",
        "household": """SELECT h.id, h.version FROM households h
                        WHERE h.id IN (SELECT household_id FROM mine)""",
        "campaign": """SELECT c.id, c.version FROM campaigns c
                       WHERE c.id IN (SELECT campaign_id FROM mine)""",
        "script": """SELECT s.id, s.version FROM scripts s
                     WHERE s.campaign_id IN (SELECT campaign_id FROM mine)""",
        # By household, not a join: joined, SQLite read every open follow-up on the server.
        "follow_up": """SELECT f.id, f.version FROM follow_ups f
                        WHERE f.status = 'open' AND (f.campaign_id, f.household_id)
                              IN (SELECT campaign_id, household_id FROM mine)""",
        "outcome": """SELECT e.event_id, e.version FROM events e
                      JOIN mine m ON m.campaign_id = e.campaign_id
                                 AND m.household_id = e.household_id
                      WHERE e.kind = 'outcome_recorded'
                        AND (e.quarantined = 0 OR e.quarantine_status = 'accepted')
                        AND (m.daily = 0 OR e.received_at >= :recent)""",
    }
    mine = """WITH mine AS (SELECT ch.campaign_id, ch.household_id, ch.version,
                                   c.kind = 'daily_attendance' AS daily
                            FROM campaign_households ch JOIN campaigns c ON c.id = ch.campaign_id
                            WHERE ch.caller_id = :caller AND ch.open = 1) """
    recent = iso(utcnow() - timedelta(days=DAILY_OUTCOMES_KEPT_DAYS))
    for entity, query in queries.items():
        for entity_id, version in db.execute(
            mine + query, {"caller": caller_id, "recent": recent}
        ).fetchall():
            visible[(entity, entity_id)] = int(version)
    for entity_id, version in db.execute(
        announcements.VISIBLE_QUERY, {"caller": caller_id}
    ).fetchall():
        visible[("announcement", entity_id)] = int(version)
    return visible


def pull(db: sqlite_utils.Database, identity: DeviceIdentity, request: PullRequest) -> PullResponse:
    """One page of changes for the device; call inside one transaction.

    The device's holdings move forward only when it pulls again with the cursor of the
    page it applied. A device that lost an answer pulls with its previous cursor and gets
    the same changes again; any other cursor (none, or one the server never issued or
    has forgotten after a restore) starts over with a reset.
    """
    _own_device(identity, request.device_id)
    reset = _acknowledge(db, identity.device_id, request.cursor)
    held: dict[Key, int] = {
        (entity, entity_id): version
        for entity, entity_id, version in db.execute(
            "SELECT entity, entity_id, version FROM device_holdings WHERE device_id = ?",
            [identity.device_id],
        ).fetchall()
    }
    visible = visible_versions(db, identity.caller_id)
    removes = sorted(
        (key for key in held if key not in visible),
        key=lambda key: -ENTITY_ORDER.index(key[0]),
    )
    puts = sorted(
        (key for key, version in visible.items() if held.get(key) != version),
        key=lambda key: (ENTITY_ORDER.index(key[0]), visible[key]),
    )
    pending = [("remove", key) for key in removes] + [("put", key) for key in puts]
    page = pending[: request.limit]
    cursor = secrets.token_urlsafe(16)
    delta = [[op, *key, visible.get(key)] for op, key in page]
    db.execute(
        """INSERT INTO pull_pages (device_id, cursor, delta) VALUES (?, ?, ?)
           ON CONFLICT (device_id)
           DO UPDATE SET cursor = excluded.cursor, delta = excluded.delta""",
        [identity.device_id, cursor, json.dumps(delta)],
    )
    now = utcnow()
    db.execute(
        "UPDATE devices SET last_seen_at = ?, last_sync_at = ? WHERE id = ?",
        [iso(now), iso(now), identity.device_id],
    )
    return PullResponse(
        cursor=cursor,
        reset=reset,
        changes=list(_changes(db, page)),
        has_more=len(pending) > len(page),
        server_time=now,
    )


def _acknowledge(db: sqlite_utils.Database, device_id: str, cursor: str | None) -> bool:
    """Settle the device's last page from the cursor it sends; True when it must reset."""
    acked = db.execute("SELECT pull_cursor FROM devices WHERE id = ?", [device_id]).fetchone()[0]
    sent = db.execute(
        "SELECT cursor, delta FROM pull_pages WHERE device_id = ?", [device_id]
    ).fetchone()
    db.execute("DELETE FROM pull_pages WHERE device_id = ?", [device_id])
    if cursor is not None and sent is not None and cursor == sent[0]:
        delta = json.loads(sent[1])
        db.conn.executemany(
            "DELETE FROM device_holdings WHERE device_id = ? AND entity = ? AND entity_id = ?",
            [
                (device_id, entity, entity_id)
                for op, entity, entity_id, _ in delta
                if op == "remove"
            ],
        )
        db.conn.executemany(
            """INSERT INTO device_holdings (device_id, entity, entity_id, version)
               VALUES (?, ?, ?, ?) ON CONFLICT (device_id, entity, entity_id)
               DO UPDATE SET version = excluded.version""",
            [
                (device_id, entity, entity_id, v)
                for op, entity, entity_id, v in delta
                if op == "put"
            ],
        )
        db.execute("UPDATE devices SET pull_cursor = ? WHERE id = ?", [cursor, device_id])
        return False
    if cursor is not None and cursor == acked:
        return False
    db.execute("DELETE FROM device_holdings WHERE device_id = ?", [device_id])
    db.execute("UPDATE devices SET pull_cursor = NULL WHERE id = ?", [device_id])
    return True


def _chunks(items: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _load(db: sqlite_utils.Database, entity: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The put data of each entity id, as the model's JSON dict."""
    loaded: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        if entity == "assignment":
            pairs = [entity_id.split(":", 1) for entity_id in chunk]
            for campaign_id, household_id in pairs:
                rows = list(
                    db.query(
                        """SELECT campaign_id, household_id, caller_id, assigned_at
                           FROM campaign_households WHERE campaign_id = ? AND household_id = ?""",
                        [campaign_id, household_id],
                    )
                )
                if rows:
                    loaded[f"{campaign_id}:{household_id}"] = Assignment(**rows[0]).model_dump(
                        mode="json"
                    )
            continue
        table, column, convert = _ENTITY_SOURCES[entity]
        for row in db.query(f"SELECT * FROM {table} WHERE {column} IN ({marks})", chunk):
            loaded[row[column]] = convert(row).model_dump(mode="json")
    return loaded


_ENTITY_SOURCES: dict[str, tuple[str, str, Any]] = {
    "campaign": ("campaigns", "id", campaign_from_row),
    "script": ("scripts", "id", script_from_row),
    "household": ("households", "id", household_from_row),
    "follow_up": ("follow_ups", "id", follow_up_from_row),
    "outcome": ("events", "event_id", outcome_from_row),
    "announcement": ("announcements", "id", announcements.announcement_from_row),
}


def _changes(db: sqlite_utils.Database, page: list[tuple[str, Key]]) -> Iterable[Change]:
    wanted: dict[str, list[str]] = {}
    for op, (entity, entity_id) in page:
        if op == "put":
            wanted.setdefault(entity, []).append(entity_id)
    data = {entity: _load(db, entity, ids) for entity, ids in wanted.items()}
    for op, (entity, entity_id) in page:
        if op == "remove":
            yield Change(op="remove", entity=entity, id=entity_id)
        else:
            yield Change(
                op="put",
                entity=entity,
                id=entity_id,
                data=data[entity][entity_id],
            )
