"""Live campaign progress for the supervisor: attempted, reached, completed, and by what.

Every figure is an SQL aggregate over the outcomes that count — stored unquarantined, or
accepted by a supervisor, and not corrected by a later outcome — so a dashboard stays fast
at hundreds of thousands of households (bench/bench_dashboard.py measures it). Days are
told by when the server received an outcome, in the campaign's time zone; device clocks
are never used.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlite_utils

from app.core.dispositions import dispositions_for
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

# Outcomes that count, one row each, with the catalogue's flags. The partial indexes of
# migration 2 cover it: events_outcomes for the scan, events_corrections for the few
# outcomes that correct an earlier one.
_COUNTED = f"""
corrected(rid) AS (
    SELECT t.rowid FROM events e
    JOIN events t ON t.event_id = json_extract(e.payload, '$.corrects')
    WHERE e.campaign_id = :campaign AND e.kind = 'outcome_recorded'
      AND json_extract(e.payload, '$.corrects') IS NOT NULL AND {COUNTED_OUTCOME}
),
counted AS (
    SELECT e.household_id, e.caller_id, e.disposition, e.received_at,
           e.disposition IN (SELECT value FROM json_each(:reached)) AS reached,
           e.disposition IN (SELECT value FROM json_each(:complete)) AS complete,
           e.disposition IN (SELECT value FROM json_each(:bad_number)) AS bad_number
    FROM events e
    WHERE e.campaign_id = :campaign AND e.kind = 'outcome_recorded' AND {COUNTED_OUTCOME}
      AND e.rowid NOT IN corrected
),
per_household AS (
    SELECT household_id, count(*) AS calls, max(reached) AS reached,
           max(complete) AS complete, max(bad_number) AS bad_number
    FROM counted GROUP BY household_id
)
"""


def _params(campaign: Campaign) -> dict[str, Any]:
    catalogue = dispositions_for(campaign)

    def codes(flag: str) -> str:
        return json.dumps([d.code for d in catalogue if getattr(d, flag)])

    return {
        "campaign": campaign.id,
        "reached": codes("reached"),
        "complete": codes("complete"),
        "bad_number": json.dumps([d.code for d in catalogue if d.asks_for == "bad_number"]),
    }


def reached_codes_by_campaign(db: sqlite_utils.Database) -> dict[str, list[str]]:
    """campaign id → the disposition codes that mean a conversation happened there."""
    return {
        campaign.id: [d.code for d in dispositions_for(campaign) if d.reached]
        for campaign in list_campaigns(db)
    }


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _day_bounds(day: date, zone: ZoneInfo) -> tuple[str, str]:
    """The UTC instants, as stored, where ``day`` starts and ends in ``zone``."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return iso(start), iso(end)


# --- time buckets --------------------------------------------------------------------------


def _bucket_length(db: sqlite_utils.Database, campaign_id: str, zone: ZoneInfo) -> int:
    """How many characters of ``received_at`` make a bucket that lies within one local day.

    UTC hours (13 characters) do whenever the zone's offset is whole hours over the
    campaign's span; zones such as Asia/Kolkata or Australia/Adelaide need minutes (16).
    """
    bounds = [
        db.execute(
            f"""SELECT {fn}(received_at) FROM events
                WHERE campaign_id = ? AND kind = 'outcome_recorded'""",
            [campaign_id],
        ).fetchone()[0]
        for fn in ("min", "max")
    ]
    if bounds[0] is None:
        return 13
    first = datetime.fromisoformat(bounds[0])
    last = datetime.fromisoformat(bounds[1])
    moment = first
    while True:
        offset = moment.astimezone(zone).utcoffset() or timedelta(0)
        if offset.total_seconds() % 3600:
            return 16
        if moment >= last:
            return 13
        moment = min(moment + timedelta(days=30), last)


def _local_date(bucket: str, zone: ZoneInfo) -> date:
    start = bucket + (":00" if len(bucket) == 16 else ":00:00")
    return datetime.fromisoformat(start).replace(tzinfo=UTC).astimezone(zone).date()


# --- the report ----------------------------------------------------------------------------


