"""Pull at scale over real HTTP on loopback: one caller's first pull of 5,000 households, then
1,000 devices pulling at once after a supervisor's bulk reassignment of 50,000 households.

    .venv/bin/python -m bench.bench_pull_scale             # 5,000 / 1,000 devices / 50,000 moved
    .venv/bin/python -m bench.bench_pull_scale --smoke     # a quick run for CI
    .venv/bin/python -m bench.bench_pull_scale --households 5000 --devices 500 --moved 25000

``pull_caller`` is bench_sync's first pull (every page, limit 2,000). For the reassignment,
``--devices`` callers each hold ``--moved / --devices`` households and one joined device;
every device pulls until it is in sync; then the supervisor's admin API
(``POST /api/v1/admin/campaigns/{id}/assignment/move``, what the console's bulk move calls)
gives each caller's households to the next caller, one request per caller; then every device
pulls from its cursor, all at once, dealt to ``--workers`` processes (each its own event loop
and aiohttp client, bench/load_generator.py). ``pull_after_move`` gives the time from the go to
the last device in sync, the bytes on the wire (gzip, as the server sends them) and decoded,
per-request p50/p99, errors, and the client's CPU next to the server's. Prints one JSON line
per figure; no figure is judged here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import httpx

from sync_server import auth
from sync_server.db import Store
from tests.support.phone_bank import SUPERVISOR
from tests.support.server import ServerProcess

from .bench_load import percentile_ms, seed_devices
from .bench_sync import bench_pull, emit, process_cost
from .load_generator import Client, Tally, open_client, timed_post


@dataclass
class Puller:
    """A device as the pull run sees it: who it is and where its cursor is."""

    device_id: str
    token: str
    cursor: str | None = None


@dataclass
class Pulled:
    """What one worker process measured for its share of the devices."""

    tally: Tally
    devices: list[Puller]
    wire_bytes: int = 0
    body_bytes: int = 0
    changes: int = 0
    in_sync_at: list[float] = field(default_factory=list)  # epoch seconds, one a device
    cpu_s: float = 0.0


async def _pull_device(client: Client, pulled: Pulled, device: Puller) -> None:
    """Pull pages from the device's cursor until the server has nothing more."""
    while True:
        body = json.dumps({"device_id": device.device_id, "cursor": device.cursor, "limit": 2000})
        response = await timed_post(
            client, pulled.tally, "/api/v1/sync/pull", body, device.token, pulled.tally.pull
        )
        if response is None:
            return  # counted in the tally's errors; this device never gets in sync
        page = response.json()
        pulled.wire_bytes += response.wire_bytes
        pulled.body_bytes += len(response.body)
        pulled.changes += len(page["changes"])
        device.cursor = page["cursor"]
        if not page["has_more"]:
            pulled.in_sync_at.append(time.time())
            return


async def _pull_all(url: str, devices: list[Puller], connections: int, go_at: float) -> Pulled:
    pulled = Pulled(Tally(), devices)
    async with open_client(url, connections) as client:
        await asyncio.sleep(max(0.0, go_at - time.time()))  # every worker starts together
        await asyncio.gather(*(_pull_device(client, pulled, device) for device in devices))
    return pulled


def pull_share(url: str, devices: list[Puller], connections: int, go_at: float) -> Pulled:
    """A worker process's share: every device pulled to the end; CPU is this process's."""
    cpu_before = time.process_time()
    pulled = asyncio.run(_pull_all(url, devices, connections, go_at))
    pulled.cpu_s = time.process_time() - cpu_before
    return pulled


