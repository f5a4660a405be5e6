"""bench_load's generator runs in worker processes and its --find-knee mode grows the device
count step by step until p99 or errors stop it (tiny counts; no timing is judged here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def run_bench(*arguments: str) -> list[dict[str, Any]]:
    """bench_load's figures (it fails the test with its stderr shown if it fails)."""
    printed = subprocess.check_output(
        [sys.executable, "-m", "bench.bench_load", *arguments], cwd=ROOT, text=True, timeout=600
    )
    return [json.loads(line) for line in printed.splitlines() if line.strip()]


def test_find_knee_grows_the_devices_until_it_stops_and_says_why() -> None:
    figures = run_bench("--smoke", "--find-knee", "--workers", "2")

    steps = [figure for figure in figures if figure["bench"] == "load_step"]
    assert [step["devices"] for step in steps][:1] == [20]
    counts = [step["devices"] for step in steps]
    assert counts == sorted(set(counts)) and counts[-1] <= 45
    knee = figures[-1]
    assert knee["bench"] == "load_knee"
    stopped_early = steps[-1]["errors"] > 0 or steps[-1]["p99_ms"] > knee["p99_limit_ms"]
    if stopped_early:
        assert knee["first_over_devices"] == counts[-1]
    else:
        assert knee["last_ok_devices"] == counts[-1] and knee["first_over_devices"] is None
    clients = [figure for figure in figures if figure["bench"] == "load_client"]
    servers = [figure for figure in figures if figure["bench"] == "load_server"]
    assert len(clients) == len(servers) == len(steps)
    assert all(client["workers"] == 2 and client["cpu_s"] > 0 for client in clients)
    assert all(server["cpu_s"] > 0 and server["rss_mib"] > 0 for server in servers)


def test_the_workers_push_every_device_s_events_once() -> None:
    """Several processes, one server: every event each device pushed is acknowledged once,
    so the figures count real work, not retries or collisions between workers."""
    figures = {figure["bench"]: figure for figure in run_bench("--smoke", "--workers", "3")}

    totals = figures["load_totals"]
    assert totals["errors"] == 0, totals["error_kinds"]
    assert totals["syncs"] >= 20  # each of the 20 devices synced at least once
    assert totals["events_pushed"] >= totals["syncs"]  # 1-3 events a sync
    assert figures["load_push"]["requests"] == totals["syncs"]
    assert figures["load_client"]["workers"] == 3
