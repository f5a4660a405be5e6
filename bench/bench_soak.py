"""Soak: many devices recording and syncing through lost requests, lost answers and server
SIGKILLs; afterwards every event must be on the server exactly once.

    .venv/bin/python -m bench.bench_soak                          # 50 devices x 2,000 events
    .venv/bin/python -m bench.bench_soak --devices 20 --events 1000
    .venv/bin/python -m bench.bench_soak --smoke                  # 3 x 50, 1 restart, for CI

Each device is a real DeviceStore (SQLite file in a temp dir) with a SyncClient whose
transport fails ``--fault-rate`` of requests at random: half never reach the server, half
reach it (and commit) but the answer is lost. The server (uvicorn on loopback) is killed
with SIGKILL and restarted ``--restarts`` times while devices record and sync. Then every
device syncs once more without faults and the server database is compared with the
outboxes. Prints one JSON line per figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from app.core.dispositions import DEFAULT_DISPOSITIONS
from app.core.errors import SyncError
from app.core.outcome_draft import OutcomeDraft
from app.core.protocol import JoinResponse
from app.store import DeviceStore
from app.sync import SyncClient
from sync_server.db import Store
from tests.support.server import ServerProcess

from .bench_load import SeededDevice, seed_devices

CODES = ("no_answer", "left_voicemail", "busy", "reached_complete", "call_back_later")
DISPOSITIONS = {disposition.code: disposition for disposition in DEFAULT_DISPOSITIONS}


def emit(**figures: object) -> None:
    print(json.dumps(figures), flush=True)


class RandomFaults(httpx.AsyncBaseTransport):
    """The idea of tests.support.faulty_transport.FaultyTransport, with faults drawn at random:
    ``lose_request`` never reaches the server, ``lose_response`` reaches it (and commits)
    but the answer is lost."""

    def __init__(self, inner: httpx.AsyncBaseTransport, rate: float, rng: random.Random) -> None:
        self.inner = inner
        self.rate = rate
        self.rng = rng
        self.lost_requests = 0
        self.lost_responses = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        fault = self.rng.random() < self.rate
        if fault and self.rng.random() < 0.5:
            self.lost_requests += 1
            raise httpx.ConnectError("All connection attempts failed", request=request)
        response = await self.inner.handle_async_request(request)
        await response.aread()
        if fault:
            self.lost_responses += 1
            raise httpx.ReadError("Connection reset by peer", request=request)
        return response


@dataclass
class Device:
    store: DeviceStore
    client: SyncClient
    seeded: SeededDevice
    recorded: int = 0
    failed_syncs: int = 0


async def sync_until_done(device: Device, attempts: int = 200) -> None:
    for _ in range(attempts):
        try:
            await device.client.sync_once()
            return
        except SyncError:
            device.failed_syncs += 1
            await asyncio.sleep(0.05)
    raise RuntimeError(f"device {device.seeded.device_id} could not sync")


async def run_device(device: Device, campaign_id: str, total: int, chunk: int) -> None:
    index = 0
    while device.recorded < total:
        for _ in range(min(chunk, total - device.recorded)):
            household = device.seeded.households[index % len(device.seeded.households)]
            code = CODES[index % len(CODES)]
            draft = OutcomeDraft(campaign_id, household, code)
            device.store.record_outcome(draft, DISPOSITIONS[code])
            index += 1
            device.recorded += 1
        try:
            await device.client.sync_once()
        except SyncError:
            device.failed_syncs += 1
        await asyncio.sleep(0.01)


async def restarter(
    server: ServerProcess, devices: list[Device], total: int, restarts: int
) -> list[float]:
    """SIGKILL and restart the server each time another 1/(restarts+1) of events is recorded."""
    downtimes = []
    for number in range(1, restarts + 1):
        while sum(d.recorded for d in devices) < total * number / (restarts + 1):
            await asyncio.sleep(0.05)
        server.kill()
        started = time.perf_counter()
        await asyncio.sleep(0.2)  # devices see it down for a moment
        await asyncio.to_thread(server.start)
        downtimes.append(round(time.perf_counter() - started, 2))
    return downtimes


async def soak(
    folder: Path,
    server: ServerProcess,
    campaign_id: str,
    seeded: list[SeededDevice],
    args: argparse.Namespace,
) -> tuple[list[Device], list[RandomFaults], list[float], float]:
    inner = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=50))
    rng = random.Random(11)
    devices, transports = [], []
    for index, seed in enumerate(seeded):
        store = DeviceStore.open(folder / f"device-{index}.db")
        store.save_identity(
            server.url,
            JoinResponse(
                device_id=seed.device_id,
                token=seed.token,
                caller=seed.caller,
                server_time=datetime.now(UTC),
            ),
        )
        transport = RandomFaults(inner, args.fault_rate, random.Random(rng.random()))
        client = SyncClient(store, transport=transport, timeout=30.0)
        devices.append(Device(store, client, seed))
        transports.append(transport)
    # The first pull brings each device its households (through the faults too).
    await asyncio.gather(*(sync_until_done(d) for d in devices))
    started = time.perf_counter()
    restarts = asyncio.create_task(
        restarter(server, devices, len(devices) * args.events, args.restarts)
    )
    try:
        await asyncio.gather(
            *(run_device(d, campaign_id, args.events, args.chunk) for d in devices)
        )
    except BaseException:
        restarts.cancel()
        raise
    downtimes = await restarts  # a restart under way finishes before the final sync
    for transport in transports:
        transport.rate = 0.0
    await asyncio.gather(*(sync_until_done(d, attempts=20) for d in devices))
    wall = time.perf_counter() - started
    for device in devices:
        await device.client.aclose()
    await inner.aclose()
    return devices, transports, downtimes, wall


def verify(db_path: Path, devices: list[Device]) -> dict[str, int]:
    """Compare the server's events with every outbox."""
    outbox: dict[str, str] = {}  # event_id -> device_id
    pending = parked = 0
    for device in devices:
        for row in device.store.db.query("SELECT event_id, state FROM outbox"):
            outbox[row["event_id"]] = device.seeded.device_id
            pending += row["state"] == "pending"
            parked += row["state"] == "parked"
    store = Store(db_path)
    with store.reading() as db:
        rows = list(db.query("SELECT event_id, device_id, seq FROM events"))
    store.close()
    on_server = {row["event_id"]: row["device_id"] for row in rows}
    lost = sum(1 for event_id in outbox if event_id not in on_server)
    unknown = sum(1 for event_id in on_server if event_id not in outbox)
    misattributed = sum(
        1
        for event_id, device in on_server.items()
        if event_id in outbox and outbox[event_id] != device
    )
    # Each device's seqs on the server must be exactly 1..n, n its outbox size.
    seqs: dict[str, list[int]] = {}
    for row in rows:
        seqs.setdefault(row["device_id"], []).append(row["seq"])
    expected = {d.seeded.device_id: d.recorded for d in devices}
    seq_gaps = sum(
        len(set(range(1, n + 1)) ^ set(seqs.get(device_id, [])))
        for device_id, n in expected.items()
    )
    duplicated = unknown + misattributed + max(0, len(rows) - len(on_server))
    return {
        "outbox_events": len(outbox),
        "server_events": len(rows),
        "lost_events": lost,
        "duplicated_events": duplicated,
        "seq_mismatches": seq_gaps,
        "pending_after": pending,
        "parked_after": parked,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--events", type=int, default=2000, help="outcomes per device")
    parser.add_argument("--restarts", type=int, default=3, help="server SIGKILLs + restarts")
    parser.add_argument("--fault-rate", type=float, default=0.2, help="share of requests lost")
    parser.add_argument("--chunk", type=int, default=50, help="outcomes recorded between syncs")
    parser.add_argument("--smoke", action="store_true", help="3 devices x 50 events, 1 restart")
    args = parser.parse_args()
    if args.smoke:
        args.devices, args.events, args.restarts, args.chunk = 3, 50, 1, 10
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "server.sqlite"
        store = Store(db_path)
        campaign_id, seeded = seed_devices(store, args.devices)
        store.close()
        server = ServerProcess(db_path, api_only=True).start()
        try:
            devices, transports, downtimes, wall = asyncio.run(
                soak(Path(folder), server, campaign_id, seeded, args)
            )
        finally:
            server.stop()
        figures = verify(db_path, devices)
        for device in devices:
            device.store.close()
    total = sum(d.recorded for d in devices)
    emit(
        bench="soak",
        devices=args.devices,
        events_per_device=args.events,
        fault_rate=args.fault_rate,
        restarts=len(downtimes),
        restart_downtime_s=downtimes,
        lost_requests=sum(t.lost_requests for t in transports),
        lost_responses=sum(t.lost_responses for t in transports),
        failed_syncs=sum(d.failed_syncs for d in devices),
        wall_s=round(wall, 2),
        events_per_s=round(total / wall),
        **figures,
    )
    if (
        any(figures[key] for key in ("lost_events", "duplicated_events", "seq_mismatches"))
        or (figures["pending_after"])
    ):
        raise SystemExit("the server does not hold every outbox event exactly once")


if __name__ == "__main__":
    main()
