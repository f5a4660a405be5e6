"""Sync throughput over real HTTP on loopback: push events/s by batch size, pull times.

    .venv/bin/python -m bench.bench_sync            # full figures
    .venv/bin/python -m bench.bench_sync --smoke    # a quick run for CI
    .venv/bin/python -m bench.bench_sync --batches 100 --no-pull   # push at batch 100 only

Prints one JSON line per figure. ``push_floor`` is the SQLite floor: the same rows put in
the same table with one ``executemany`` in one transaction, no HTTP, no Python per row
beyond the tuple (the median of three runs); ``push_vs_floor`` is push at batch 100 over it.
``sqlite_durability`` states the server's journal and ``synchronous`` settings, to set
next to a peer's (PouchDB's LevelDB writes without fsync: compare with WAL + NORMAL).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from app.core.dispositions import DEFAULT_DISPOSITIONS
from app.core.event_ids import uuid7
from app.core.events import Event, OutcomeRecorded
from app.core.models import CampaignDraft, Household, PhoneNumber
from sync_server import auth
from sync_server.campaigns import create_campaign
from sync_server.clock import iso
from sync_server.db import Store
from sync_server.push_pull import _INSERT_EVENT
from tests.support.server import ServerProcess
from tests.support.server_rows import seed_households

NO_ANSWER = next(d for d in DEFAULT_DISPOSITIONS if d.code == "no_answer")


def emit(**figures: object) -> None:
    print(json.dumps(figures), flush=True)


def seed(store: Store, households: int) -> tuple[str, list[str], str, str]:
    """A campaign with ``households`` assigned to one caller; returns ids and a device token."""
    with store.transaction() as db:
        campaign = create_campaign(db, CampaignDraft(slug="bench", name="Bench"))
        caller = auth.create_caller(db, "Bench caller", ["en", "es"])
        code, _ = auth.create_invite(db, caller.id)
        device_id, token, _ = auth.join(db, code)
        seeded = [
            Household(
                id=str(uuid.uuid4()),
                name=f"Family {index}",
                phones=[PhoneNumber(number=f"+1510{2000000 + index:07d}")],
                language="es" if index % 2 else "en",
                tags=["no-device"] if index % 3 == 0 else [],
            )
            for index in range(households)
        ]
        seed_households(store, campaign.id, seeded, caller_id=caller.id)
    return campaign.id, [household.id for household in seeded], device_id, token


def events(campaign_id: str, households: list[str], first_seq: int, count: int) -> list[Event]:
    return [
        Event(
            event_id=uuid7(),  # as a device mints it (app.store.device_store)
            seq=seq,
            recorded_at=datetime.now(UTC),
            # As a current device records it: with the effects its disposition has.
            payload=OutcomeRecorded(
                campaign_id=campaign_id,
                household_id=households[seq % len(households)],
                disposition="no_answer",
                effects=NO_ANSWER.effects,
                notes="Rang out; will try after school pick-up",
            ),
        )
        for seq in range(first_seq, first_seq + count)
    ]


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


@dataclass
class Pushed:
    """One push run: the next seq, and the server's and client's CPU seconds it took."""

    next_seq: int
    server_cpu_s: float
    client_cpu_s: float
    seconds: float


def bench_push(
    server: ServerProcess,
    token: str,
    device_id: str,
    campaign_id: str,
    households: list[str],
    batch: int,
    total: int,
    first_seq: int,
) -> Pushed:
    pending = events(campaign_id, households, first_seq, total)
    bodies = [
        json.dumps(
            {
                "device_id": device_id,
                "events": [e.model_dump(mode="json") for e in pending[i : i + batch]],
            }
        )
        for i in range(0, total, batch)
    ]
    latencies = []
    with httpx.Client(
        base_url=server.url,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    ) as client:
        server_cpu, _ = process_cost(server.pid)
        client_cpu = time.process_time()
        started = time.perf_counter()
        for body in bodies:
            sent = time.perf_counter()
            response = client.post("/api/v1/sync/push", content=body)
            response.raise_for_status()
            latencies.append(time.perf_counter() - sent)
        elapsed = time.perf_counter() - started
        client_cpu = time.process_time() - client_cpu
        server_cpu = process_cost(server.pid)[0] - server_cpu
    emit(
        bench="push",
        batch=batch,
        events=total,
        seconds=round(elapsed, 3),
        events_per_s=round(total / elapsed),
        request_p50_ms=round(statistics.median(latencies) * 1000, 2),
        server_cpu_s=round(server_cpu, 2),
        events_per_server_cpu_s=round(total / server_cpu) if server_cpu else None,
        client_cpu_s=round(client_cpu, 2),
    )
    return Pushed(first_seq + total, server_cpu, client_cpu, elapsed)


def stored_outcome_row(
    event: Event, device_id: str, caller_id: str, version: int
) -> tuple[object, ...]:
    """A no-answer outcome ``event`` as push stores it, in ``_INSERT_EVENT``'s columns,
    received when it was recorded."""
    payload = event.payload
    assert isinstance(payload, OutcomeRecorded)
    return (
        str(event.event_id),
        device_id,
        event.seq,
        caller_id,
        payload.kind,
        payload.campaign_id,
        payload.household_id,
        payload.disposition,
        "call",
        payload.model_dump_json(),
        iso(event.recorded_at),
        iso(event.recorded_at),
        0,
        None,
        None,
        version,
    )


def bench_floor(
    campaign_id: str, households: list[str], total: int, runs: int = 3
) -> tuple[float, float]:
    """The same rows inserted in one transaction, without HTTP: the ceiling of push."""
    rows = [
        stored_outcome_row(event, "d", "c", event.seq)
        for event in events(campaign_id, households, 1, total)
    ]
    timings, cpu = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            floor_store = Store(Path(folder) / "floor.sqlite")
            db = floor_store.db
            db.execute("PRAGMA foreign_keys=OFF")
            started, cpu_started = time.perf_counter(), time.process_time()
            with db.atomic():
                db.conn.executemany(_INSERT_EVENT, rows)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            floor_store.close()
    elapsed = statistics.median(timings)
    rate = total / elapsed
    emit(
        bench="push_floor",
        events=total,
        seconds=round(elapsed, 3),
        events_per_s=round(rate),
        runs_s=[round(seconds, 3) for seconds in timings],
        cpu_s=round(statistics.median(cpu), 3),
        events_per_cpu_s=round(total / statistics.median(cpu)),
    )
    return rate, total / statistics.median(cpu)


def durability(path: Path) -> None:
    """The settings every server connection opens with (sync_server.db.connect)."""
    store = Store(path)
    journal = store.db.execute("PRAGMA journal_mode").fetchone()[0]
    synchronous = store.db.execute("PRAGMA synchronous").fetchone()[0]
    store.close()
    emit(
        bench="sqlite_durability",
        journal_mode=journal,
        synchronous={0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[synchronous],
        note="WAL+NORMAL: a commit survives a process crash, not a power cut; "
        "PouchDB's leveldown writes with sync:false, the same class",
    )


def bench_pull(households: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "pull.sqlite")
        _, _, device_id, token = seed(store, households)
        store.close()
        with (
            ServerProcess(Path(folder) / "pull.sqlite", api_only=True) as server,
            httpx.Client(
                base_url=server.url, headers={"Authorization": f"Bearer {token}"}
            ) as client,
        ):
            started = time.perf_counter()
            cursor, pages, raw = None, 0, b""
            while True:
                response = client.post(
                    "/api/v1/sync/pull",
                    json={"device_id": device_id, "cursor": cursor, "limit": 2000},
                )
                response.raise_for_status()
                raw += response.content
                pages += 1
                cursor = response.json()["cursor"]
                if not response.json()["has_more"]:
                    break
            first = time.perf_counter() - started
            started = time.perf_counter()
            empty = client.post(
                "/api/v1/sync/pull", json={"device_id": device_id, "cursor": cursor}
            )
            incremental = time.perf_counter() - started
            assert empty.json()["changes"] == []
    emit(
        bench="pull_first",
        households=households,
        pages=pages,
        ms=round(first * 1000, 1),
        bytes=len(raw),
        gzip_bytes=len(gzip.compress(raw)),
    )
    emit(bench="pull_empty", households=households, ms=round(incremental * 1000, 2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI")
    parser.add_argument("--events", type=int, help="events pushed per batch size (5000)")
    parser.add_argument(
        "--batches", default="1,10,100,200", help="batch sizes, comma-separated (1,10,100,200)"
    )
    parser.add_argument("--no-pull", action="store_true", help="skip the pull figures")
    args = parser.parse_args()
    total = args.events or (200 if args.smoke else 5000)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "push.sqlite"
        store = Store(path)
        campaign_id, households, device_id, token = seed(store, 500)
        store.close()
        durability(path)
        floor, floor_per_cpu_s = bench_floor(campaign_id, households, total)
        with ServerProcess(path, api_only=True) as server:
            seq = 1
            for batch in (int(size) for size in args.batches.split(",")):
                count = min(total, 500) if batch == 1 else total
                run = bench_push(
                    server, token, device_id, campaign_id, households, batch, count, seq
                )
                seq = run.next_seq
                if batch == 100:
                    emit(
                        bench="push_vs_floor",
                        batch=100,
                        ratio=round(count / run.seconds / floor, 3),
                        # The same with CPU seconds: the server's for push, this process's
                        # for the floor; steadier than wall time on a shared machine.
                        cpu_ratio=round(count / run.server_cpu_s / floor_per_cpu_s, 3)
                        if run.server_cpu_s
                        else None,
                    )
    if not args.no_pull:
        for size in (50, 500) if args.smoke else (50, 500, 5000):
            bench_pull(size)


if __name__ == "__main__":
    main()
