"""The load generator's worker processes, for bench_load (and bench_pull_scale).

One asyncio process with one httpx pool measured itself, not the server: with thousands
of devices it sat at 100 % of a core while requests queued in its own pool. Here each
worker process runs its share of the simulated devices on its own event loop with its own
HTTP client, and reports the CPU it used, so bench_load can print the client's cost next
to the server's and say when the client, not the server, was the limit.

The client is aiohttp's, not httpx's (the project's own, in app/sync): on this machine an
httpx ``AsyncClient`` with 50 requests in flight cost 3.7-4.1 ms of CPU a request and
aiohttp's 0.2 ms, and the generator shares the server's cores.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from multiprocessing.synchronize import Barrier
from typing import Any

import aiohttp

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
class Answer:
    """A response as the generator keeps it: status, body (decoded) and bytes on the wire."""

    status: int
    body: bytes
    wire_bytes: int

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Client:
    """A worker's HTTP client and the gate that keeps its requests within the pool.

    Requests wait at the gate (a FIFO asyncio semaphore, cheap) rather than in the pool,
    and that wait counts in their latency: a device would wait too, and the gate opens
    only when the server answers; a wait over ``GATE_TIMEOUT_S`` is an error."""

    http: aiohttp.ClientSession
    gate: asyncio.Semaphore


@asynccontextmanager
async def open_client(url: str, connections: int) -> AsyncIterator[Client]:
    """A client with ``connections`` keep-alive connections to ``url``; 30 s a request."""
    async with aiohttp.ClientSession(
        base_url=url,
        connector=aiohttp.TCPConnector(limit=connections),
        timeout=aiohttp.ClientTimeout(total=30.0),
    ) as http:
        yield Client(http, asyncio.Semaphore(connections))


GATE_TIMEOUT_S = 30.0
"""As long as a request may wait for a free connection as for its answer."""


async def timed_post(
    client: Client, tally: Tally, path: str, body: str, token: str, into: list[float]
) -> Answer | None:
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
        async with client.http.post(
            path,
            data=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        ) as response:
            data = await response.read()
            answer = Answer(response.status, data, response.content_length or len(data))
    except (aiohttp.ClientError, TimeoutError) as error:
        tally.error(type(error).__name__)
        return None
    finally:
        client.gate.release()
    into.append(time.perf_counter() - started)
    if not 200 <= answer.status < 300:
        tally.error(f"HTTP {answer.status}")
        return None
    return answer


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
    async with open_client(job.url, job.connections) as client:
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
