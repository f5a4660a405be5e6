"""How fast a supervisor's CSV becomes households: a generated file of --rows rows (mixed
languages, ~2% bad rows, ~5% duplicate families) imported into a fresh database on disk,
then imported again (every row a merge). Prints one JSON line per run.

    .venv/bin/python bench/bench_import.py --rows 100000
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core.models import CampaignDraft
from sync_server.campaigns import create_campaign
from sync_server.db import Store
from sync_server.importer import import_households

AREA_CODES = ["510", "415", "212", "718", "305", "213", "617", "312", "702", "206", "512"]
FAMILIES = ["García", "Nguyen", "Smith", "Peña", "Chen", "Haddad", "Santos", "Johnson", "Lee"]
FIRST = ["María", "José", "Linh", "Wei", "Fatima", "John", "Ana", "Luis", "Mei", "Omar"]
LANGUAGES = [
    "English",
    "Spanish",
    "Español",
    "Chinese",
    "Cantonese",
    "Vietnamese",
    "Arabic",
    "Tagalog",
    "en",
    "es",
    "",
]
NEEDS = ["", "", "no device", "hotspot", "food; housing", "no device, transport"]
HEADER = [
    "Student ID",
    "Family Name",
    "Parent First Name",
    "Student Name",
    "Phone",
    "Cell",
    "Home Language",
    "Needs",
    "School",
    "Grade",
]


def _phone(rng: random.Random) -> str:
    area, exchange, line = rng.choice(AREA_CODES), rng.randint(200, 999), rng.randint(0, 9999)
    style = rng.randrange(4)
    if style == 0:
        return f"({area}) {exchange}-{line:04d}"
    if style == 1:
        return f"{area}.{exchange}.{line:04d}"
    if style == 2:
        return f"+1 {area} {exchange} {line:04d}"
    return f"{area}{exchange}{line:04d}"


def generate_csv(rows: int, seed: int = 2026) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    earlier: list[tuple[str, str]] = []
    for number in range(rows):
        family, phone = f"{rng.choice(FAMILIES)}-{number}", _phone(rng)
        roll = rng.random()
        if roll < 0.05 and earlier:  # a sibling: same family and phone as an earlier row
            family, phone = rng.choice(earlier)
        elif roll < 0.06:
            phone = "555-01"  # invalid: rejected
        elif roll < 0.07:
            family = ""  # no name: rejected
        earlier.append((family, phone))
        cell = _phone(rng) if rng.random() < 0.3 else ""
        writer.writerow(
            [
                f"S{number:07d}",
                family,
                rng.choice(FIRST),
                rng.choice(FIRST),
                phone,
                cell,
                rng.choice(LANGUAGES),
                rng.choice(NEEDS),
                f"School {number % 40}",
                str(rng.randint(0, 12)),
            ]
        )
    return out.getvalue().encode("utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="data rows in the file")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "households.csv"
        path.write_bytes(generate_csv(args.rows, args.seed))
        store = Store(Path(tmp) / "bench.sqlite")
        with store.transaction() as db:
            campaign = create_campaign(db, CampaignDraft(slug="bench", name="Bench"))
        for run in ("import", "reimport"):
            started, cpu_started = time.perf_counter(), time.process_time()
            report = import_households(store, path.read_bytes(), campaign_id=campaign.id)
            seconds = time.perf_counter() - started
            cpu_seconds = time.process_time() - cpu_started
            print(
                json.dumps(
                    {
                        "bench": run,
                        "rows": report.rows_read,
                        "seconds": round(seconds, 3),
                        # CPU time too: on a shared machine wall time tells of the neighbours.
                        "cpu_seconds": round(cpu_seconds, 3),
                        "rows_per_s": round(report.rows_read / seconds) if seconds else None,
                        "imported": report.imported,
                        "merged": report.merged,
                        "rejected": len(report.rejected),
                        "added_to_campaign": report.added_to_campaign,
                    }
                ),
                flush=True,
            )
        store.close()


if __name__ == "__main__":
    main()
