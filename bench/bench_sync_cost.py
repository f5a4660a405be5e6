"""What one device's sync costs the server: CPU and bytes, first pull and steady syncs.

    .venv/bin/python -m bench.bench_sync_cost                 # 300 devices, 3 syncs each
    .venv/bin/python -m bench.bench_sync_cost --devices 300 --seeded 3000
    .venv/bin/python -m bench.bench_sync_cost --history-days 180 --daily
    .venv/bin/python -m bench.bench_sync_cost --seeded 3000 --callbacks
    .venv/bin/python -m bench.bench_sync_cost --smoke         # a quick run for CI

Devices are seeded as ``bench_load`` seeds them (three households each). One client, one
request at a time, so the server's CPU (from /proc) is the cost of the requests alone, with
no load beside it: each device pulls its first snapshot, then syncs ``--syncs`` times as a
phone does every 30 s (push 1-3 outcomes, then pull from its cursor). ``--seeded`` seeds
more devices than sync, to show whether a sync's cost grows with the server's size.
``--history-days`` gives each syncing device's households that many days of past calls (an
outcome a household a day, received that day), and ``--daily`` makes the campaign a
daily-attendance one, whose devices keep only the last 8 days of them. ``--callbacks`` gives
every seeded household an open callback, as a busy campaign has thousands.
Prints one JSON line per figure.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from app.core.event_ids import uuid7
from app.core.events import Event, OutcomeRecorded
from sync_server.db import Store, next_versions
from sync_server.push_pull import _INSERT_EVENT
from tests.support.server import ServerProcess

from .bench_load import SeededDevice, seed_devices
from .bench_sync import emit, events, process_cost, stored_outcome_row


class Phone:
    """One seeded device syncing as the app does: its seq and cursor carry on."""

    def __init__(
        self, client: httpx.Client, campaign_id: str, seeded: SeededDevice, seq: int = 1
    ) -> None:
        self.client, self.campaign_id, self.seeded = client, campaign_id, seeded
        self.headers = {"Authorization": f"Bearer {seeded.token}"}
        self.seq, self.cursor = seq, None

    def push(self, count: int) -> None:
        batch = events(self.campaign_id, self.seeded.households, self.seq, count)
        body = {
            "device_id": self.seeded.device_id,
            "events": [e.model_dump(mode="json") for e in batch],
        }
        response = self.client.post(
            "/api/v1/sync/push",
            content=json.dumps(body),
            headers={**self.headers, "Content-Type": "application/json"},
        )
        response.raise_for_status()
        self.seq += count

    def pull(self) -> int:
        """Pull every page; the bytes received (as sent, gzip or not)."""
        received = 0
        while True:
            response = self.client.post(
                "/api/v1/sync/pull",
                json={"device_id": self.seeded.device_id, "cursor": self.cursor},
                headers=self.headers,
            )
            response.raise_for_status()
            received += int(response.headers.get("content-length", len(response.content)))
            page = response.json()
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return received


def seed_history(store: Store, campaign_id: str, devices: list[SeededDevice], days: int) -> int:
    """``days`` of past calls by each device: an outcome a household a day, stored as push
    stores it on that day. Returns the seq each device goes on from."""
    now = datetime.now(UTC)
    with store.transaction() as db:
        for device in devices:
            calls = [
                (now - timedelta(days=day), household_id)
                for day in range(days, 0, -1)
                for household_id in device.households
            ]
            versions = iter(next_versions(db, len(calls)))
            rows = [
                stored_outcome_row(
                    Event(
                        event_id=uuid7(),
                        seq=seq,
                        recorded_at=moment,
                        payload=OutcomeRecorded(
                            campaign_id=campaign_id,
                            household_id=household_id,
                            disposition="no_answer",
                        ),
                    ),
                    device.device_id,
                    device.caller.id,
                    next(versions),
                )
                for seq, (moment, household_id) in enumerate(calls, start=1)
            ]
            db.conn.executemany(_INSERT_EVENT, rows)
            db.execute(
                "UPDATE devices SET last_seq = ? WHERE id = ?", [len(rows), device.device_id]
            )
    return days * len(devices[0].households) + 1 if devices else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=300, help="devices that sync")
    parser.add_argument("--seeded", type=int, help="devices seeded (default: --devices)")
    parser.add_argument("--syncs", type=int, default=3, help="steady syncs per device")
    parser.add_argument(
        "--history-days", type=int, default=0, help="days of past calls per household"
    )
    parser.add_argument("--daily", action="store_true", help="a daily-attendance campaign")
    parser.add_argument(
        "--callbacks", action="store_true", help="an open callback for every household"
    )
    parser.add_argument("--smoke", action="store_true", help="20 devices, 1 sync each")
    args = parser.parse_args()
    devices, syncs = (20, 1) if args.smoke else (args.devices, args.syncs)
    seeded = max(devices, args.seeded or devices)
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cost.sqlite"
        store = Store(path)
        campaign_id, everyone = seed_devices(store, seeded, callbacks=args.callbacks)
        if args.daily:
            with store.transaction() as db:
                db.execute(
                    """UPDATE campaigns SET kind = 'daily_attendance',
                       body = json_set(body, '$.kind', 'daily_attendance') WHERE id = ?""",
                    [campaign_id],
                )
        next_seq = seed_history(store, campaign_id, everyone[:devices], args.history_days)
        store.close()
        with (
            ServerProcess(path, api_only=True) as server,
            httpx.Client(base_url=server.url) as client,
        ):
            phones = [Phone(client, campaign_id, d, next_seq) for d in everyone[:devices]]
            cpu = process_cost(server.pid)[0]
            first_bytes = sum(phone.pull() for phone in phones)
            first_cpu, cpu = process_cost(server.pid)[0] - cpu, process_cost(server.pid)[0]
            steady_bytes = 0
            for _ in range(syncs):
                for phone in phones:
                    phone.push(rng.randint(1, 3))
                    steady_bytes += phone.pull()
            steady_cpu = process_cost(server.pid)[0] - cpu
    emit(
        bench="sync_cost_first_pull",
        history_days=args.history_days,
        daily=args.daily,
        callbacks=args.callbacks,
        devices=devices,
        seeded=seeded,
        server_cpu_ms=round(first_cpu / devices * 1000, 2),
        bytes=round(first_bytes / devices),
    )
    emit(
        bench="sync_cost_steady",
        history_days=args.history_days,
        daily=args.daily,
        callbacks=args.callbacks,
        devices=devices,
        seeded=seeded,
        syncs=devices * syncs,
        server_cpu_ms=round(steady_cpu / (devices * syncs) * 1000, 2),
        pull_bytes=round(steady_bytes / (devices * syncs)),
    )


if __name__ == "__main__":
    main()
