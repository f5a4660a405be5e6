"""The dashboard's summary tables (``progress_*``, migration 2): keeping them, and what
their readers share.

An outcome counts when it was stored unquarantined or a supervisor accepted it, and no
counted outcome corrects it. Days are told by when the server received an outcome, in
the campaign's time zone; device clocks are never used.

Scanning a million events per dashboard query is too slow, so the figures come from the
summary tables, a projection refreshed on each read from the rows whose ``version`` moved
since the last refresh — every write that matters already bumps it. Per household the
summary keeps a bitmask of the disposition codes seen, so a campaign's catalogue can
change without a rebuild; households are then counted by (dimension, key, codes), and the
reports (progress.py, caller_activity.py) read those small groups.
bench/bench_dashboard.py measures it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlite_utils

from app.core.errors import PhonebankError
from app.core.models import Campaign

from .roles import EVERY_SCHOOL, Scope

COUNTED_OUTCOME = "(e.quarantined = 0 OR e.quarantine_status = 'accepted')"
"""An outcome counts unless it sits in quarantine (open or dismissed); alias ``e``."""

MAX_BIT = 62  # codes past the 63rd in one campaign share the last bit (never in practice)

# Rows of events (any campaign) that a counted outcome corrects. The partial index
# progress_events_corrections holds only the few events with a ``corrects``.
CORRECTED = f"""
corrected(rid) AS (
    SELECT t.rowid FROM events e
    JOIN events t ON t.event_id = json_extract(e.payload, '$.corrects')
    WHERE json_extract(e.payload, '$.corrects') IS NOT NULL
      AND e.kind = 'outcome_recorded' AND {COUNTED_OUTCOME}
)"""

# Where a refresh reads: only the households a delta touched, or (first build) all of them.
_AFFECTED_EVENTS = """temp.progress_affected a
    CROSS JOIN events e ON e.campaign_id = a.campaign_id AND e.kind = 'outcome_recorded'
                       AND e.household_id = a.household_id"""
_AFFECTED_HOUSEHOLDS = (
    "temp.progress_affected a CROSS JOIN progress_households p USING (campaign_id, household_id)"
)
_AFFECTED_CALLERS = (
    "temp.progress_affected a "
    "CROSS JOIN progress_caller_households c USING (campaign_id, household_id)"
)


def _counted_outcomes(events: str) -> str:
    """FROM/WHERE of the outcomes that count among ``events`` (alias e), with their bit."""
    return f"""FROM {events}
    JOIN progress_codes pc ON pc.campaign_id = e.campaign_id AND pc.code = e.disposition
    WHERE e.kind = 'outcome_recorded' AND {COUNTED_OUTCOME} AND e.rowid NOT IN corrected"""


def group_rows(households: str, callers: str) -> str:
    """Group counts of the households in ``households`` (alias p) and ``callers`` (c)."""
    counts = ":sign * count(*), :sign * sum(calls)"
    return f"""
    SELECT campaign_id, 'all', '', open, do_not_call, codes, {counts}
    FROM (SELECT p.* FROM {households})
    GROUP BY campaign_id, open, do_not_call, codes
    UNION ALL
    SELECT campaign_id, 'language', language, open, do_not_call, codes, {counts}
    FROM (SELECT p.* FROM {households})
    GROUP BY campaign_id, language, open, do_not_call, codes
    UNION ALL
    SELECT campaign_id, 'school', school, open, do_not_call, codes, {counts}
    FROM (SELECT p.* FROM {households})
    GROUP BY campaign_id, school, open, do_not_call, codes
    UNION ALL
    SELECT campaign_id, 'tag', tag, open, do_not_call, codes, {counts}
    FROM (
        SELECT DISTINCT p.campaign_id, p.household_id, CAST(t.value AS TEXT) AS tag, p.open,
               p.do_not_call, p.codes, p.calls
        FROM {households}
        JOIN json_each(CASE WHEN json_valid(p.tags) THEN p.tags ELSE '[]' END) t
    )
    GROUP BY campaign_id, tag, open, do_not_call, codes
    UNION ALL
    SELECT campaign_id, 'caller', caller_id, 0, 0, codes, {counts}
    FROM (SELECT c.* FROM {callers})
    GROUP BY campaign_id, caller_id, codes"""


def refresh_progress(db: sqlite_utils.Database) -> int:
    """Bring the summary up to date with every change since the last refresh.

    Returns how many households were recomputed. Cheap when nothing changed; the first
    call on a large database builds the whole summary (seconds at a million events).
    Relies on two rules every writer keeps: a changed row gets a new ``version``, and an
    event changes only by leaving quarantine (``quarantine.accept`` bumps its version).
    """
    with db.atomic():
        watermark = db.execute("SELECT version FROM progress_state WHERE id = 1").fetchone()[0]
        current = db.execute("SELECT value FROM version_counter WHERE id = 1").fetchone()[0]
        if current == watermark:
            return 0
        _assign_code_bits(db, watermark)
        _add_hours(db, watermark)
        if watermark == 0:
            affected = _build_households(db)
        else:
            affected = _collect_affected(db, watermark)
            if affected:
                _apply_groups(db, _AFFECTED_HOUSEHOLDS, _AFFECTED_CALLERS, sign=-1)
                _recompute_households(db)
                _apply_groups(db, _AFFECTED_HOUSEHOLDS, _AFFECTED_CALLERS, sign=1)
                db.execute("DELETE FROM progress_groups WHERE households = 0 AND calls = 0")
        db.execute("UPDATE progress_state SET version = ? WHERE id = 1", [current])
        return affected


def rebuild_progress(db: sqlite_utils.Database) -> int:
    """Throw the summary away and build it again from the source tables."""
    with db.atomic():
        for table in (
            "progress_codes",
            "progress_households",
            "progress_caller_households",
            "progress_groups",
            "progress_hours",
            "progress_caller_hours",
        ):
            db.execute(f"DELETE FROM {table}")
        db.execute("UPDATE progress_state SET version = 0 WHERE id = 1")
        return refresh_progress(db)


def _by_version(watermark: int, index: str) -> str:
    """Read a delta through its version index: the planner cannot know how few rows pass
    ``version > :w`` and would rather scan a million events."""
    return f"INDEXED BY {index}" if watermark else ""


def _since(watermark: int) -> str:
    """``INDEXED BY … WHERE e.version > :w AND``; on the first build every row passes, and
    a plain ``WHERE`` lets a covering index be scanned instead of the events."""
    if not watermark:
        return "WHERE"
    return "INDEXED BY progress_events_version WHERE e.version > :w AND"


def _assign_code_bits(db: sqlite_utils.Database, watermark: int) -> None:
    known: dict[str, dict[str, int]] = defaultdict(dict)
    for campaign_id, code, bit in db.execute(
        "SELECT campaign_id, code, bit FROM progress_codes"
    ).fetchall():
        known[campaign_id][code] = bit
    fresh = db.execute(
        f"""SELECT DISTINCT campaign_id, disposition FROM events e {_since(watermark)}
            e.kind = 'outcome_recorded' AND e.disposition IS NOT NULL""",
        {"w": watermark},
    ).fetchall()
    for campaign_id, code in sorted(fresh):
        codes = known[campaign_id]
        if code not in codes:
            codes[code] = min(len(codes), MAX_BIT)
            db.execute(
                "INSERT INTO progress_codes VALUES (?, ?, ?)", [campaign_id, code, codes[code]]
            )


def _add_hours(db: sqlite_utils.Database, watermark: int) -> None:
    """Add the outcomes that started to count since ``watermark`` to the hourly tables.

    An event reaches here at most once in a counted state (stored, or accepted later), so
    adding is enough; corrections are taken off when the tables are read.
    """
    events = f"events e {_since(watermark)}"
    where = f"e.kind = 'outcome_recorded' AND {COUNTED_OUTCOME}"
    db.execute(
        f"""INSERT INTO progress_hours (campaign_id, hour, disposition, calls)
            SELECT * FROM (
                SELECT e.campaign_id, substr(e.received_at, 1, 13), e.disposition, count(*)
                FROM {events} {where} AND e.disposition IS NOT NULL
                GROUP BY 1, 2, 3
            ) WHERE true
            ON CONFLICT (campaign_id, hour, disposition)
            DO UPDATE SET calls = calls + excluded.calls""",
        {"w": watermark},
    )
    db.execute(
        f"""INSERT INTO progress_caller_hours (campaign_id, caller_id, hour, calls)
            SELECT * FROM (
                SELECT e.campaign_id, e.caller_id, substr(e.received_at, 1, 13), count(*)
                FROM {events} {where}
                GROUP BY 1, 2, 3
            ) WHERE true
            ON CONFLICT (campaign_id, caller_id, hour)
            DO UPDATE SET calls = calls + excluded.calls""",
        {"w": watermark},
    )


def _collect_affected(db: sqlite_utils.Database, watermark: int) -> int:
    """Fill temp.progress_affected with every (campaign, household) whose figures may move."""
    db.execute(
        """CREATE TEMP TABLE IF NOT EXISTS progress_affected (
               campaign_id TEXT NOT NULL, household_id TEXT NOT NULL,
               PRIMARY KEY (campaign_id, household_id)
           ) WITHOUT ROWID"""
    )
    db.execute("DELETE FROM temp.progress_affected")
    events = _by_version(watermark, "progress_events_version")
    members = _by_version(watermark, "progress_campaign_households_version")
    households = _by_version(watermark, "progress_households_version")
    for query in (
        f"""SELECT campaign_id, household_id FROM events {events}
            WHERE version > :w AND kind = 'outcome_recorded'""",
        f"SELECT campaign_id, household_id FROM campaign_households {members} WHERE version > :w",
        f"""SELECT ch.campaign_id, ch.household_id FROM households h {households}
            JOIN campaign_households ch ON ch.household_id = h.id WHERE h.version > :w""",
        # A correction changes the corrected event's household, wherever that is.
        """SELECT t.campaign_id, t.household_id FROM events e
           JOIN events t ON t.event_id = json_extract(e.payload, '$.corrects')
           WHERE json_extract(e.payload, '$.corrects') IS NOT NULL AND e.version > :w""",
    ):
        db.execute(f"INSERT OR IGNORE INTO temp.progress_affected {query}", {"w": watermark})
    # Without statistics the planner takes the table for huge and answers each join with
    # a Bloom filter built by scanning every event; with them it does a few index seeks.
    db.execute("ANALYZE temp.progress_affected")
    return int(db.execute("SELECT count(*) FROM temp.progress_affected").fetchone()[0])


def _apply_groups(db: sqlite_utils.Database, households: str, callers: str, *, sign: int) -> None:
    """Add (sign=1) or take away (sign=-1) these households' group counts."""
    db.execute(
        f"""INSERT INTO progress_groups
                (campaign_id, dimension, key, open, do_not_call, codes, households, calls)
            SELECT * FROM ({group_rows(households, callers)}
            ) WHERE true
            ON CONFLICT (campaign_id, dimension, key, open, do_not_call, codes)
            DO UPDATE SET households = households + excluded.households,
                          calls = calls + excluded.calls""",
        {"sign": sign},
    )


