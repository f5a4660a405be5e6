"""Live campaign progress for the supervisor: attempted, reached, completed, and by what.

An outcome counts when it was stored unquarantined or a supervisor accepted it, and no
counted outcome corrects it. Days are told by when the server received an outcome, in
the campaign's time zone; device clocks are never used.

Scanning a million events per dashboard query is too slow, so the figures come from the
``progress_*`` summary tables (migration 2), a projection refreshed on each read from the
rows whose ``version`` moved since the last refresh — every write that matters already
bumps it. Per household the summary keeps a bitmask of the disposition codes seen, so a
campaign's catalogue can change without a rebuild; households are then counted by
(dimension, key, codes), and the dashboard's queries read those small groups.
bench/bench_dashboard.py measures it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlite_utils

from app.core.dispositions import dispositions_for
from app.core.errors import PhonebankError
from app.core.models import Campaign, Disposition
from app.core.reports import (
    CallerProgress,
    DataQuality,
    DayProgress,
    DispositionCount,
    GroupProgress,
    ProgressReport,
    ProgressTotals,
    QuietCaller,
    WeekActivity,
)

from .campaigns import get_campaign, list_campaigns
from .clock import iso, utcnow

COUNTED_OUTCOME = "(e.quarantined = 0 OR e.quarantine_status = 'accepted')"
"""An outcome counts unless it sits in quarantine (open or dismissed); alias ``e``."""

MAX_BIT = 62  # codes past the 63rd in one campaign share the last bit (never in practice)

# Rows of events (any campaign) that a counted outcome corrects. The partial index
# progress_events_corrections holds only the few events with a ``corrects``.
_CORRECTED = f"""
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


def _group_rows(households: str, callers: str) -> str:
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


