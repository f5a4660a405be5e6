"""Retention: a campaign's families anonymised ``anonymise_after_days`` after it closes.

A campaign closes when it is made inactive (``campaigns.closed_at``, stamped by a trigger,
migration 5) or when its ``ends_on`` day is over in its time zone, whichever comes first.
A family on several campaigns is anonymised only when every one of them is due: a family
still being called elsewhere keeps its data (the report counts it as kept). The server
runs this at start and daily (app.py); ``phonebank retention`` and the console show the
dry run.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlite_utils
from starlette.concurrency import run_in_threadpool

from app.core.models import Campaign
from app.core.privacy import RetentionDue, RetentionReport

from . import audit
from .clock import utcnow
from .db import Store
from .deletion import anonymise_households, scrub_late_events
from .records import campaign_from_row

__all__ = ["closed_at", "retention_daily", "run_retention", "run_retention_in"]

log = logging.getLogger("phonebank.retention")

DAY = timedelta(days=1)


def closed_at(campaign: Campaign, stamped: str | None, now: datetime) -> datetime | None:
    """When the campaign closed, or None while it is open."""
    moments = []
    if stamped:
        moments.append(datetime.fromisoformat(stamped))
    if campaign.ends_on is not None:
        try:
            zone = ZoneInfo(campaign.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")
        ended = datetime.combine(campaign.ends_on + DAY, time(0), tzinfo=zone)
        if ended <= now:
            moments.append(ended)
    return min(moments) if moments else None


@dataclass(frozen=True)
class _Closed:
    campaign: Campaign
    closed_at: datetime
    due_at: datetime


def _closed_with_retention(db: sqlite_utils.Database, now: datetime) -> list[_Closed]:
    found = []
    for row in db.query("SELECT body, closed_at FROM campaigns ORDER BY name"):
        campaign = campaign_from_row(row)
        if campaign.anonymise_after_days is None:
            continue
        closed = closed_at(campaign, row["closed_at"], now)
        if closed is not None:
            found.append(_Closed(campaign, closed, closed + campaign.anonymise_after_days * DAY))
    return found


def _households(
    db: sqlite_utils.Database, campaign_id: str, releasing: set[str]
) -> tuple[list[str], int]:
    """The campaign's families not anonymised yet that may go once every campaign in
    ``releasing`` is due, and how many must stay for another campaign."""
    marks = ",".join("?" * len(releasing))
    rows = db.execute(
        f"""SELECT ch.household_id, EXISTS (
                   SELECT 1 FROM campaign_households o
                   WHERE o.household_id = ch.household_id AND o.campaign_id NOT IN ({marks}))
            FROM campaign_households ch
            WHERE ch.campaign_id = ?
              AND ch.household_id NOT IN (SELECT household_id FROM anonymised_households)""",
        [*releasing, campaign_id],
    ).fetchall()
    return [household for household, held in rows if not held], sum(held for _, held in rows)


def plan_retention(
    db: sqlite_utils.Database, *, dry_run: bool = True, now: datetime | None = None
) -> tuple[RetentionReport, list[str], list[str]]:
    """The report of each closed campaign with a retention setting, the families due now,
    and the campaigns due now. Changes nothing."""
    now = now or utcnow()
    closed = _closed_with_retention(db, now)
    due = {entry.campaign.id for entry in closed if entry.due_at <= now}
    report = RetentionReport(dry_run=dry_run, ran_at=now)
    to_anonymise: set[str] = set()
    for entry in closed:
        households, kept = _households(db, entry.campaign.id, due | {entry.campaign.id})
        if entry.campaign.id in due:
            to_anonymise.update(households)
        report.campaigns.append(
            RetentionDue(
                campaign_id=entry.campaign.id,
                slug=entry.campaign.slug,
                name=entry.campaign.name,
                anonymise_after_days=entry.campaign.anonymise_after_days or 0,
                closed_at=entry.closed_at,
                due_at=entry.due_at,
                households_due=len(households),
                households_kept=kept,
            )
        )
    return report, sorted(to_anonymise), sorted(due)


def _record(
    db: sqlite_utils.Database, actor: audit.Actor, campaigns: list[str], households: int
) -> None:
    # The server's own daily run is recorded when it changed something; a person's, always.
    if households or actor != audit.SYSTEM:
        audit.record(
            db,
            actor,
            "retention.anonymise",
            target_kind="campaign",
            target_ids=campaigns,
            households=households,
        )


def run_retention(
    db: sqlite_utils.Database,
    *,
    dry_run: bool,
    now: datetime | None = None,
    actor: audit.Actor = audit.SYSTEM,
) -> RetentionReport:
    """Anonymise every family whose campaigns are all past retention (unless ``dry_run``)
    in the caller's transaction; report each closed campaign that has a retention setting."""
    report, households, campaigns = plan_retention(db, dry_run=dry_run, now=now)
    if dry_run:
        return report
    scrub_late_events(db)
    report.anonymised = anonymise_households(db, households, "retention").households
    _record(db, actor, campaigns, report.anonymised)
    return report


BATCH = 1000
"""Families anonymised per transaction by run_retention_in: the store's lock is let go
between batches, so phones keep syncing while a big campaign is anonymised."""


def _still_due(db: sqlite_utils.Database, households: list[str], campaigns: list[str]) -> list[str]:
    """Those of ``households`` on no campaign but the due ``campaigns`` (one may have been
    put on another campaign since the run was planned)."""
    marks = ",".join("?" * len(campaigns))
    held = {
        row[0]
        for row in db.execute(
            f"""SELECT DISTINCT household_id FROM campaign_households
                WHERE household_id IN ({",".join("?" * len(households))})
                  AND campaign_id NOT IN ({marks})""",
            [*households, *campaigns],
        )
    }
    return [household for household in households if household not in held]


def run_retention_in(
    store: Store,
    *,
    dry_run: bool = False,
    actor: audit.Actor = audit.SYSTEM,
    batch: int = BATCH,
) -> RetentionReport:
    """One retention run over the store, ``batch`` families per transaction. A family that
    a batch's turn finds on an open campaign again (added since the plan) is skipped."""
    with store.reading() as db:
        report, households, campaigns = plan_retention(db, dry_run=dry_run)
    if dry_run:
        return report
    with store.transaction() as db:
        scrub_late_events(db)
    for start in range(0, len(households), batch):
        with store.transaction() as db:
            chunk = _still_due(db, households[start : start + batch], campaigns)
            # Each batch also brings the dashboard's summary up to date (deletion.py), rather
            # than one long refresh (45 s at 200k households) on the next dashboard load.
            report.anonymised += anonymise_households(db, chunk, "retention").households
    with store.transaction() as db:
        _record(db, actor, campaigns, report.anonymised)
    return report


@asynccontextmanager
async def retention_daily(store: Store, every: float = DAY.total_seconds()) -> AsyncIterator[None]:
    """While the server runs: retention as it starts, then every ``every`` seconds, in the
    background (batches let phones sync meanwhile). A failed run is logged and tried again
    at the next one; it never stops the server."""

    async def run_once() -> None:
        try:
            report = await run_in_threadpool(run_retention_in, store)
            if report.anonymised:
                log.info("retention anonymised %d families", report.anonymised)
        except Exception:
            log.exception("retention failed; trying again at the next run")

    async def loop() -> None:
        while True:
            await run_once()
            await asyncio.sleep(every)

    task = asyncio.create_task(loop(), name="phonebank-retention")
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
