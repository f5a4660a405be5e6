"""Many devices syncing at once against one real server: push and pull latency, server cost.

    .venv/bin/python -m bench.bench_load                      # 1,000 devices, 300 s
    .venv/bin/python -m bench.bench_load --devices 5000 --duration 90
    .venv/bin/python -m bench.bench_load --find-knee --devices 1000 --duration 90
    .venv/bin/python -m bench.bench_load --devices 5000 --duration 90 --callbacks
    .venv/bin/python -m bench.bench_load --smoke              # a quick run for CI

Each simulated device syncs every ``--interval`` seconds, starting staggered over the first
interval: it pushes 1-3 new outcome events, then pulls from its cursor until the server
has nothing more. The devices are shared among ``--workers`` generator processes, each
with its own event loop and aiohttp client (bench/load_generator.py), so the client is not
the bottleneck; ``load_client`` reports their CPU next to the server's (``load_server``),
and says ``client_saturated`` when a worker used most of a core. The server is uvicorn in
a subprocess on loopback, seeded in one transaction before it starts; ``--callbacks``
gives every household an open callback, as a busy campaign has thousands.

``--find-knee`` runs step after step on the same server, the devices growing by
``--knee-factor`` (they carry on from their seq and cursor), until push or pull p99
passes ``--p99-limit-ms`` or a request fails, and prints ``load_knee``: the single-box
capacity. The client and the server share this machine's cores (and, here, with other
people's work): a figure is indicative of the server, not a measurement of it alone.
Prints one JSON line per figure; stops by itself.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.core.models import Caller, CampaignDraft, Household, PhoneNumber
from sync_server import auth
from sync_server.campaigns import create_campaign
from sync_server.db import Store
from tests.support.server import ServerProcess
from tests.support.server_rows import add_follow_up, seed_households

from .bench_sync import process_cost
from .load_generator import DeviceState, Job, Outcome, Tally, run_job, worker_main

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
    store: Store,
    devices: int,
    households: int = HOUSEHOLDS_PER_DEVICE,
    campaign_id: str | None = None,
    first: int = 0,
    callbacks: bool = False,
) -> tuple[str, list[SeededDevice]]:
    """A campaign (or ``campaign_id``'s) and ``devices`` more callers numbered from
    ``first``, each with ``households`` assigned households and one joined device; all in
    one transaction. ``callbacks``: each household has an open callback, due tomorrow.
    Returns the campaign id and the devices."""
    seeded = []
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    with store.transaction() as db:
        if campaign_id is None:
            campaign_id = create_campaign(db, CampaignDraft(slug="load", name="Load")).id
        for index in range(first, first + devices):
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
            seed_households(store, campaign_id, assigned, caller_id=caller.id)
            for household in assigned if callbacks else []:
                add_follow_up(db, campaign_id, household.id, caller.id, tomorrow)
            seeded.append(SeededDevice(device_id, token, caller, [h.id for h in assigned]))
    return campaign_id, seeded


def percentile_ms(samples: list[float], fraction: float) -> float | None:
    if not samples:
        return None
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000, 2)


def process_rss_mib(pid: int) -> float:
    """A live process's resident memory now (MiB), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def generate(
    url: str, campaign_id: str, devices: list[DeviceState], args: argparse.Namespace
) -> tuple[Tally, list[Outcome], float]:
    """Run the devices, dealt round-robin to ``args.workers`` processes, for one step.

    Returns the merged tally, each worker's outcome and the wall time; the devices'
    seq and cursor are updated in place from the workers' outcomes."""
    shares = [devices[index :: args.workers] for index in range(args.workers)]
    jobs = [
        Job(
            url=url,
            campaign_id=campaign_id,
            devices=share,
            duration=args.duration,
            interval=args.interval,
            connections=max(1, args.connections // args.workers),
            seed=7 + index,
        )
        for index, share in enumerate(shares)
        if share
    ]
    started = time.perf_counter()
    # One worker runs here, in this process (the old generator); more, each in its own.
    outcomes = [run_job(jobs[0])] if args.workers == 1 else _in_processes(jobs)
    wall = time.perf_counter() - started
    tally = Tally()
    by_id = {device.device_id: device for device in devices}
    for outcome in outcomes:
        tally.add(outcome.tally)
        for ended in outcome.devices:
            by_id[ended.device_id].seq, by_id[ended.device_id].cursor = ended.seq, ended.cursor
    return tally, outcomes, wall


def _in_processes(jobs: list[Job]) -> list[Outcome]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(jobs))
    results = context.Queue()
    workers = [
        context.Process(target=worker_main, args=(job, barrier, results), daemon=True)
        for job in jobs
    ]
    for worker in workers:
        worker.start()
    outcomes: list[Outcome] = []
    try:
        for _ in workers:  # read before joining: a worker's outcome can fill the pipe
            received = results.get(timeout=jobs[0].duration + 600)
            if isinstance(received, BaseException):
                raise RuntimeError(f"a load worker failed: {received!r}")
            outcomes.append(received)
    finally:
        for worker in workers:
            worker.join(timeout=30)
            if worker.is_alive():
                worker.kill()
    return outcomes


