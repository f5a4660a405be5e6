"""Device figures: recording an outcome with a full list cached, and pushing an offline backlog.

    .venv/bin/python bench/bench_device.py           # 500 households, 5,000-event backlog
    .venv/bin/python bench/bench_device.py --smoke   # small and quick, for CI

Prints one JSON object per line. The backlog goes to a real server (uvicorn in a
subprocess, loopback) over real HTTP.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.dispositions import DEFAULT_DISPOSITIONS  # noqa: E402
from app.core.models import (  # noqa: E402
    Assignment,
    Caller,
    Campaign,
    Household,
    PhoneNumber,
)
from app.core.outcome_draft import OutcomeDraft  # noqa: E402
from app.core.protocol import (  # noqa: E402
    Change,
    JoinResponse,
    PullResponse,
)
from app.store import DeviceStore  # noqa: E402
from app.sync import SyncClient  # noqa: E402
from sync_server.db import Store  # noqa: E402
from tests.support.phone_bank import PhoneBank  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

# The test helpers import starlette's TestClient, which warns about its httpx dependency.
warnings.filterwarnings("ignore", message=".*starlette.testclient.*")

CODES = ("no_answer", "left_voicemail", "busy", "reached_complete", "call_back_later")
DISPOSITIONS = {disposition.code: disposition for disposition in DEFAULT_DISPOSITIONS}


def emit(**figures: Any) -> None:
    print(json.dumps(figures), flush=True)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def cached_list(households: int) -> PullResponse:
    campaign = Campaign(id="camp-1", slug="bench", name="Bench")
    changes = [Change(op="put", entity="campaign", id=campaign.id, data=campaign.model_dump())]
    for index in range(households):
        household = Household(
            id=f"hh-{index}",
            name=f"Family {index}",
            phones=[PhoneNumber(number=f"+1510555{index:04d}")],
            language=("en", "es", "vi", "zh-Hant")[index % 4],
            tags=["no-device"] if index % 3 == 0 else [],
        )
        assignment = Assignment(campaign_id="camp-1", household_id=household.id, caller_id="me")
        changes.append(
            Change(op="put", entity="household", id=household.id, data=household.model_dump())
        )
        changes.append(
            Change(
                op="put",
                entity="assignment",
                id=f"camp-1:{household.id}",
                data=assignment.model_dump(mode="json"),
            )
        )
    return PullResponse(
        cursor="c1", reset=True, changes=changes, has_more=False, server_time=datetime.now(UTC)
    )


def bench_record(folder: Path, households: int, outcomes: int) -> None:
    store = DeviceStore.open(folder / "record.db")
    store.save_identity(
        "http://127.0.0.1",
        JoinResponse(
            device_id="d1",
            token="t",
            caller=Caller(id="me", name="Me"),
            server_time=datetime.now(UTC),
        ),
    )
    started = time.perf_counter()
    store.apply_pull_page(cached_list(households))
    load_ms = (time.perf_counter() - started) * 1000
    samples = []
    for index in range(outcomes):
        started = time.perf_counter()
        code = CODES[index % len(CODES)]
        draft = OutcomeDraft("camp-1", f"hh-{index % households}", code)
        store.record_outcome(draft, DISPOSITIONS[code])
        samples.append((time.perf_counter() - started) * 1000)
    emit(
        bench="record_outcome",
        households=households,
        outcomes=outcomes,
        median_ms=round(statistics.median(samples), 3),
        p99_ms=round(percentile(samples, 0.99), 3),
        journal="wal",
        synchronous="full",
    )
    list_samples = []
    for _ in range(20):
        started = time.perf_counter()
        store.households_for_list()
        list_samples.append((time.perf_counter() - started) * 1000)
    emit(
        bench="households_for_list",
        households=households,
        outcomes=outcomes,
        median_ms=round(statistics.median(list_samples), 3),
        first_page_apply_ms=round(load_ms, 1),
    )
    store.close()


class Timing(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.last_push_done = 0.0
        self.pushes = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        await response.aread()
        if request.url.path.endswith("/push"):
            self.pushes += 1
            self.last_push_done = time.perf_counter()
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


async def bench_backlog(folder: Path, households: int, backlog: int) -> None:
    db_path = folder / "server.sqlite"
    seeded = Store(db_path)
    bank = PhoneBank.create(seeded)
    caller = bank.caller("Ana")
    bank.households(caller, households)
    process = ServerProcess(db_path, api_only=True).start()
    try:
        device = DeviceStore.open(folder / "backlog.db")
        timing = Timing()
        async with SyncClient(device, transport=timing) as client:
            await client.join(process.url, bank.invite(caller))
            await client.sync_once()
            listed = device.households_for_list()
            for index in range(backlog):
                item = listed[index % len(listed)]
                code = CODES[index % 4]
                draft = OutcomeDraft(item.campaign_id, item.household_id, code)
                device.record_outcome(draft, DISPOSITIONS[code])
            started = time.perf_counter()
            report = await client.sync_once()
            finished = time.perf_counter()
        stored = len(bank.rows("SELECT event_id FROM events"))
        emit(
            bench="push_backlog",
            events=backlog,
            stored=stored,
            requests=timing.pushes,
            push_s=round(timing.last_push_done - started, 3),
            events_per_s=round(backlog / (timing.last_push_done - started)),
            then_pull_s=round(finished - timing.last_push_done, 3),
            pulled_changes=report.pulled,
        )
        device.close()
    finally:
        process.stop()
        seeded.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a small, quick run")
    args = parser.parse_args()
    households, outcomes, backlog = (50, 100, 400) if args.smoke else (500, 2000, 5000)
    with tempfile.TemporaryDirectory() as folder:
        bench_record(Path(folder), households, outcomes)
        asyncio.run(bench_backlog(Path(folder), min(households, 100), backlog))


if __name__ == "__main__":
    main()
