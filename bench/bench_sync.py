"""Sync throughput over real HTTP on loopback: push events/s by batch size, pull times.

    .venv/bin/python -m bench.bench_sync            # full figures
    .venv/bin/python -m bench.bench_sync --smoke    # a quick run for CI

Prints one JSON line per figure.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx

from app.core.dispositions import DEFAULT_DISPOSITIONS
from app.core.events import Event, OutcomeRecorded
from app.core.models import CampaignDraft, Household, PhoneNumber
from sync_server import auth
from sync_server.campaigns import create_campaign
from sync_server.clock import iso
from sync_server.db import Store
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
            event_id=uuid.uuid4(),
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


def bench_push(
    url: str,
    token: str,
    device_id: str,
    campaign_id: str,
    households: list[str],
    batch: int,
    total: int,
    first_seq: int,
) -> int:
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
        base_url=url,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    ) as client:
        started = time.perf_counter()
        for body in bodies:
            sent = time.perf_counter()
            response = client.post("/api/v1/sync/push", content=body)
            response.raise_for_status()
            latencies.append(time.perf_counter() - sent)
        elapsed = time.perf_counter() - started
    emit(
        bench="push",
        batch=batch,
        events=total,
        seconds=round(elapsed, 3),
        events_per_s=round(total / elapsed),
        request_p50_ms=round(statistics.median(latencies) * 1000, 2),
    )
    return first_seq + total


def bench_floor(campaign_id: str, households: list[str], total: int) -> float:
    """The same rows inserted with sqlite-utils in one transaction: the ceiling of push."""
    with tempfile.TemporaryDirectory() as folder:
        floor_store = Store(Path(folder) / "floor.sqlite")
        db = floor_store.db
        rows = [
            {
                "event_id": str(event.event_id),
                "device_id": "d",
                "seq": event.seq,
                "caller_id": "c",
                "kind": event.payload.kind,
                "campaign_id": campaign_id,
                "household_id": event.payload.household_id,
                "disposition": "no_answer",
                "channel": "call",
                "payload": event.payload.model_dump_json(),
                "recorded_at": iso(event.recorded_at),
                "received_at": iso(event.recorded_at),
                "quarantined": 0,
                "quarantine_status": None,
                "version": event.seq,
            }
            for event in events(campaign_id, households, 1, total)
        ]
        db.execute("PRAGMA foreign_keys=OFF")
        started = time.perf_counter()
        with db.atomic():
            db.table("events").insert_all(rows, batch_size=500)
        elapsed = time.perf_counter() - started
        floor_store.close()
    rate = total / elapsed
    emit(bench="push_floor", events=total, seconds=round(elapsed, 3), events_per_s=round(rate))
    return rate


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
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI")
    args = parser.parse_args()
    total = 200 if args.smoke else 5000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "push.sqlite"
        store = Store(path)
        campaign_id, households, device_id, token = seed(store, 500)
        store.close()
        floor = bench_floor(campaign_id, households, total)
        with ServerProcess(path, api_only=True) as server:
            url = server.url
            seq = 1
            for batch in (1, 10, 100, 200):
                count = min(total, 500) if batch == 1 else total
                before = time.perf_counter()
                seq = bench_push(url, token, device_id, campaign_id, households, batch, count, seq)
                if batch == 100:
                    rate = count / (time.perf_counter() - before)
                    emit(bench="push_vs_floor", batch=100, ratio=round(rate / floor, 3))
    for size in (50, 500) if args.smoke else (50, 500, 5000):
        bench_pull(size)


if __name__ == "__main__":
    main()
