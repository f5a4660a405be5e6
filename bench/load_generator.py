"""The load generator's worker processes, for bench_load.

One asyncio process with one httpx pool measured itself, not the server: with thousands
of devices it sat at 100 % of a core while requests queued in its own pool. Here each
worker process runs its share of the simulated devices on its own event loop with its own
``httpx.AsyncClient``, and reports the CPU it used, so bench_load can print the client's
cost next to the server's and say when the client, not the server, was the limit.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from dataclasses import dataclass, field
from multiprocessing.synchronize import Barrier
from typing import Any

import httpx

from .bench_sync import events


@dataclass
class Tally:
    """What a run saw: each push's and pull's seconds, and the counts."""

    push: list[float] = field(default_factory=list)
    pull: list[float] = field(default_factory=list)
    queued: list[float] = field(default_factory=list)  # waits for a free connection
    requests: int = 0
    errors: int = 0
    events: int = 0
    syncs: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1

    def add(self, other: Tally) -> None:
        self.push += other.push
        self.pull += other.pull
        self.queued += other.queued
        self.requests += other.requests
        self.errors += other.errors
        self.events += other.events
        self.syncs += other.syncs
        for kind, count in other.error_kinds.items():
            self.error_kinds[kind] = self.error_kinds.get(kind, 0) + count


@dataclass
class DeviceState:
    """A simulated device: who it is, when it first syncs, and where it got to."""

    device_id: str
    token: str
    households: list[str]
    start_delay: float
    seq: int = 1
    cursor: str | None = None


@dataclass
class Job:
    """One worker's share of the devices and the run's settings."""

    url: str
    campaign_id: str
    devices: list[DeviceState]
    duration: float
    interval: float
    connections: int
    seed: int


@dataclass
class Outcome:
    """What one worker measured, and its devices as they ended (seq, cursor)."""

    tally: Tally
    cpu_s: float
    wall_s: float
    devices: list[DeviceState]


@dataclass
class Client:
    """A worker's httpx client and the gate that keeps its requests within the pool.

    httpcore's pool rescans every queued request each time one starts or ends: with a few
    hundred queued, the worker spends its CPU scanning and sends almost nothing (what made
    the one-process generator measure itself). Requests wait at the gate instead (a FIFO
    asyncio semaphore, cheap), and that wait counts in their latency: a device would wait
    too, and the gate opens only when the server answers."""

    http: httpx.AsyncClient
    gate: asyncio.Semaphore


GATE_TIMEOUT_S = 30.0
"""As long as a request may wait for a free connection as for its answer (httpx's timeout)."""


async def timed_post(
    client: Client, tally: Tally, path: str, body: str, token: str, into: list[float]
) -> httpx.Response | None:
    tally.requests += 1
    started = time.perf_counter()
    try:
        async with asyncio.timeout(GATE_TIMEOUT_S):
            await client.gate.acquire()
    except TimeoutError:
        tally.error("ConnectionWaitTimeout")  # the server fell that far behind
        return None
    try:
        tally.queued.append(time.perf_counter() - started)
        response = await client.http.post(
            path,
            content=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
    except httpx.HTTPError as error:
        tally.error(type(error).__name__)
        return None
    finally:
        client.gate.release()
    into.append(time.perf_counter() - started)
    if not 200 <= response.status_code < 300:
        tally.error(f"HTTP {response.status_code}")
        return None
    return response


async def run_device(
    client: Client,
    tally: Tally,
    campaign_id: str,
    device: DeviceState,
    interval: float,
    stop_at: float,
    rng: random.Random,
) -> None:
    """Sync every ``interval`` s from ``start_delay``: push 1-3 events, pull until done."""
    await asyncio.sleep(device.start_delay)
    next_sync = time.monotonic()
    while time.monotonic() < stop_at:
        count = rng.randint(1, 3)
        batch = events(campaign_id, device.households, device.seq, count)
        body = json.dumps(
            {"device_id": device.device_id, "events": [e.model_dump(mode="json") for e in batch]}
        )
        if await timed_post(client, tally, "/api/v1/sync/push", body, device.token, tally.push):
            device.seq += count
            tally.events += count
        for _ in range(20):  # pages; a device's own list is small
            body = json.dumps(
                {"device_id": device.device_id, "cursor": device.cursor, "limit": 500}
            )
            response = await timed_post(
                client, tally, "/api/v1/sync/pull", body, device.token, tally.pull
            )
            if response is None:
                break
            page = response.json()
            device.cursor = page["cursor"]
            if not page["has_more"]:
                break
        tally.syncs += 1
        next_sync += interval
        await asyncio.sleep(max(0.0, min(next_sync, stop_at) - time.monotonic()))


async def _load(job: Job, barrier: Barrier | None) -> tuple[Tally, float]:
    tally = Tally()
    rng = random.Random(job.seed)
    limits = httpx.Limits(
        max_connections=job.connections, max_keepalive_connections=job.connections
    )
    async with httpx.AsyncClient(base_url=job.url, limits=limits, timeout=30.0) as http:
        client = Client(http, asyncio.Semaphore(job.connections))
        if barrier is not None:
            await asyncio.to_thread(barrier.wait)  # every worker starts the clock together
        started = time.perf_counter()
        stop_at = time.monotonic() + job.duration
        await asyncio.gather(
            *(
                run_device(
                    client,
                    tally,
                    job.campaign_id,
                    device,
                    job.interval,
                    stop_at,
                    random.Random(rng.random()),
                )
                for device in job.devices
            )
        )
    return tally, time.perf_counter() - started


def run_job(job: Job, barrier: Barrier | None = None) -> Outcome:
    """Run one worker's devices to the end of the run; CPU is this process's, all threads."""
    cpu_before = time.process_time()
    tally, wall = asyncio.run(_load(job, barrier))
    return Outcome(tally, time.process_time() - cpu_before, wall, job.devices)


def worker_main(job: Job, barrier: Barrier, results: Any) -> None:
    """A worker process's entry point: its outcome goes on the ``results`` queue."""
    try:
        results.put(run_job(job, barrier))
    except BaseException as error:  # the parent must hear of it rather than wait forever
        barrier.abort()
        results.put(error)
        raise