def campaign_progress(
    db: sqlite_utils.Database,
    campaign_id: str,
    *,
    today: date | None = None,
    tz: str | None = None,
) -> ProgressReport:
    """Where the campaign stands: totals and the breakdowns of the supervisor's dashboard.

    ``tz`` defaults to the campaign's time zone and ``today`` to the current date there.
    """
    campaign = get_campaign(db, campaign_id)
    zone = _zone(tz or campaign.timezone)
    now = utcnow()
    today = today or now.astimezone(zone).date()
    params = _params(campaign)
    catalogue = dispositions_for(campaign)
    totals, wrong_number_households = progress_totals(db, params)
    groups = progress_by_language_and_school(db, params)
    speakers = _spoken_languages(db)
    return ProgressReport(
        campaign_id=campaign.id,
        campaign_name=campaign.name,
        timezone=str(zone.key),
        today=today,
        generated_at=now,
        totals=totals,
        by_caller=progress_by_caller(db, params, today, zone),
        by_language=_roll_up(groups, key=lambda row: row["language"]),
        by_tag=progress_by_tag(db, params),
        by_school=_roll_up(groups, key=lambda row: row["school"]),
        by_day=progress_by_day(db, params, zone),
        by_disposition=progress_by_disposition(db, params, catalogue),
        quality=DataQuality(
            wrong_number_households=wrong_number_households,
            wrong_number_rate=_rate(wrong_number_households, totals.attempted),
            households_without_language=sum(
                row["households"]
                for row in groups
                if (row["language"] or "").strip().lower() in ("", "und")
            ),
            households_without_speaker=sum(
                row["open_households"]
                for row in groups
                if _base(row["language"] or "") not in speakers
            ),
            do_not_call=sum(row["do_not_call"] for row in groups),
        ),
    )


def progress_totals(
    db: sqlite_utils.Database, params: dict[str, Any]
) -> tuple[ProgressTotals, int]:
    """The campaign's totals, and how many attempted households had a bad number."""
    row = db.execute(
        f"""WITH {_COUNTED}
            SELECT count(*), coalesce(sum(reached), 0), coalesce(sum(complete), 0),
                   coalesce(sum(calls), 0), coalesce(sum(bad_number), 0)
            FROM per_household""",
        params,
    ).fetchone()
    households, open_households, assigned = db.execute(
        """SELECT count(*), coalesce(sum(open), 0),
                  coalesce(sum(open = 1 AND caller_id IS NOT NULL), 0)
           FROM campaign_households WHERE campaign_id = ?""",
        [params["campaign"]],
    ).fetchone()
    attempted, reached, completed, calls, bad = (int(value) for value in row)
    totals = ProgressTotals(
        households=households,
        open_households=open_households,
        assigned=assigned,
        attempted=attempted,
        reached=reached,
        completed=completed,
        calls=calls,
        contact_rate=_rate(reached, attempted),
        completion_rate=_rate(completed, households),
    )
    return totals, bad


def progress_by_caller(
    db: sqlite_utils.Database, params: dict[str, Any], today: date, zone: ZoneInfo
) -> list[CallerProgress]:
    """Every caller with households or outcomes in the campaign."""
    today_start, today_end = _day_bounds(today, zone)
    called = {
        row[0]: row[1:]
        for row in db.execute(
            f"""WITH {_COUNTED},
                pairs AS (
                    SELECT caller_id, count(*) AS calls,
                           sum(received_at >= :today_start AND received_at < :today_end)
                               AS calls_today,
                           max(reached) AS reached, max(complete) AS complete
                    FROM counted GROUP BY household_id, caller_id
                )
                SELECT caller_id, count(*), sum(reached), sum(complete), sum(calls),
                       sum(calls_today)
                FROM pairs GROUP BY caller_id""",
            {**params, "today_start": today_start, "today_end": today_end},
        ).fetchall()
    }
    assigned = {
        row[0]: row[1]
        for row in db.execute(
            """SELECT caller_id, count(*) FROM campaign_households
               WHERE campaign_id = ? AND open = 1 AND caller_id IS NOT NULL
               GROUP BY caller_id""",
            [params["campaign"]],
        ).fetchall()
    }
    caller_ids = sorted(set(called) | set(assigned))
    rows = db.execute(
        """SELECT c.id, c.name, c.active,
                  (SELECT max(d.last_sync_at) FROM devices d WHERE d.caller_id = c.id)
           FROM callers c WHERE c.id IN (SELECT value FROM json_each(?))""",
        [json.dumps(caller_ids)],
    ).fetchall()
    result = []
    for caller_id, name, active, last_sync_at in rows:
        attempted, reached, completed, calls, calls_today = called.get(caller_id, (0,) * 5)
        result.append(
            CallerProgress(
                caller_id=caller_id,
                name=name,
                active=bool(active),
                assigned=assigned.get(caller_id, 0),
                attempted=attempted,
                reached=reached,
                completed=completed,
                calls=calls,
                calls_today=calls_today,
                last_sync_at=last_sync_at,
            )
        )
    return sorted(result, key=lambda caller: (caller.name.lower(), caller.caller_id))