def measure(
    server: ServerProcess, campaign_id: str, devices: list[DeviceState], args: argparse.Namespace
) -> dict[str, object]:
    """One step of load: prints its figures and returns the summary the knee is read from."""
    cpu_before, _ = process_cost(server.pid)
    tally, outcomes, wall = generate(server.url, campaign_id, devices, args)
    cpu_after, peak_kib = process_cost(server.pid)
    common = {"devices": len(devices), "duration_s": args.duration, "interval_s": args.interval}
    p99: dict[str, float | None] = {}
    for name, samples in (("push", tally.push), ("pull", tally.pull)):
        p99[name] = percentile_ms(samples, 0.99)
        emit(
            bench=f"load_{name}",
            **common,
            requests=len(samples),
            p50_ms=percentile_ms(samples, 0.50),
            p99_ms=p99[name],
            max_ms=percentile_ms(samples, 1.0),
        )
    emit(
        bench="load_totals",
        **common,
        wall_s=round(wall, 2),
        syncs=tally.syncs,
        requests=tally.requests,
        requests_per_s=round(tally.requests / wall, 1),
        events_pushed=tally.events,
        errors=tally.errors,
        error_kinds=tally.error_kinds,
        machine_cpus=os.cpu_count(),
        machine_load_1min=round(os.getloadavg()[0], 2),
    )
    server_cpu = cpu_after - cpu_before
    emit(
        bench="load_server",
        **common,
        cpu_s=round(server_cpu, 2),
        cpu_share=round(server_cpu / wall, 3),
        peak_rss_mib=round(peak_kib / 1024, 1),
        rss_mib=process_rss_mib(server.pid),
    )
    client_cpu = sum(outcome.cpu_s for outcome in outcomes)
    busiest = max(outcome.cpu_s / outcome.wall_s for outcome in outcomes)
    emit(
        bench="load_client",
        **common,
        workers=len(outcomes),
        cpu_s=round(client_cpu, 2),
        cpu_share=round(client_cpu / wall, 3),
        busiest_worker_share=round(busiest, 3),
        client_saturated=busiest > CLIENT_SATURATED,
        connection_wait_p99_ms=percentile_ms(tally.queued, 0.99),
    )
    worst = max((value for value in p99.values() if value is not None), default=None)
    return {
        "devices": len(devices),
        "p99_ms": worst,
        "errors": tally.errors,
        "server_cpu_share": round(server_cpu / wall, 3),
        "client_saturated": busiest > CLIENT_SATURATED,
    }


CLIENT_SATURATED = 0.8
"""A worker that used more than this share of a core may have delayed its own requests."""


def states(devices: list[SeededDevice]) -> list[DeviceState]:
    return [
        DeviceState(device.device_id, device.token, device.households, 0.0) for device in devices
    ]


def stagger(devices: list[DeviceState], interval: float) -> None:
    """Spread the devices' first syncs evenly over one interval."""
    for index, device in enumerate(devices):
        device.start_delay = interval * index / len(devices)


def find_knee(
    server: ServerProcess, store_path: Path, campaign_id: str, args: argparse.Namespace
) -> None:
    devices: list[DeviceState] = []
    count, last_ok = args.devices, None
    while count <= args.max_devices:
        store = Store(store_path)
        _, added = seed_devices(
            store,
            count - len(devices),
            campaign_id=campaign_id,
            first=len(devices),
            callbacks=args.callbacks,
        )
        store.close()
        devices += states(added)
        stagger(devices, args.interval)
        step = measure(server, campaign_id, devices, args)
        emit(bench="load_step", **step)
        p99, errors = step["p99_ms"], step["errors"]
        if errors or p99 is None or float(str(p99)) > args.p99_limit_ms:
            knee(args, last_ok, count, f"{errors} errors" if errors else f"p99 {p99} ms")
            return
        last_ok = count
        count = max(count + 1, round(count * args.knee_factor))
    knee(args, last_ok, None, "--max-devices reached")


def knee(args: argparse.Namespace, last_ok: int | None, over: int | None, why: str) -> None:
    emit(
        bench="load_knee",
        last_ok_devices=last_ok,
        first_over_devices=over,
        over_because=why,
        p99_limit_ms=args.p99_limit_ms,
        interval_s=args.interval,
        note="indicative: client and server share this machine's cores",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=1000, help="devices (the first step)")
    parser.add_argument("--duration", type=float, default=300.0, help="seconds of load a step")
    parser.add_argument("--interval", type=float, default=30.0, help="seconds between syncs")
    parser.add_argument("--connections", type=int, default=100, help="HTTP connections, all")
    parser.add_argument("--workers", type=int, default=2, help="generator processes")
    parser.add_argument("--find-knee", action="store_true", help="grow until p99 or errors")
    parser.add_argument("--knee-factor", type=float, default=1.5, help="device growth a step")
    parser.add_argument("--max-devices", type=int, default=50_000, help="stop growing here")
    parser.add_argument("--p99-limit-ms", type=float, default=250.0)
    parser.add_argument(
        "--callbacks", action="store_true", help="an open callback for every household"
    )
    parser.add_argument("--smoke", action="store_true", help="20 devices, 6 s, every 2 s")
    args = parser.parse_args()
    if args.smoke:
        args.devices, args.duration, args.interval = 20, 6.0, 2.0
        args.max_devices = min(args.max_devices, 45)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "load.sqlite"
        store = Store(db_path)
        started = time.perf_counter()
        campaign_id, seeded = seed_devices(
            store, 0 if args.find_knee else args.devices, callbacks=args.callbacks
        )
        emit(bench="load_seed", devices=len(seeded), seed_s=round(time.perf_counter() - started, 2))
        store.close()
        with ServerProcess(db_path, api_only=True) as server:
            if args.find_knee:
                find_knee(server, db_path, campaign_id, args)
            else:
                devices = states(seeded)
                stagger(devices, args.interval)
                measure(server, campaign_id, devices, args)


if __name__ == "__main__":
    main()
