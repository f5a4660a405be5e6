"""Every benchmark still runs: its smoke mode prints figures as JSON lines (never judged
against a time here — the figures belong in bench/ output, not in assertions)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SMOKE_RUNS = {
    "bench.bench_sync": ["--smoke"],
    "bench.bench_device": ["--smoke"],
    "bench.bench_import": ["--rows", "1000"],
    "bench.bench_dashboard": ["--households", "2000", "--events", "10000"],
    "bench.bench_load": ["--smoke", "--callbacks"],
    "bench.bench_soak": ["--smoke"],
    "bench.bench_pwa": ["--smoke"],
    "bench.bench_anonymise": ["--households", "2000", "--events", "10000"],
    "bench.bench_corrections": ["--smoke"],
    "bench.bench_pull_scale": ["--smoke"],
    "bench.bench_sync_cost": ["--smoke", "--history-days", "2", "--daily", "--callbacks"],
}
BROWSER = {"bench.bench_pwa"}
"""Drive Chromium: skipped by the quick loop (-m "not browser")."""


def test_every_bench_script_has_a_smoke_run() -> None:
    scripts = {f"bench.{path.stem}" for path in (ROOT / "bench").glob("bench_*.py")}
    assert scripts == set(SMOKE_RUNS)


@pytest.mark.parametrize(
    ("module", "arguments"),
    [
        pytest.param(module, arguments, marks=[pytest.mark.browser] if module in BROWSER else [])
        for module, arguments in SMOKE_RUNS.items()
    ],
)
def test_the_smoke_run_prints_json_figures(module: str, arguments: list[str]) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", module, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-2000:]
    figures = [json.loads(line) for line in finished.stdout.splitlines() if line.strip()]
    assert figures, "no figures printed"
    assert all(isinstance(figure.get("bench"), str) for figure in figures)
