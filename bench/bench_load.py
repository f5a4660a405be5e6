"""Many devices syncing at once against one real server: push and pull latency, server cost.

    .venv/bin/python -m bench.bench_load                      # 1,000 devices, 300 s
    .venv/bin/python -m bench.bench_load --devices 300 --duration 60
    .venv/bin/python -m bench.bench_load --smoke              # a quick run for CI

Each simulated device (asyncio, one shared httpx.AsyncClient with a connection limit)
syncs every ``--interval`` seconds, starts staggered over the first interval: it pushes
1-3 new outcome events, then pulls from its cursor until the server has nothing more.
The server is uvicorn in a subprocess on loopback, seeded in one transaction before it
starts. Prints one JSON line per figure; stops by itself after ``--duration`` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from app.core.models import Caller, CampaignDraft, Household, PhoneNumber
from sync_server import auth
from sync_server.campaigns import create_campaign
from sync_server.db import Store
from tests.support.server import ServerProcess
from tests.support.server_rows import seed_households

from .bench_sync import events

HOUSEHOLDS_PER_DEVICE = 3


def emit(**figures: object) -> None:
    print(json.dumps(figures), flush=True)


@dataclass
class SeededDevice:
    device_id: str
    token: str
    caller: Caller
    households: list[str]


def seed_devices(
    store: Store, devices: int, households: int = HOUSEHOLDS_PER_DEVICE
) -> tuple[str, list[SeededDevice]]:
    """A campaign and ``devices`` callers, each with ``households`` assigned households and
    one joined device; all in one transaction. Returns the campaign id and the devices."""
    seeded = []
    with store.transaction() as db:
        campaign = create_campaign(db, CampaignDraft(slug="load", name="Load"))
        for index in range(devices):
            caller = auth.create_caller(db, f"Caller {index}", ["en", "es"])
            code, _ = auth.create_invite(db, caller.id)
            device_id, token, caller = auth.join(db, code, f"device {index}")
            numbers = range(index * households, (index + 1) * households)
            assigned = [
                Household(
                    id=str(uuid.uuid4()),
                    name=f"Family {number}",
                    phones=[PhoneNumber(number=f"+1510{2000000 + number:07d}")],
                    language="es" if number % 2 else "en",
                )
                for number in numbers
            ]
            seed_households(store, campaign.id, assigned, caller_id=caller.id)
            seeded.append(SeededDevice(device_id, token, caller, [h.id for h in assigned]))
    return campaign.id, seeded


@dataclass
class Tally:
    push: list[float] = field(default_factory=list)
    pull: list[float] = field(default_factory=list)
    requests: int = 0
    errors: int = 0
    events: int = 0
    syncs: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


async def timed_post(
    client: httpx.AsyncClient, tally: Tally, path: str, body: str, token: str, into: list[float]
) -> httpx.Response | None:
    tally.requests += 1
    started = time.perf_counter()
    try:
        response = await client.post(
            path,
            content=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
    except httpx.HTTPError as error:
        tally.error(type(error).__name__)
        return None
    into.append(time.perf_counter() - started)
    if not 200 <= response.status_code < 300:
        tally.error(f"HTTP {response.status_code}")
        return None
    return response


async def run_device(
    client: httpx.AsyncClient,
    tally: Tally,
    campaign_id: str,
    device: SeededDevice,
    start_delay: float,
    interval: float,
    stop_at: float,
    rng: random.Random,
) -> None:
    await asyncio.sleep(start_delay)
    seq, cursor = 1, None
    next_sync = time.monotonic()
    while time.monotonic() < stop_at:
        count = rng.randint(1, 3)
        batch = events(campaign_id, device.households, seq, count)
        body = json.dumps(
            {"device_id": device.device_id, "events": [e.model_dump(mode="json") for e in batch]}
        )
        if await timed_post(client, tally, "/api/v1/sync/push", body, device.token, tally.push):
            seq += count
            tally.events += count
        for _ in range(20):  # pages; a device's own list is small
            body = json.dumps({"device_id": device.device_id, "cursor": cursor, "limit": 500})
            response = await timed_post(
                client, tally, "/api/v1/sync/pull", body, device.token, tally.pull
            )
            if response is None:
                break
            page = response.json()
            cursor = page["cursor"]
            if not page["has_more"]:
                break
        tally.syncs += 1
        next_sync += interval
        await asyncio.sleep(max(0.0, min(next_sync, stop_at) - time.monotonic()))


def percentile_ms(samples: list[float], fraction: float) -> float | None:
    if not samples:
        return None
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000, 2)


def process_cost(pid: int) -> tuple[float, int]:
    """CPU seconds (user + system) and peak RSS (KiB) of a live process, from /proc."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
    ticks = int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15
    cpu = ticks / os.sysconf("SC_CLK_TCK")
    peak_kib = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak_kib = int(line.split()[1])
    return cpu, peak_kib


async def load(
    url: str, campaign_id: str, devices: list[SeededDevice], args: argparse.Namespace
) -> Tally:
    tally = Tally()
    rng = random.Random(7)
    limits = httpx.Limits(
        max_connections=args.connections, max_keepalive_connections=args.connections
    )
    stop_at = time.monotonic() + args.duration
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30.0) as client:
        await asyncio.gather(
            *(
                run_device(
                    client,
                    tally,
                    campaign_id,
                    device,
                    args.interval * index / len(devices),
                    args.interval,
                    stop_at,
                    random.Random(rng.random()),
                )
                for index, device in enumerate(devices)
            )
        )
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--duration", type=float, default=300.0, help="seconds of load")
    parser.add_argument("--interval", type=float, default=30.0, help="seconds between syncs")
    parser.add_argument("--connections", type=int, default=100, help="HTTP connection limit")
    parser.add_argument("--smoke", action="store_true", help="20 devices, 6 s, every 2 s")
    args = parser.parse_args()
    if args.smoke:
        args.devices, args.duration, args.interval = 20, 6.0, 2.0
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "load.sqlite"
        store = Store(db_path)
        started = time.perf_counter()
        campaign_id, devices = seed_devices(store, args.devices)
        seed_s = time.perf_counter() - started
        store.close()
        with ServerProcess(db_path, api_only=True) as server:
            cpu_before, _ = process_cost(server.pid)
            started = time.perf_counter()
            tally = asyncio.run(load(server.url, campaign_id, devices, args))
            wall = time.perf_counter() - started
            cpu_after, peak_kib = process_cost(server.pid)
    common = {"devices": args.devices, "duration_s": args.duration, "interval_s": args.interval}
    for name, samples in (("push", tally.push), ("pull", tally.pull)):
        emit(
            bench=f"load_{name}",
            **common,
            requests=len(samples),
            p50_ms=percentile_ms(samples, 0.50),
            p99_ms=percentile_ms(samples, 0.99),
            max_ms=percentile_ms(samples, 1.0),
        )
    emit(
        bench="load_totals",
        **common,
        seed_s=round(seed_s, 2),
        wall_s=round(wall, 2),
        syncs=tally.syncs,
        requests=tally.requests,
        requests_per_s=round(tally.requests / wall, 1),
        events_pushed=tally.events,
        errors=tally.errors,
        error_kinds=tally.error_kinds,
    )
    emit(
        bench="load_server",
        **common,
        cpu_s=round(cpu_after - cpu_before, 2),
        cpu_share=round((cpu_after - cpu_before) / wall, 3),
        peak_rss_mib=round(peak_kib / 1024, 1),
    )


if __name__ == "__main__":
    main()