_HOUSEHOLD_ROW = """INSERT INTO progress_households (campaign_id, household_id, open, caller_id,
        language, school, tags, do_not_call, calls, codes)
    SELECT ch.campaign_id, ch.household_id, ch.open, ch.caller_id, h.language,
           coalesce(h.school, ''), h.tags, h.do_not_call,
           coalesce(o.calls, 0), coalesce(o.codes, 0)"""


def _recompute_households(db: sqlite_utils.Database) -> None:
    """Recount the affected households from their events."""
    for table in ("progress_households", "progress_caller_households"):
        db.execute(
            f"""DELETE FROM {table} WHERE (campaign_id, household_id) IN
                (SELECT campaign_id, household_id FROM temp.progress_affected)"""
        )
    db.execute(
        f"""WITH {CORRECTED},
            outcomes AS (
                SELECT e.campaign_id, e.household_id, count(*) AS calls,
                       sum(DISTINCT 1 << pc.bit) AS codes
                {_counted_outcomes(_AFFECTED_EVENTS)}
                GROUP BY e.campaign_id, e.household_id
            )
            {_HOUSEHOLD_ROW}
            FROM temp.progress_affected a
            CROSS JOIN campaign_households ch
              ON ch.campaign_id = a.campaign_id AND ch.household_id = a.household_id
            JOIN households h ON h.id = ch.household_id
            LEFT JOIN outcomes o
              ON o.campaign_id = a.campaign_id AND o.household_id = a.household_id"""
    )
    _insert_caller_households(
        db, _AFFECTED_EVENTS, "GROUP BY e.campaign_id, e.household_id, e.caller_id"
    )


