"""What callers are doing across a campaign: who has gone quiet, who called each week, and
which codes mean a conversation happened (for reassigning a quiet caller's households)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

import sqlite_utils

from app.core.dispositions import dispositions_for
from app.core.reports import QuietCaller, WeekActivity

from .campaigns import get_campaign, list_campaigns
from .clock import iso, utcnow
from .progress_tables import campaign_zone, corrections, local_date, refresh_progress


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
    zone = campaign_zone(campaign, tz)
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
    for caller_id, hour, _ in corrections(db, campaign_id):
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
