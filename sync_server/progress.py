"""Live campaign progress for the supervisor: attempted, reached, completed, and by what.

Read from the summary tables that progress_tables.py keeps; see there for what counts.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

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
)

from .campaigns import get_campaign
from .clock import iso, utcnow
from .languages import spoken_language, spoken_languages
from .progress_tables import (
    campaign_zone,
    corrections,
    group_rows,
    local_date,
    refresh_progress,
    scoped_hours,
)
from .roles import EVERY_SCHOOL, Scope


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


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


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


def _scoped_groups(scope: Scope) -> str:
    """progress_groups' rows for the scope's households only, counted from the per-household
    summary (the groups table counts whole campaigns)."""
    households = f"""(SELECT * FROM progress_households
        WHERE campaign_id = :campaign AND {scope.clause("school")}) p"""
    callers = f"""(SELECT * FROM progress_caller_households
        WHERE campaign_id = :campaign AND household_id IN (
            SELECT household_id FROM progress_households
            WHERE campaign_id = :campaign AND {scope.clause("school")})) c"""
    return f"""(WITH g(campaign_id, dimension, key, open, do_not_call, codes, households, calls)
        AS ({group_rows(households, callers)}) SELECT * FROM g)"""


def household_groups(
    db: sqlite_utils.Database, cat: Catalogue, scope: Scope = EVERY_SCHOOL
) -> dict[str, dict[str, GroupCounts]]:
    """dimension ('all', 'language', 'school', 'tag', 'caller') → key → counts."""
    groups: dict[str, dict[str, GroupCounts]] = defaultdict(dict)
    source = "progress_groups" if scope.everything else _scoped_groups(scope)
    for dimension, key, *counts in db.execute(
        f"""SELECT dimension, key, sum(households), sum(households * open),
                  sum(households * do_not_call), sum(households * (codes != 0)),
                  sum(households * (codes & :reached != 0)),
                  sum(households * (codes & :complete != 0)),
                  sum(households * (codes & :bad != 0)), sum(calls)
           FROM {source} WHERE campaign_id = :campaign
           GROUP BY dimension, key""",
        {
            "campaign": cat.campaign.id,
            "reached": cat.reached,
            "complete": cat.complete,
            "bad": cat.bad_number,
            "sign": 1,
            **scope.params,
        },
    ).fetchall():
        groups[dimension][key] = GroupCounts(*(int(count) for count in counts))
    return groups


def _listed(groups: dict[str, GroupCounts]) -> list[GroupProgress]:
    """Biggest group first; the empty key (no school, no language) reads as None."""
    ordered = sorted(groups.items(), key=lambda item: (-item[1].households, item[0]))
    return [counts.progress(key or None) for key, counts in ordered]


def progress_totals(
    db: sqlite_utils.Database,
    cat: Catalogue,
    groups: dict[str, dict[str, GroupCounts]],
    scope: Scope = EVERY_SCHOOL,
) -> ProgressTotals:
    everything = groups.get("all", {}).get("", GroupCounts())
    assigned = db.execute(
        f"""SELECT count(*) FROM campaign_households
           WHERE campaign_id = :campaign AND caller_id IS NOT NULL AND open = 1
             AND {scope.household_clause("household_id")}""",
        {"campaign": cat.campaign.id, **scope.params},
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
    scope: Scope = EVERY_SCHOOL,
) -> list[CallerProgress]:
    """Every caller with open households or outcomes in the campaign (the scope's)."""
    called = groups.get("caller", {})
    assigned = dict(
        db.execute(
            f"""SELECT caller_id, count(*) FROM campaign_households
               WHERE campaign_id = :campaign AND caller_id IS NOT NULL AND open = 1
                 AND {scope.household_clause("household_id")}
               GROUP BY caller_id""",
            {"campaign": cat.campaign.id, **scope.params},
        ).fetchall()
    )
    calls_today: dict[str, int] = defaultdict(int)
    # A day is at most 25 hours; one hour either side covers the half-hour zones.
    start = datetime.combine(today, datetime.min.time(), tzinfo=zone) - timedelta(hours=1)
    first, last = iso(start)[:13], iso(start + timedelta(hours=27))[:13]
    hours = (
        db.execute(
            """SELECT caller_id, hour, calls FROM progress_caller_hours
               WHERE campaign_id = ? AND hour >= ? AND hour <= ?""",
            [cat.campaign.id, first, last],
        ).fetchall()
        if scope.everything
        else [
            (caller_id, hour, calls)
            for caller_id, hour, _, calls in scoped_hours(db, cat.campaign.id, scope)
            if first <= hour <= last
        ]
    )
    for caller_id, hour, calls in hours:
        if local_date(hour, zone) == today:
            calls_today[caller_id] += calls
    for caller_id, hour, _ in corrections(db, cat.campaign.id, scope):
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


def _hours(db: sqlite_utils.Database, cat: Catalogue, scope: Scope) -> list[tuple[str, str, int]]:
    """(hour, disposition, calls) of the campaign's counted outcomes (the scope's)."""
    if scope.everything:
        return [
            (row[0], row[1], int(row[2]))
            for row in db.execute(
                "SELECT hour, disposition, calls FROM progress_hours WHERE campaign_id = ?",
                [cat.campaign.id],
            ).fetchall()
        ]
    by_hour: dict[tuple[str, str], int] = defaultdict(int)
    for _, hour, code, calls in scoped_hours(db, cat.campaign.id, scope):
        if code is not None:
            by_hour[hour, code] += calls
    return [(hour, code, calls) for (hour, code), calls in by_hour.items()]


def progress_by_day(
    db: sqlite_utils.Database, cat: Catalogue, zone: ZoneInfo, scope: Scope = EVERY_SCHOOL
) -> list[DayProgress]:
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

    for hour, code, calls in _hours(db, cat, scope):
        add(hour, code, calls)
    for _, hour, code in corrections(db, cat.campaign.id, scope):
        add(hour, code, -1)
    return [
        DayProgress(day=day, calls=n[0], reached=n[1], completed=n[2])
        for day, n in sorted(days.items())
        if any(n)
    ]


def progress_by_disposition(
    db: sqlite_utils.Database, cat: Catalogue, scope: Scope = EVERY_SCHOOL
) -> list[DispositionCount]:
    """How often each outcome was recorded, in the catalogue's order, unknown codes last."""
    calls: dict[str, int] = defaultdict(int)
    for _, code, count in _hours(db, cat, scope):
        calls[code] += count
    for _, _, code in corrections(db, cat.campaign.id, scope):
        calls[code] -= 1
    by_mask = (
        db.execute(
            """SELECT codes, sum(households) FROM progress_groups
               WHERE campaign_id = ? AND dimension = 'all' AND codes != 0 GROUP BY codes""",
            [cat.campaign.id],
        ).fetchall()
        if scope.everything
        else db.execute(
            f"""SELECT codes, count(*) FROM progress_households
                WHERE campaign_id = :campaign AND codes != 0 AND {scope.clause("school")}
                GROUP BY codes""",
            {"campaign": cat.campaign.id, **scope.params},
        ).fetchall()
    )
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


def _spoken_languages(db: sqlite_utils.Database) -> set[str]:
    """Languages spoken by at least one active caller (as assignment matches them)."""
    rows = db.execute(
        """SELECT DISTINCT lang.value FROM callers c, json_each(c.languages) AS lang
           WHERE c.active = 1"""
    ).fetchall()
    return spoken_languages(entry for (entry,) in rows)


def campaign_progress(
    db: sqlite_utils.Database,
    campaign_id: str,
    *,
    today: date | None = None,
    tz: str | None = None,
    scope: Scope = EVERY_SCHOOL,
) -> ProgressReport:
    """Where the campaign stands: totals and the breakdowns of the supervisor's dashboard.

    Refreshes the summary first, so the figures include everything stored until now.
    ``tz`` defaults to the campaign's time zone and ``today`` to the current date there.
    A school coordinator's ``scope`` counts only their schools' households.
    """
    campaign = get_campaign(db, campaign_id)
    zone = campaign_zone(campaign, tz)
    refresh_progress(db)
    now = utcnow()
    today = today or now.astimezone(zone).date()
    cat = catalogue(db, campaign)
    groups = household_groups(db, cat, scope)
    totals = progress_totals(db, cat, groups, scope)
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
        by_caller=progress_by_caller(db, cat, groups, today, zone, scope),
        by_language=_listed(languages),
        by_tag=_listed(groups.get("tag", {})),
        by_school=_listed(groups.get("school", {})),
        by_day=progress_by_day(db, cat, zone, scope),
        by_disposition=progress_by_disposition(db, cat, scope),
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
                if spoken_language(language) not in speakers
            ),
            do_not_call=everything.do_not_call,
        ),
    )