def progress_by_language_and_school(
    db: sqlite_utils.Database, params: dict[str, Any]
) -> list[dict[str, Any]]:
    """Households grouped by (language, school), small enough to roll up either way."""
    return list(
        db.query(
            f"""WITH {_COUNTED}
                SELECT h.language AS language, h.school AS school,
                       count(*) AS households,
                       coalesce(sum(ch.open), 0) AS open_households,
                       coalesce(sum(h.do_not_call), 0) AS do_not_call,
                       count(p.household_id) AS attempted,
                       coalesce(sum(p.reached), 0) AS reached,
                       coalesce(sum(p.complete), 0) AS completed
                FROM campaign_households ch
                JOIN households h ON h.id = ch.household_id
                LEFT JOIN per_household p ON p.household_id = ch.household_id
                WHERE ch.campaign_id = :campaign
                GROUP BY h.language, h.school""",
            params,
        )
    )


def _roll_up(rows: Iterable[dict[str, Any]], key: Any) -> list[GroupProgress]:
    sums: dict[str | None, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in rows:
        total = sums[key(row)]
        for index, column in enumerate(("households", "attempted", "reached", "completed")):
            total[index] += int(row[column])
    return [
        GroupProgress(
            key=group, households=n[0], attempted=n[1], reached=n[2], completed=n[3]
        )
        for group, n in sorted(sums.items(), key=lambda item: (-item[1][0], item[0] or ""))
    ]


def progress_by_tag(db: sqlite_utils.Database, params: dict[str, Any]) -> list[GroupProgress]:
    """Households by need/tag; a household with two tags counts under both."""
    return [
        GroupProgress(
            key=row[0], households=row[1], attempted=row[2], reached=row[3], completed=row[4]
        )
        for row in db.execute(
            f"""WITH {_COUNTED}
                SELECT tag.value, count(*), count(p.household_id),
                       coalesce(sum(p.reached), 0), coalesce(sum(p.complete), 0)
                FROM campaign_households ch
                JOIN households h ON h.id = ch.household_id
                JOIN json_each(h.tags) AS tag
                LEFT JOIN per_household p ON p.household_id = ch.household_id
                WHERE ch.campaign_id = :campaign AND h.tags != '[]'
                GROUP BY tag.value
                ORDER BY count(*) DESC, tag.value""",
            params,
        ).fetchall()
    ]


def progress_by_day(
    db: sqlite_utils.Database, params: dict[str, Any], zone: ZoneInfo
) -> list[DayProgress]:
    """Calls, conversations and completions per day, by when the server received them."""
    length = _bucket_length(db, params["campaign"], zone)
    days: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for bucket, calls, reached, completed in db.execute(
        f"""WITH {_COUNTED}
            SELECT substr(received_at, 1, {length}), count(*), sum(reached), sum(complete)
            FROM counted GROUP BY 1""",
        params,
    ).fetchall():
        total = days[_local_date(bucket, zone)]
        total[0] += calls
        total[1] += reached
        total[2] += completed
    return [
        DayProgress(day=day, calls=n[0], reached=n[1], completed=n[2])
        for day, n in sorted(days.items())
    ]


def progress_by_disposition(
    db: sqlite_utils.Database, params: dict[str, Any], catalogue: list[Disposition]
) -> list[DispositionCount]:
    """How often each outcome was recorded, in the catalogue's order, unknown codes last."""
    counts = {
        row[0]: (row[1], row[2])
        for row in db.execute(
            f"""WITH {_COUNTED}
                SELECT disposition, count(*), count(DISTINCT household_id)
                FROM counted GROUP BY disposition""",
            params,
        ).fetchall()
    }
    labels = {d.code: d.label for d in catalogue}
    ordered = [d.code for d in catalogue] + sorted(set(counts) - set(labels), key=str)
    return [
        DispositionCount(
            code=code,
            label=labels.get(code, code),
            calls=counts.get(code, (0, 0))[0],
            households=counts.get(code, (0, 0))[1],
        )
        for code in ordered
    ]


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


# --- volunteers ----------------------------------------------------------------------------


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
        if not active
        or ((last_sync_at or "") < cutoff and (last_event_at or "") < cutoff)
    ]


def active_callers_per_week(
    db: sqlite_utils.Database, campaign_id: str, *, tz: str | None = None
) -> list[WeekActivity]:
    """How many callers recorded at least one outcome each week: volunteer retention."""
    campaign = get_campaign(db, campaign_id)
    zone = _zone(tz or campaign.timezone)
    params = _params(campaign)
    length = _bucket_length(db, campaign_id, zone)
    callers: dict[date, set[str]] = defaultdict(set)
    calls: dict[date, int] = defaultdict(int)
    for bucket, caller_id, count in db.execute(
        f"""WITH {_COUNTED}
            SELECT substr(received_at, 1, {length}), caller_id, count(*)
            FROM counted GROUP BY 1, 2""",
        params,
    ).fetchall():
        day = _local_date(bucket, zone)
        week = day - timedelta(days=day.weekday())
        callers[week].add(caller_id)
        calls[week] += count
    return [
        WeekActivity(week=week, active_callers=len(callers[week]), calls=calls[week])
        for week in sorted(callers)
    ]
