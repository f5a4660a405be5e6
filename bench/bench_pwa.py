"""The offline caller app in Chromium: bundle size, and the time from opening the page to a
usable join screen — cold (new profile), warm (reload, files from the service worker) and
warm offline (the same with the network off).

    .venv/bin/python -m bench.bench_pwa            # 3 runs of each
    .venv/bin/python -m bench.bench_pwa --smoke    # 1 run, for CI

Builds the bundle if its sources changed, serves it with `phonebank serve` on loopback and
drives Debian's Chromium (headless, software rendering). Prints one JSON object per line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sync_server.pwa import DEFAULT_OUT, build_web, is_stale  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, ServeProcess  # noqa: E402

TIMEOUT_MS = 180_000


def emit(**figure: Any) -> None:
    print(json.dumps({"bench": "pwa", **figure}), flush=True)


def bundle_size(folder: Path) -> tuple[int, int, int]:
    """Files, raw bytes, and bytes sent to a browser that accepts gzip."""
    files = json.loads((folder / "bundle.json").read_text())["files"]
    raw = zipped = 0
    for name in files:
        path = folder / name
        raw += path.stat().st_size
        gz = path.with_name(path.name + ".gz")
        zipped += (gz if gz.exists() else path).stat().st_size
    return len(files), raw, zipped


def time_to_join_screen(page: Any, *, reload: bool, url: str) -> tuple[float, float]:
    """Seconds until the branded loading screen is up, and until the join screen is usable."""
    started = time.monotonic()
    if reload:
        page.reload(wait_until="commit")
    else:
        page.goto(url, wait_until="commit")
    page.wait_for_selector("#phonebank-loading", state="attached", timeout=TIMEOUT_MS)
    loading = time.monotonic() - started
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=TIMEOUT_MS)
    page.evaluate("document.querySelector('flt-semantics-placeholder').click()")
    page.get_by_role("textbox", name="Invite code").wait_for(timeout=TIMEOUT_MS)
    return loading, time.monotonic() - started


def run_once(chromium: Any, url: str, profile: Path) -> dict[str, tuple[float, float]]:
    context = chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport=PHONE
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        times = {"cold": time_to_join_screen(page, reload=False, url=url)}
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=TIMEOUT_MS)
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        times["warm"] = time_to_join_screen(page, reload=True, url=url)
        context.set_offline(True)
        times["offline"] = time_to_join_screen(page, reload=True, url=url)
        return times
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="one run")
    args = parser.parse_args()
    runs = 1 if args.smoke else args.runs

    if is_stale(DEFAULT_OUT):
        build_web(DEFAULT_OUT, progress=lambda step: print(step, file=sys.stderr))
    files, raw, zipped = bundle_size(DEFAULT_OUT)
    emit(figure="bundle", files=files, raw_mb=round(raw / 1e6, 1), gzip_mb=round(zipped / 1e6, 1))

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        server = ServeProcess(Path(scratch) / "phonebank.sqlite", web_app=DEFAULT_OUT).start()
        try:
            results: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": [], "offline": []}
            with sync_playwright() as playwright:
                for run in range(runs):
                    profile = Path(scratch) / f"profile-{run}"
                    times = run_once(playwright.chromium, server.url + "/", profile)
                    for kind, seconds in times.items():
                        results[kind].append(seconds)
        finally:
            server.stop()
    for kind, seconds in results.items():
        ready = [round(s[1], 2) for s in seconds]
        emit(
            figure=f"{kind}_start_to_join_screen_s",
            median=round(statistics.median(ready), 2),
            runs=ready,
            loading_screen_s=round(statistics.median(s[0] for s in seconds), 2),
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