def _insert_caller_households(
    db: sqlite_utils.Database, events: str, rest: str, params: dict[str, str] | None = None
) -> None:
    """Each (household, caller) pair's calls and outcome codes, counted from ``events``
    (an events table clause) narrowed and grouped by ``rest``."""
    db.execute(
        f"""WITH {CORRECTED}
            INSERT INTO progress_caller_households
                (campaign_id, household_id, caller_id, calls, codes)
            SELECT e.campaign_id, e.household_id, e.caller_id, count(*),
                   sum(DISTINCT 1 << pc.bit)
            {_counted_outcomes(events)} {rest}""",
        params or {},
    )


def _build_households(db: sqlite_utils.Database) -> int:
    """The first build: every household, one campaign at a time.

    Within a campaign progress_events_outcomes lists outcomes by household, so the
    per-household counts stream from the index without sorting a million rows.
    """
    for (campaign_id,) in db.execute("SELECT id FROM campaigns").fetchall():
        events = "events e INDEXED BY progress_events_outcomes"
        in_campaign = "AND e.campaign_id = :campaign"
        db.execute(
            f"""WITH {CORRECTED},
                outcomes AS MATERIALIZED (
                    SELECT e.household_id, count(*) AS calls,
                           sum(DISTINCT 1 << pc.bit) AS codes
                    {_counted_outcomes(events)} {in_campaign}
                    GROUP BY e.household_id
                )
                {_HOUSEHOLD_ROW}
                FROM campaign_households ch
                JOIN households h ON h.id = ch.household_id
                LEFT JOIN outcomes o ON o.household_id = ch.household_id
                WHERE ch.campaign_id = :campaign""",
            {"campaign": campaign_id},
        )
        _insert_caller_households(
            db,
            events,
            f"{in_campaign} GROUP BY e.household_id, e.caller_id",
            {"campaign": campaign_id},
        )
    _apply_groups(db, "progress_households p", "progress_caller_households c", sign=1)
    return int(db.execute("SELECT count(*) FROM progress_households").fetchone()[0])


