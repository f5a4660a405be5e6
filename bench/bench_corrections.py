"""Server figures for callers' corrections (issue 15): what notes and number corrections cost
a push next to plain outcomes, and how long a "needs another language" hand-off takes.

    .venv/bin/python -m bench.bench_corrections            # 2,000 events a kind, 200 hand-offs
    .venv/bin/python -m bench.bench_corrections --smoke    # small and quick, for CI

In-process over a real SQLite file (push_pull.push in one transaction per batch, as the
endpoint runs it); prints one JSON object per line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.events import Event, EventPayload, NoteAdded, OutcomeRecorded, PhoneCorrected  # noqa: E402
from app.core.protocol import PushRequest  # noqa: E402
from sync_server.auth import DeviceIdentity  # noqa: E402
from sync_server.db import Store  # noqa: E402
from sync_server.push_pull import push  # noqa: E402
from tests.support.phone_bank import PhoneBank, join_device  # noqa: E402

warnings.filterwarnings("ignore", message=".*starlette.testclient.*")
BATCH = 100


def emit(**figures: Any) -> None:
    print(json.dumps(figures), flush=True)


class Device:
    """A joined device pushing straight into the server's push, batch by batch."""

    def __init__(self, store: Store, bank: PhoneBank, caller_name: str) -> None:
        self.store = store
        self.caller = caller = bank.caller(caller_name, ("en",))
        joined = join_device(store, caller)
        self.identity = DeviceIdentity(device_id=joined.device_id, caller_id=caller.id)
        self.seq = 0

    def push(self, payloads: list[EventPayload]) -> None:
        events = []
        for payload in payloads:
            self.seq += 1
            events.append(
                Event(
                    event_id=uuid.uuid4(),
                    seq=self.seq,
                    recorded_at=datetime.now(UTC),
                    payload=payload,
                )
            )
        request = PushRequest(device_id=self.identity.device_id, events=events)
        with self.store.transaction() as db:
            push(db, self.identity, request)


def events_per_second(
    device: Device, household_ids: list[str], make: Callable[[str, int], EventPayload]
) -> float:
    payloads = [
        make(household_ids[i % len(household_ids)], i) for i in range(len(household_ids) * 4)
    ]
    started = time.perf_counter()
    for start in range(0, len(payloads), BATCH):
        device.push(payloads[start : start + BATCH])
    return len(payloads) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI")
    arguments = parser.parse_args()
    households, handoffs, speakers = (50, 20, 3) if arguments.smoke else (500, 200, 20)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.sqlite")
        bank = PhoneBank.create(store)
        campaign = bank.campaign.id
        for index in range(speakers):
            bank.caller(f"Speaker {index}", ("es", "en"))
        ana = Device(store, bank, "Ana")
        ids = [household.id for household in bank.households(ana.caller, households)]
        kinds: dict[str, Callable[[str, int], EventPayload]] = {
            "no_answer outcome": lambda h, i: OutcomeRecorded(
                campaign_id=campaign, household_id=h, disposition="no_answer"
            ),
            "note": lambda h, i: NoteAdded(campaign_id=campaign, household_id=h, text=f"note {i}"),
            "number added": lambda h, i: PhoneCorrected(
                campaign_id=campaign, household_id=h, new_number=f"+1510556{i % 10000:04d}"
            ),
        }
        for kind, make in kinds.items():
            rate = events_per_second(ana, ids, make)
            emit(
                bench="push_events_per_s",
                kind=kind,
                households=households,
                batch=BATCH,
                value=round(rate),
            )
        timings = []
        for household_id in ids[:handoffs]:
            started = time.perf_counter()
            ana.push(
                [
                    OutcomeRecorded(
                        campaign_id=campaign,
                        household_id=household_id,
                        disposition="language_needed",
                        language_needed="Spanish",
                    )
                ]
            )
            timings.append((time.perf_counter() - started) * 1000)
        with store.reading() as db:
            handed = db.execute(
                "SELECT count(*) FROM language_handoffs WHERE status = 'handed'"
            ).fetchone()[0]
        emit(
            bench="handoff_push_ms",
            callers=speakers + 1,
            households=households,
            handed=handed,
            p50=round(statistics.median(timings), 2),
            p95=round(sorted(timings)[int(len(timings) * 0.95) - 1], 2),
        )
        store.close()


if __name__ == "__main__":
    main()