def pull_everyone(
    pool: ProcessPoolExecutor,
    server: ServerProcess,
    devices: list[Puller],
    args: argparse.Namespace,
    name: str,
) -> list[Puller]:
    """All devices pull at once from their cursors; prints ``name``'s figures and returns
    the devices with their new cursors."""
    shares = [devices[index :: args.workers] for index in range(args.workers)]
    connections = max(1, args.connections // args.workers)
    server_cpu, _ = process_cost(server.pid)
    go_at = time.time() + 0.5
    futures = [pool.submit(pull_share, server.url, s, connections, go_at) for s in shares if s]
    results = [future.result() for future in futures]
    server_cpu_after, peak_kib = process_cost(server.pid)
    tally, in_sync = Tally(), []
    for result in results:
        tally.add(result.tally)
        in_sync += result.in_sync_at
    wire = sum(result.wire_bytes for result in results)
    last = max(in_sync, default=go_at) - go_at
    emit(
        bench=name,
        devices=len(devices),
        devices_in_sync=len(in_sync),
        last_device_in_sync_s=round(last, 2),
        requests=tally.requests,
        changes=sum(result.changes for result in results),
        wire_bytes=wire,
        wire_bytes_per_device=round(wire / len(devices)),
        body_bytes=sum(result.body_bytes for result in results),
        request_p50_ms=percentile_ms(tally.pull, 0.50),
        request_p99_ms=percentile_ms(tally.pull, 0.99),
        device_in_sync_p50_s=round(sorted(in_sync)[len(in_sync) // 2] - go_at, 2)
        if in_sync
        else None,
        errors=tally.errors,
        error_kinds=tally.error_kinds,
        server_cpu_s=round(server_cpu_after - server_cpu, 2),
        server_peak_rss_mib=round(peak_kib / 1024, 1),
        client_cpu_s=round(sum(result.cpu_s for result in results), 2),
        workers=len(results),
        machine_cpus=os.cpu_count(),
        machine_load_1min=round(os.getloadavg()[0], 2),
    )
    return [device for result in results for device in result.devices]


def bench_reassignment(args: argparse.Namespace) -> None:
    per_device = max(1, args.moved // args.devices)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pull_scale.sqlite"
        store = Store(path)
        started = time.perf_counter()
        campaign_id, seeded = seed_devices(store, args.devices, households=per_device)
        with store.transaction() as db:
            auth.create_supervisor(db, *SUPERVISOR)
            supervisor_token = auth.login(db, *SUPERVISOR)
        store.close()
        emit(
            bench="pull_scale_seed",
            devices=len(seeded),
            households=per_device * len(seeded),
            seed_s=round(time.perf_counter() - started, 2),
        )
        devices = [Puller(device.device_id, device.token) for device in seeded]
        with (
            ServerProcess(path, api_only=True) as server,
            ProcessPoolExecutor(args.workers, mp_context=get_context("spawn")) as pool,
        ):
            list(pool.map(time.sleep, [1.0] * args.workers))  # every worker up before the clock
            devices = pull_everyone(pool, server, devices, args, "pull_before_move")
            # Caller i's households to caller i+1: every household moves, every list changes.
            server_cpu, _ = process_cost(server.pid)
            started = time.perf_counter()
            with httpx.Client(
                base_url=server.url,
                headers={"Authorization": f"Bearer {supervisor_token}"},
                timeout=120.0,
            ) as admin:
                for index, device in enumerate(seeded):
                    receiver = seeded[(index + 1) % len(seeded)].caller.id
                    admin.post(
                        f"/api/v1/admin/campaigns/{campaign_id}/assignment/move",
                        json={"household_ids": device.households, "to_caller_id": receiver},
                    ).raise_for_status()
            emit(
                bench="bulk_move",
                households=per_device * len(seeded),
                requests=len(seeded),
                seconds=round(time.perf_counter() - started, 2),
                server_cpu_s=round(process_cost(server.pid)[0] - server_cpu, 2),
            )
            pull_everyone(pool, server, devices, args, "pull_after_move")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="50 / 10 devices / 500 moved")
    parser.add_argument("--households", type=int, help="one caller's households (5000)")
    parser.add_argument("--devices", type=int, help="devices pulling after the move (1000)")
    parser.add_argument("--moved", type=int, help="households reassigned (50000)")
    parser.add_argument("--workers", type=int, default=2, help="pulling processes")
    parser.add_argument("--connections", type=int, default=100, help="HTTP connections, all")
    args = parser.parse_args()
    args.households = args.households or (50 if args.smoke else 5000)
    args.devices = args.devices or (10 if args.smoke else 1000)
    args.moved = args.moved or (500 if args.smoke else 50_000)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    bench_pull(args.households)
    bench_reassignment(args)


if __name__ == "__main__":
    main()