# --- what the readers share ------------------------------------------------------------------


def corrections(
    db: sqlite_utils.Database, campaign_id: str, scope: Scope = EVERY_SCHOOL
) -> list[tuple[str, str, str]]:
    """(caller, hour, disposition) of each counted outcome a counted outcome corrects, among
    the scope's households."""
    return [
        (row[0], row[1], row[2])
        for row in db.execute(
            f"""WITH {CORRECTED}
                SELECT caller_id, substr(received_at, 1, 13), disposition FROM events
                WHERE rowid IN corrected AND campaign_id = :campaign
                  AND kind = 'outcome_recorded'
                  AND (quarantined = 0 OR quarantine_status = 'accepted')
                  AND {scope.household_clause("household_id")}""",
            {"campaign": campaign_id, **scope.params},
        ).fetchall()
    ]


def scoped_hours(
    db: sqlite_utils.Database, campaign_id: str, scope: Scope
) -> list[tuple[str, str, str, int]]:
    """(caller, hour, disposition, calls) of the counted outcomes of the scope's households,
    read from the events: the hourly tables count whole campaigns, not schools."""
    return [
        (row[0], row[1], row[2], int(row[3]))
        for row in db.execute(
            f"""SELECT e.caller_id, substr(e.received_at, 1, 13), e.disposition, count(*)
                FROM events e JOIN households h ON h.id = e.household_id
                WHERE e.campaign_id = :campaign AND e.kind = 'outcome_recorded'
                  AND {COUNTED_OUTCOME} AND {scope.clause("h.school")}
                GROUP BY 1, 2, 3""",
            {"campaign": campaign_id, **scope.params},
        ).fetchall()
    ]


def campaign_zone(campaign: Campaign, asked: str | None) -> ZoneInfo:
    """The zone asked for (an error if unknown), else the campaign's (UTC if unknown)."""
    try:
        return ZoneInfo(asked or campaign.timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        if asked:
            raise PhonebankError(
                f"Unknown time zone {asked!r}; use e.g. America/Chicago"
            ) from error
        return ZoneInfo("UTC")


def local_date(hour: str, zone: ZoneInfo) -> date:
    """The campaign-local date of a UTC hour bucket such as ``2026-03-02T15``.

    Exact for zones whose offsets are whole hours; a bucket that straddles local midnight
    in a half-hour zone (Asia/Kolkata…) goes to the day holding its middle.
    """
    start = datetime.fromisoformat(hour + ":00:00").replace(tzinfo=UTC)
    return (start + timedelta(minutes=30)).astimezone(zone).date()