# --- keeping the summary ---------------------------------------------------------------------


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
            SELECT * FROM ({_group_rows(households, callers)}
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
        f"""WITH {_CORRECTED},
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
    db.execute(
        f"""WITH {_CORRECTED}
            INSERT INTO progress_caller_households
                (campaign_id, household_id, caller_id, calls, codes)
            SELECT e.campaign_id, e.household_id, e.caller_id, count(*),
                   sum(DISTINCT 1 << pc.bit)
            {_counted_outcomes(_AFFECTED_EVENTS)}
            GROUP BY e.campaign_id, e.household_id, e.caller_id"""
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
            f"""WITH {_CORRECTED},
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
        db.execute(
            f"""WITH {_CORRECTED}
                INSERT INTO progress_caller_households
                    (campaign_id, household_id, caller_id, calls, codes)
                SELECT e.campaign_id, e.household_id, e.caller_id, count(*),
                       sum(DISTINCT 1 << pc.bit)
                {_counted_outcomes(events)} {in_campaign}
                GROUP BY e.household_id, e.caller_id""",
            {"campaign": campaign_id},
        )
    _apply_groups(db, "progress_households p", "progress_caller_households c", sign=1)
    return int(db.execute("SELECT count(*) FROM progress_households").fetchone()[0])


# --- reading it ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """A campaign's dispositions, as bitmasks over the summary's code bits."""

    campaign: Campaign
    dispositions: list[Disposition]
    bits: dict[str, int]
    reached: int
    complete: int
    bad_number: int


def catalogue(db: sqlite_utils.Database, campaign: Campaign) -> Catalogue:
    dispositions = dispositions_for(campaign)
    bits = {
        code: bit
        for code, bit in db.execute(
            "SELECT code, bit FROM progress_codes WHERE campaign_id = ?", [campaign.id]
        ).fetchall()
    }

    def mask(wanted: set[str]) -> int:
        return sum({1 << bit for code, bit in bits.items() if code in wanted})

    return Catalogue(
        campaign=campaign,
        dispositions=dispositions,
        bits=bits,
        reached=mask({d.code for d in dispositions if d.reached}),
        complete=mask({d.code for d in dispositions if d.complete}),
        bad_number=mask({d.code for d in dispositions if d.marks_number_bad}),
    )


def _corrections(db: sqlite_utils.Database, campaign_id: str) -> list[tuple[str, str, str]]:
    """(caller, hour, disposition) of each counted outcome a counted outcome corrects."""
    return [
        (row[0], row[1], row[2])
        for row in db.execute(
            f"""WITH {_CORRECTED}
                SELECT caller_id, substr(received_at, 1, 13), disposition FROM events
                WHERE rowid IN corrected AND campaign_id = ? AND kind = 'outcome_recorded'
                  AND (quarantined = 0 OR quarantine_status = 'accepted')""",
            [campaign_id],
        ).fetchall()
    ]


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _zone(campaign: Campaign, asked: str | None) -> ZoneInfo:
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


@dataclass(frozen=True)
class GroupCounts:
    households: int = 0
    open_households: int = 0
    do_not_call: int = 0
    attempted: int = 0
    reached: int = 0
    completed: int = 0
    bad_number: int = 0
    calls: int = 0

    def progress(self, key: str | None) -> GroupProgress:
        return GroupProgress(
            key=key,
            households=self.households,
            attempted=self.attempted,
            reached=self.reached,
            completed=self.completed,
        )


def household_groups(
    db: sqlite_utils.Database, cat: Catalogue
) -> dict[str, dict[str, GroupCounts]]:
    """dimension ('all', 'language', 'school', 'tag', 'caller') → key → counts."""
    groups: dict[str, dict[str, GroupCounts]] = defaultdict(dict)
    for dimension, key, *counts in db.execute(
        """SELECT dimension, key, sum(households), sum(households * open),
                  sum(households * do_not_call), sum(households * (codes != 0)),
                  sum(households * (codes & :reached != 0)),
                  sum(households * (codes & :complete != 0)),
                  sum(households * (codes & :bad != 0)), sum(calls)
           FROM progress_groups WHERE campaign_id = :campaign
           GROUP BY dimension, key""",
        {
            "campaign": cat.campaign.id,
            "reached": cat.reached,
            "complete": cat.complete,
            "bad": cat.bad_number,
        },
    ).fetchall():
        groups[dimension][key] = GroupCounts(*(int(count) for count in counts))
    return groups


def _listed(groups: dict[str, GroupCounts]) -> list[GroupProgress]:
    """Biggest group first; the empty key (no school, no language) reads as None."""
    ordered = sorted(groups.items(), key=lambda item: (-item[1].households, item[0]))
    return [counts.progress(key or None) for key, counts in ordered]


def progress_totals(
    db: sqlite_utils.Database, cat: Catalogue, groups: dict[str, dict[str, GroupCounts]]
) -> ProgressTotals:
    everything = groups.get("all", {}).get("", GroupCounts())
    assigned = db.execute(
        """SELECT count(*) FROM campaign_households
           WHERE campaign_id = ? AND caller_id IS NOT NULL AND open = 1""",
        [cat.campaign.id],
    ).fetchone()[0]
    return ProgressTotals(
        households=everything.households,
        open_households=everything.open_households,
        assigned=assigned,
        attempted=everything.attempted,
        reached=everything.reached,
        completed=everything.completed,
        calls=everything.calls,
        contact_rate=_rate(everything.reached, everything.attempted),
        completion_rate=_rate(everything.completed, everything.households),
    )


def progress_by_caller(
    db: sqlite_utils.Database,
    cat: Catalogue,
    groups: dict[str, dict[str, GroupCounts]],
    today: date,
    zone: ZoneInfo,
) -> list[CallerProgress]:
    """Every caller with open households or outcomes in the campaign."""
    called = groups.get("caller", {})
    assigned = dict(
        db.execute(
            """SELECT caller_id, count(*) FROM campaign_households
               WHERE campaign_id = ? AND caller_id IS NOT NULL AND open = 1
               GROUP BY caller_id""",
            [cat.campaign.id],
        ).fetchall()
    )
    calls_today: dict[str, int] = defaultdict(int)
    # A day is at most 25 hours; one hour either side covers the half-hour zones.
    start = datetime.combine(today, datetime.min.time(), tzinfo=zone) - timedelta(hours=1)
    first, last = iso(start)[:13], iso(start + timedelta(hours=27))[:13]
    for caller_id, hour, calls in db.execute(
        """SELECT caller_id, hour, calls FROM progress_caller_hours
           WHERE campaign_id = ? AND hour >= ? AND hour <= ?""",
        [cat.campaign.id, first, last],
    ).fetchall():
        if local_date(hour, zone) == today:
            calls_today[caller_id] += calls
    for caller_id, hour, _ in _corrections(db, cat.campaign.id):
        if first <= hour <= last and local_date(hour, zone) == today:
            calls_today[caller_id] -= 1
    caller_ids = sorted(set(called) | set(assigned))
    result = []
    for caller_id, name, active, last_sync_at in db.execute(
        """SELECT c.id, c.name, c.active,
                  (SELECT max(d.last_sync_at) FROM devices d WHERE d.caller_id = c.id)
           FROM callers c WHERE c.id IN (SELECT value FROM json_each(?))""",
        [json.dumps(caller_ids)],
    ).fetchall():
        counts = called.get(caller_id, GroupCounts())
        result.append(
            CallerProgress(
                caller_id=caller_id,
                name=name,
                active=bool(active),
                assigned=assigned.get(caller_id, 0),
                attempted=counts.households,
                reached=counts.reached,
                completed=counts.completed,
                calls=counts.calls,
                calls_today=calls_today.get(caller_id, 0),
                last_sync_at=last_sync_at,
            )
        )
    return sorted(result, key=lambda caller: (caller.name.lower(), caller.caller_id))


def progress_by_day(db: sqlite_utils.Database, cat: Catalogue, zone: ZoneInfo) -> list[DayProgress]:
    """Calls, conversations and completions per day, by when the server received them."""
    reached = {d.code for d in cat.dispositions if d.reached}
    complete = {d.code for d in cat.dispositions if d.complete}
    days: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    dates: dict[str, date] = {}

    def add(hour: str, code: str, calls: int) -> None:
        day = dates.get(hour) or dates.setdefault(hour, local_date(hour, zone))
        total = days[day]
        total[0] += calls
        total[1] += calls if code in reached else 0
        total[2] += calls if code in complete else 0

    for hour, code, calls in db.execute(
        "SELECT hour, disposition, calls FROM progress_hours WHERE campaign_id = ?",
        [cat.campaign.id],
    ).fetchall():
        add(hour, code, calls)
    for _, hour, code in _corrections(db, cat.campaign.id):
        add(hour, code, -1)
    return [
        DayProgress(day=day, calls=n[0], reached=n[1], completed=n[2])
        for day, n in sorted(days.items())
        if any(n)
    ]


def progress_by_disposition(db: sqlite_utils.Database, cat: Catalogue) -> list[DispositionCount]:
    """How often each outcome was recorded, in the catalogue's order, unknown codes last."""
    calls: dict[str, int] = defaultdict(int)
    for code, count in db.execute(
        """SELECT disposition, sum(calls) FROM progress_hours WHERE campaign_id = ?
           GROUP BY disposition""",
        [cat.campaign.id],
    ).fetchall():
        calls[code] += count
    for _, _, code in _corrections(db, cat.campaign.id):
        calls[code] -= 1
    by_mask = db.execute(
        """SELECT codes, sum(households) FROM progress_groups
           WHERE campaign_id = ? AND dimension = 'all' AND codes != 0 GROUP BY codes""",
        [cat.campaign.id],
    ).fetchall()
    labels = {d.code: d.label for d in cat.dispositions}
    unknown = sorted((set(calls) | set(cat.bits)) - set(labels))
    result = []
    for code in [d.code for d in cat.dispositions] + unknown:
        bit = cat.bits.get(code)
        households = (
            sum(count for mask, count in by_mask if mask >> bit & 1) if bit is not None else 0
        )
        result.append(
            DispositionCount(
                code=code, label=labels.get(code, code), calls=calls[code], households=households
            )
        )
    return result


def _base(language: str) -> str:
    return language.strip().lower().replace("_", "-").split("-")[0]


def _spoken_languages(db: sqlite_utils.Database) -> set[str]:
    """Base languages spoken by at least one active caller."""
    return {
        _base(row[0])
        for row in db.execute(
            """SELECT DISTINCT lang.value FROM callers c, json_each(c.languages) AS lang
               WHERE c.active = 1"""
        ).fetchall()
    }


def campaign_progress(
    db: sqlite_utils.Database,
    campaign_id: str,
    *,
    today: date | None = None,
    tz: str | None = None,
) -> ProgressReport:
    """Where the campaign stands: totals and the breakdowns of the supervisor's dashboard.

    Refreshes the summary first, so the figures include everything stored until now.
    ``tz`` defaults to the campaign's time zone and ``today`` to the current date there.
    """
    campaign = get_campaign(db, campaign_id)
    zone = _zone(campaign, tz)
    refresh_progress(db)
    now = utcnow()
    today = today or now.astimezone(zone).date()
    cat = catalogue(db, campaign)
    groups = household_groups(db, cat)
    totals = progress_totals(db, cat, groups)
    everything = groups.get("all", {}).get("", GroupCounts())
    languages = groups.get("language", {})
    speakers = _spoken_languages(db)
    return ProgressReport(
        campaign_id=campaign.id,
        campaign_name=campaign.name,
        timezone=str(zone.key),
        today=today,
        generated_at=now,
        totals=totals,
        by_caller=progress_by_caller(db, cat, groups, today, zone),
        by_language=_listed(languages),
        by_tag=_listed(groups.get("tag", {})),
        by_school=_listed(groups.get("school", {})),
        by_day=progress_by_day(db, cat, zone),
        by_disposition=progress_by_disposition(db, cat),
        quality=DataQuality(
            wrong_number_households=everything.bad_number,
            wrong_number_rate=_rate(everything.bad_number, everything.attempted),
            households_without_language=sum(
                counts.households
                for language, counts in languages.items()
                if language.strip().lower() in ("", "und")
            ),
            households_without_speaker=sum(
                counts.open_households
                for language, counts in languages.items()
                if _base(language) not in speakers
            ),
            do_not_call=everything.do_not_call,
        ),
    )


# --- volunteers ------------------------------------------------------------------------------


def reached_codes_by_campaign(db: sqlite_utils.Database) -> dict[str, list[str]]:
    """campaign id → the disposition codes that mean a conversation happened there."""
    return {
        campaign.id: [d.code for d in dispositions_for(campaign) if d.reached]
        for campaign in list_campaigns(db)
    }


def quiet_callers(
    db: sqlite_utils.Database, campaign_id: str, days: int, *, now: datetime | None = None
) -> list[QuietCaller]:
    """Callers holding open households in the campaign who have gone quiet.

    Quiet: no device sync and no pushed event for ``days`` days, or made inactive.
    """
    cutoff = iso((now or utcnow()) - timedelta(days=days))
    rows = db.execute(
        """WITH holders AS (
               SELECT caller_id, count(*) AS assigned FROM campaign_households
               WHERE campaign_id = ? AND open = 1 AND caller_id IS NOT NULL
               GROUP BY caller_id
           )
           SELECT c.id, c.name, c.active, holders.assigned,
                  (SELECT max(d.last_sync_at) FROM devices d WHERE d.caller_id = c.id),
                  (SELECT max(e.received_at) FROM events e WHERE e.caller_id = c.id)
           FROM holders JOIN callers c ON c.id = holders.caller_id
           ORDER BY c.name, c.id""",
        [campaign_id],
    ).fetchall()
    return [
        QuietCaller(
            caller_id=caller_id,
            name=name,
            active=bool(active),
            assigned=assigned,
            last_sync_at=last_sync_at,
            last_event_at=last_event_at,
        )
        for caller_id, name, active, assigned, last_sync_at, last_event_at in rows
        if not active or ((last_sync_at or "") < cutoff and (last_event_at or "") < cutoff)
    ]


def active_callers_per_week(
    db: sqlite_utils.Database, campaign_id: str, *, tz: str | None = None
) -> list[WeekActivity]:
    """How many callers recorded at least one outcome each week: volunteer retention."""
    campaign = get_campaign(db, campaign_id)
    zone = _zone(campaign, tz)
    refresh_progress(db)
    per_caller: dict[tuple[date, str], int] = defaultdict(int)
    weeks: dict[str, date] = {}

    def week_of(hour: str) -> date:
        if hour not in weeks:
            day = local_date(hour, zone)
            weeks[hour] = day - timedelta(days=day.weekday())
        return weeks[hour]

    for caller_id, hour, calls in db.execute(
        "SELECT caller_id, hour, calls FROM progress_caller_hours WHERE campaign_id = ?",
        [campaign_id],
    ).fetchall():
        per_caller[(week_of(hour), caller_id)] += calls
    for caller_id, hour, _ in _corrections(db, campaign_id):
        per_caller[(week_of(hour), caller_id)] -= 1
    callers: dict[date, int] = defaultdict(int)
    calls_in: dict[date, int] = defaultdict(int)
    for (week, _), calls in per_caller.items():
        if calls > 0:
            callers[week] += 1
            calls_in[week] += calls
    return [
        WeekActivity(week=week, active_callers=callers[week], calls=calls_in[week])
        for week in sorted(callers)
    ]
