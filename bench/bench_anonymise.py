"""How long removing families' personal data takes at district scale (issue 14).

Builds the dashboard bench's throwaway database (default: 200,000 households on one
campaign, 1,000,000 outcome events, 80 callers; bench/bench_dashboard.py), closes the
campaign with a retention of 0 days, then times:

- ``retention_dry_run``: counting the families due,
- ``retention_run``: anonymising every one of them as the server's daily run does, in
  batches of retention.BATCH families (one transaction each: how long phones wait for the
  store at most), and the dashboard's first refresh after it,
- ``delete_one``: one family deleted on request, on a fresh copy of the database.

One JSON line per figure: ``{"bench": "anonymise", "step": "retention_run", "ms": …}``.
``--households 2000 --events 10000`` is a quick smoke run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core.models import CampaignDraft
from bench.bench_dashboard import build
from sync_server import progress_tables
from sync_server.campaigns import get_campaign, update_campaign
from sync_server.db import Store
from sync_server.deletion import anonymise_households
from sync_server.retention import BATCH, run_retention, run_retention_in


def emit(step: str, started: float, **extra: Any) -> None:
    ms = round((time.perf_counter() - started) * 1000, 1)
    print(json.dumps({"bench": "anonymise", "step": step, "ms": ms, **extra}), flush=True)


def close_with_retention(store: Store, campaign_id: str) -> None:
    with store.transaction() as db:
        campaign = get_campaign(db, campaign_id)
        draft = CampaignDraft.model_validate(campaign.model_dump(exclude={"id"}))
        yesterday = datetime.now(UTC).date() - timedelta(days=2)
        update = {"ends_on": yesterday, "anonymise_after_days": 0}
        update_campaign(db, campaign_id, draft.model_copy(update=update))
        progress_tables.refresh_progress(db)  # the dashboard is up to date before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--callers", type=int, default=80)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite"
        started = time.perf_counter()
        campaign_id = build(path, args.households, args.events, args.callers, args.seed)
        emit("build", started, households=args.households, events=args.events)
        store = Store(path)
        close_with_retention(store, campaign_id)
        store.close()
        copy = Path(folder) / "copy.sqlite"
        shutil.copy(path, copy)

        store = Store(path)
        started = time.perf_counter()
        with store.reading() as db:
            dry = run_retention(db, dry_run=True)
        emit("retention_dry_run", started, families_due=dry.campaigns[0].households_due)
        started = time.perf_counter()
        report = run_retention_in(store)  # as the server's daily run does: in batches
        batches = -(-report.anonymised // BATCH)
        ms_per_batch = round((time.perf_counter() - started) * 1000 / max(batches, 1), 1)
        emit(
            "retention_run",
            started,
            anonymised=report.anonymised,
            batches=batches,
            ms_per_batch=ms_per_batch,
        )
        started = time.perf_counter()
        with store.transaction() as db:
            refreshed = progress_tables.refresh_progress(db)
        emit("dashboard_refresh_after", started, households=refreshed)
        store.close()

        store = Store(copy)
        with store.reading() as db:
            household_id = db.execute("SELECT household_id FROM campaign_households").fetchone()
        started = time.perf_counter()
        with store.transaction() as db:
            result = anonymise_households(db, [household_id[0]], "family_request")
        emit("delete_one", started, events=result.events)
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
