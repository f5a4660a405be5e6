"""How fast the supervisor's dashboard answers at district scale.

Builds a throwaway database (default: 200,000 households, 1,000,000 outcome events over
30 days, 80 callers), then times each progress query and prints one JSON line per query:

    {"bench": "dashboard", "query": "by_caller", "ms": 182.4, ...}

Target: at most 300 ms per query. ``--households 2000 --events 10000`` is a quick smoke run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core.models import CampaignDraft, Household
from sync_server import caller_activity, progress, progress_tables
from sync_server.assignment import plan_assignment
from sync_server.campaigns import create_campaign, get_campaign
from sync_server.clock import iso
from sync_server.db import Store, next_version
from sync_server.followups import open_follow_ups
from sync_server.quarantine import list_quarantined
from sync_server.records import household_row

LANGUAGES = ["en"] * 5 + ["es"] * 3 + ["vi", "zh-Hant", "ar", "es-MX"]
TAGS = ["no-device", "no-internet", "food", "housing", "iep", "newcomer"]
# Mostly unanswered, as real phone banks are.
WEIGHTS = {
    "no_answer": 40,
    "left_voicemail": 25,
    "busy": 4,
    "wrong_number": 4,
    "disconnected": 2,
    "reached_complete": 12,
    "reached_follow_up": 4,
    "call_back_later": 4,
    "refused": 2,
    "language_needed": 2,
    "do_not_call": 1,
}


def build(path: Path, households: int, events: int, callers: int, seed: int) -> str:
    rng = random.Random(seed)
    store = Store(path)
    with store.transaction() as server_db:
        campaign_id = create_campaign(server_db, CampaignDraft(slug="bench", name="Bench")).id
    store.close()
    # Bulk load without a journal, indexes dropped and rebuilt after: minutes become seconds.
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    indexes = db.execute(
        """SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
           AND tbl_name IN ('events', 'households', 'campaign_households')"""
    ).fetchall()
    for name, _ in indexes:
        db.execute(f"DROP INDEX {name}")
    db.execute("BEGIN")
    _fill(db, campaign_id, rng, households, events, callers)
    for _, sql in indexes:
        db.execute(sql)
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.close()
    return campaign_id


def _fill(
    db: sqlite3.Connection,
    campaign_id: str,
    rng: random.Random,
    households: int,
    events: int,
    callers: int,
) -> None:
    start = datetime(2026, 3, 2, 15, tzinfo=UTC)
    now = iso(start)
    # Every row a new version, as next_version() would give it.
    versions = itertools.count(db.execute("SELECT value + 1 FROM version_counter").fetchone()[0])
    caller_rows = [
        (
            str(uuid.uuid4()),
            f"Caller {n}",
            json.dumps(rng.choice([["en"], ["en", "es"], ["es"], ["en", "vi"], ["en", "zh-Hant"]])),
            now,
        )
        for n in range(callers)
    ]
    db.executemany(
        "INSERT INTO callers (id, name, languages, created_at) VALUES (?, ?, ?, ?)",
        caller_rows,
    )
    caller_ids = [row[0] for row in caller_rows]
    devices = [(str(uuid.uuid4()), caller_id) for caller_id in caller_ids]
    db.executemany(
        """INSERT INTO devices (id, caller_id, token_hash, created_at, last_sync_at)
           VALUES (?, ?, ?, ?, ?)""",
        [
            (
                device_id,
                caller_id,
                uuid.uuid4().hex,
                now,
                iso(start + timedelta(days=rng.uniform(0, 30))),
            )
            for device_id, caller_id in devices
        ],
    )
    household_ids = [str(uuid.uuid4()) for _ in range(households)]
    db.executemany(
        """INSERT INTO households (id, body, dedupe_key, version, created_at, updated_at)
           VALUES (:id, :body, :dedupe_key, :version, :created_at, :updated_at)""",
        (
            household_row(
                Household(
                    id=household_id,
                    name=f"Family {n}",
                    language=rng.choice(LANGUAGES),
                    tags=rng.sample(TAGS, rng.choice([0, 0, 1, 2])),
                    school=f"School {n % 40}",
                    do_not_call=rng.random() < 0.01,
                ),
                dedupe_key=household_id,
            )
            | {"version": next(versions), "created_at": now, "updated_at": now}
            for n, household_id in enumerate(household_ids)
        ),
    )
    owner = {household_id: rng.randrange(callers) for household_id in household_ids}
    db.executemany(
        """INSERT INTO campaign_households (campaign_id, household_id, caller_id,
               assigned_at, added_at, open, version) VALUES (?, ?, ?, ?, ?, 1, ?)""",
        (
            (
                campaign_id,
                household_id,
                None if n % 50 == 0 else caller_ids[owner[household_id]],
                now,
                now,
                next(versions),
            )
            for n, household_id in enumerate(household_ids)
        ),
    )
    codes = list(WEIGHTS)
    weights = list(WEIGHTS.values())
    payload = json.dumps({"kind": "outcome_recorded", "notes": "", "corrects": None})

    def event_rows() -> Any:
        for seq in range(1, events + 1):
            household_id = rng.choice(household_ids)
            index = owner[household_id]
            received = start + timedelta(seconds=rng.uniform(0, 30 * 86400))
            quarantined = rng.random() < 0.002
            yield (
                str(uuid.uuid4()),
                devices[index][0],
                seq,
                caller_ids[index],
                campaign_id,
                household_id,
                rng.choices(codes, weights)[0],
                payload,
                iso(received),
                iso(received),
                int(quarantined),
                rng.choice(["open", "accepted", "dismissed"]) if quarantined else None,
                next(versions),
            )

    db.executemany(
        """INSERT INTO events (event_id, device_id, seq, caller_id, kind, campaign_id,
               household_id, disposition, channel, payload, recorded_at, received_at,
               quarantined, quarantine_status, version)
           VALUES (?, ?, ?, ?, 'outcome_recorded', ?, ?, ?, 'call', ?, ?, ?, ?, ?, ?)""",
        event_rows(),
    )
    # A few corrections, as callers make them.
    targets = db.execute(
        "SELECT event_id, device_id, caller_id, household_id FROM events LIMIT ?",
        [max(1, events // 1000)],
    ).fetchall()
    db.executemany(
        """INSERT INTO events (event_id, device_id, seq, caller_id, kind, campaign_id,
               household_id, disposition, channel, payload, recorded_at, received_at,
               quarantined, version)
           VALUES (?, ?, ?, ?, 'outcome_recorded', ?, ?, 'reached_complete', 'call',
                   ?, ?, ?, 0, ?)""",
        [
            (
                str(uuid.uuid4()),
                device_id,
                events + n + 1,
                caller_id,
                campaign_id,
                household_id,
                json.dumps({"corrects": event_id}),
                now,
                now,
                next(versions),
            )
            for n, (event_id, device_id, caller_id, household_id) in enumerate(targets)
        ],
    )
    db.executemany(
        """INSERT INTO follow_ups (id, campaign_id, household_id, caller_id, kind, due_at,
               status, created_at, version) VALUES (?, ?, ?, ?, 'callback', ?, ?, ?, ?)""",
        [
            (
                str(uuid.uuid4()),
                campaign_id,
                household_id,
                caller_ids[owner[household_id]],
                iso(start + timedelta(days=rng.uniform(0, 40))),
                rng.choice(["open", "closed"]),
                now,
                next(versions),
            )
            for household_id in rng.sample(household_ids, min(households, 5000))
        ],
    )
    db.execute("UPDATE version_counter SET value = ?", [next(versions)])


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs), max(runs)


def emit(query: str, ms: float, max_ms: float | None = None, **extra: Any) -> None:
    line: dict[str, Any] = {"bench": "dashboard", "query": query, "ms": round(ms, 1)}
    if max_ms is not None:
        line["max_ms"] = round(max_ms, 1)
    print(json.dumps({**line, **extra}), flush=True)


def report(query: str, started: float, **extra: Any) -> None:
    emit(query, (time.perf_counter() - started) * 1000, **extra)


def push_more(db: Any, campaign_id: str, count: int, seed: int) -> int:
    """Events as a busy hour of pushes would store them, with fresh versions."""
    rng = random.Random(seed + 1)
    rows = db.execute(
        """SELECT ch.household_id, ch.caller_id, d.id FROM campaign_households ch
           JOIN devices d ON d.caller_id = ch.caller_id
           WHERE ch.campaign_id = ? ORDER BY random() LIMIT ?""",
        [campaign_id, count],
    ).fetchall()
    now = iso(datetime.now(UTC))
    payload = json.dumps({"kind": "outcome_recorded", "notes": "", "corrects": None})
    for household_id, caller_id, device_id in rows:
        db.execute(
            """INSERT INTO events (event_id, device_id, seq, caller_id, kind, campaign_id,
                   household_id, disposition, channel, payload, recorded_at, received_at,
                   quarantined, version)
               VALUES (?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM events WHERE device_id = ?),
                       ?, 'outcome_recorded', ?, ?, ?, 'call', ?, ?, ?, 0, ?)""",
            [
                str(uuid.uuid4()),
                device_id,
                device_id,
                caller_id,
                campaign_id,
                household_id,
                rng.choices(list(WEIGHTS), list(WEIGHTS.values()))[0],
                payload,
                now,
                now,
                next_version(db),
            ],
        )
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--callers", type=int, default=80)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--increment", type=int, default=1000, help="events pushed after")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bench.sqlite"
        started = time.perf_counter()
        campaign_id = build(path, args.households, args.events, args.callers, args.seed)
        report("build database", started, households=args.households, events=args.events)
        store = Store(path)
        with store.transaction() as db:
            started = time.perf_counter()
            households_built = progress_tables.refresh_progress(db)
            report("refresh (first: builds the summary)", started, households=households_built)
        with store.reading() as db:
            campaign = get_campaign(db, campaign_id)
            zone = ZoneInfo(campaign.timezone)
            today = datetime(2026, 3, 20, tzinfo=UTC).date()
            cat = progress.catalogue(db, campaign)
            groups = progress.household_groups(db, cat)
            queries: dict[str, Callable[[], Any]] = {
                "refresh (nothing new)": lambda: progress_tables.refresh_progress(db),
                "household_groups (totals, language, school, tag, quality)": lambda: (
                    progress.household_groups(db, cat)
                ),
                "totals": lambda: progress.progress_totals(db, cat, groups),
                "by_caller": lambda: progress.progress_by_caller(db, cat, groups, today, zone),
                "by_day": lambda: progress.progress_by_day(db, cat, zone),
                "by_disposition": lambda: progress.progress_by_disposition(db, cat),
                "quiet_callers": lambda: caller_activity.quiet_callers(db, campaign_id, 3),
                "active_callers_per_week": lambda: caller_activity.active_callers_per_week(
                    db, campaign_id
                ),
                "campaign_progress (the whole dashboard)": lambda: progress.campaign_progress(
                    db, campaign_id, today=today
                ),
                "open_follow_ups": lambda: open_follow_ups(db, campaign_id=campaign_id),
                "list_quarantined": lambda: list_quarantined(db, "open"),
                "plan_assignment (2% unassigned)": lambda: plan_assignment(db, campaign_id),
            }
            for name, query in queries.items():
                median, worst = timed(query, args.repeat)
                emit(name, median, worst)
        with store.transaction() as db:
            added = push_more(db, campaign_id, args.increment, args.seed)
            started = time.perf_counter()
            households_refreshed = progress_tables.refresh_progress(db)
            report(
                f"refresh after {added} new events",
                started,
                households=households_refreshed,
            )
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
