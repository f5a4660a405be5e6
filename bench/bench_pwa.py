"""The offline caller app in Chromium: what a first visit downloads, and how long a start
takes to a usable screen, next to a bare Pyodide boot on the same machine.

    .venv/bin/python -m bench.bench_pwa              # 3 runs of each
    .venv/bin/python -m bench.bench_pwa --smoke      # 1 run, for CI
    .venv/bin/python -m bench.bench_pwa --web DIR    # another build (e.g. an old commit's)

Figures (one JSON object per line):
- ``bundle``: files and bytes; what a first visit downloads, per browser, with brotli (what
  Chromium gets here, and every current browser from HTTPS) and with gzip only.
- ``bare_pyodide_boot_s``: a page that only loads Pyodide from the bundle (HTTP cache warm).
- desktop (360×740): ``cold_start_to_join_screen_s`` (first visit, new profile),
  ``warm_…`` (reload), ``offline_…`` (reload with the network off), and
  ``returning_offline_start_to_list_s`` (a joined caller, network off, until a household
  row is on screen); each with its ratio to the bare Pyodide boot.
- ``phone_…``: the same offline starts at 360×740, device scale 3, with the whole of
  Chromium (renderer, worker and GPU processes alike) slowed SLOWDOWN times by pausing and
  resuming its processes — CDP's CPU throttling reaches only the page's main thread, not
  the Python worker — and the peak memory of the renderer and of all of Chromium.

Builds the bundle if its sources changed (unless --web), serves it with `phonebank serve`
on loopback with a small seeded phone bank, and drives Debian's Chromium (headless,
software rendering).
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sync_server.db import Store  # noqa: E402
from sync_server.pwa import (  # noqa: E402
    BROWSERS,
    DEFAULT_OUT,
    build_web,
    first_visit_bytes,
    is_stale,
)
from sync_server.pwa.precache import COPIES, served_bytes  # noqa: E402
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402
from tests.support.families import seed_bank  # noqa: E402
from tests.support.phone_bank import invite  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

TIMEOUT_MS = 300_000
SLOWDOWN = 4
"""A phone's CPU against this VM's: Chromium runs one period in SLOWDOWN."""
PERIOD_S = 0.02
HOUSEHOLD = "household-hh-chen"


def emit(**figure: Any) -> None:
    print(json.dumps({"bench": "pwa", **figure}), flush=True)


def bundle_files(folder: Path) -> dict[str, str]:
    return dict(json.loads((folder / "bundle.json").read_text())["files"])


# ------------------------------------------------------------------------- Chromium's processes


def chromium_processes() -> list[psutil.Process]:
    """Every Chromium process this bench started (they descend from it via Playwright)."""
    found = []
    for process in psutil.Process().children(recursive=True):
        try:
            if "chromium" in process.name() or "chrome" in process.name():
                found.append(process)
        except psutil.NoSuchProcess:
            continue
    return found


def is_renderer(process: psutil.Process) -> bool:
    try:
        return "--type=renderer" in process.cmdline()
    except psutil.Error:
        return False


class MemoryPeak:
    """Samples the RSS of Chromium's processes until stopped: the largest renderer, and all."""

    def __init__(self) -> None:
        self.renderer = self.total = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            renderer = total = 0
            for process in chromium_processes():
                try:
                    rss = process.memory_info().rss
                except psutil.Error:
                    continue
                total += rss
                if is_renderer(process):
                    renderer = max(renderer, rss)
            self.renderer = max(self.renderer, renderer)
            self.total = max(self.total, total)

    def __enter__(self) -> MemoryPeak:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def slowed(factor: int) -> Iterator[None]:
    """Chromium runs one PERIOD_S in ``factor``: SIGSTOP/SIGCONT on all of its processes."""
    stop = threading.Event()

    def duty_cycle() -> None:
        while not stop.is_set():
            processes = chromium_processes()
            for process in processes:
                _signal(process, signal.SIGCONT)
            time.sleep(PERIOD_S / factor)
            for process in processes:
                _signal(process, signal.SIGSTOP)
            time.sleep(PERIOD_S * (factor - 1) / factor)
        for process in chromium_processes():
            _signal(process, signal.SIGCONT)

    thread = threading.Thread(target=duty_cycle, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        for process in chromium_processes():
            _signal(process, signal.SIGCONT)


def _signal(process: psutil.Process, number: int) -> None:
    with suppress(psutil.Error):
        process.send_signal(number)


# ------------------------------------------------------------------------------- one start


def enable_semantics(page: Any) -> None:
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=TIMEOUT_MS)
    page.evaluate("document.querySelector('flt-semantics-placeholder')?.click()")


def join_screen(page: Any) -> None:
    enable_semantics(page)
    page.get_by_role("textbox", name="Invite code").wait_for(timeout=TIMEOUT_MS)


def household_list(page: Any) -> None:
    enable_semantics(page)
    page.locator(f"[flt-semantics-identifier='{HOUSEHOLD}']").wait_for(
        state="attached", timeout=TIMEOUT_MS
    )


def timed_start(page: Any, url: str, until: Callable[[Any], None]) -> float:
    """Seconds from opening ``url`` until ``until(page)`` returns."""
    started = time.monotonic()
    page.goto(url, wait_until="commit")
    until(page)
    return time.monotonic() - started


def settle(page: Any, *, snapshot: bool) -> None:
    """After a first start: the service worker is in control and (for bundles that make
    one) Python's snapshot is stored, as it is long before a caller opens the app again."""
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=TIMEOUT_MS)
    if snapshot:
        page.wait_for_function(
            "caches.open('python-snapshot').then(c => c.keys())"
            ".then(keys => keys.some(request => request.url.endsWith('/runtime')))",
            timeout=TIMEOUT_MS,
            polling=250,
        )


class Bench:
    def __init__(self, playwright: Any, server: ServerProcess, store: Store, web: Path) -> None:
        self.chromium = playwright.chromium
        self.server = server
        self.store = store
        self.caller = seed_bank(store).caller
        files = bundle_files(web)
        self.snapshot = "python-snapshot.js" in files
        self.pyodide = next(name for name in files if name.endswith("/pyodide.mjs"))

    def launch(self, profile: Path, **options: Any) -> tuple[Any, Any]:
        context = self.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, **options
        )
        return context, context.pages[0] if context.pages else context.new_page()

    def invite_url(self) -> str:
        return f"{self.server.url}/?invite={invite(self.store, self.caller)}"

    def desktop(self, profile: Path) -> dict[str, float]:
        url = self.server.url + "/"
        context, page = self.launch(profile, viewport=PHONE)
        try:
            times = {"cold_start_to_join_screen_s": timed_start(page, url, join_screen)}
            settle(page, snapshot=self.snapshot)
            times["warm_start_to_join_screen_s"] = timed_start(page, url, join_screen)
            context.set_offline(True)
            times["offline_start_to_join_screen_s"] = timed_start(page, url, join_screen)
            context.set_offline(False)
            timed_start(page, self.invite_url(), household_list)
            context.set_offline(True)
            times["returning_offline_start_to_list_s"] = timed_start(page, url, household_list)
            return times
        finally:
            context.close()

    def phone(self, profile: Path) -> dict[str, float]:
        """Each slowed start is a browser launched afresh on the profile, as when a caller
        opens the app on their phone later: no renderer kept from the start before."""
        url = self.server.url + "/"
        options = {"viewport": PHONE, "device_scale_factor": 3}

        def slowed_start(until: Callable[[Any], None]) -> tuple[float, MemoryPeak]:
            context, page = self.launch(profile, **options)
            try:
                context.set_offline(True)
                with MemoryPeak() as memory, slowed(SLOWDOWN):
                    seconds = timed_start(page, url, until)
                return seconds, memory
            finally:
                context.close()

        context, page = self.launch(profile, **options)
        try:
            timed_start(page, url, join_screen)
            settle(page, snapshot=self.snapshot)
        finally:
            context.close()
        first, memory = slowed_start(join_screen)
        context, page = self.launch(profile, **options)
        try:
            timed_start(page, self.invite_url(), household_list)
        finally:
            context.close()
        returning, returning_memory = slowed_start(household_list)
        return {
            "phone_offline_start_to_join_screen_s": first,
            "phone_returning_offline_start_to_list_s": returning,
            "phone_peak_renderer_mb": max(memory.renderer, returning_memory.renderer) / 1e6,
            "phone_peak_chromium_mb": max(memory.total, returning_memory.total) / 1e6,
        }

    def bare_pyodide(self, runs: int) -> list[float]:
        """Seconds to a resolved loadPyodide() in a page that does nothing else; the first
        load warms the HTTP cache and is not counted."""
        browser = self.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(service_workers="block")
            page = context.new_page()
            html = (
                '<script type="module">'
                f'const {{ loadPyodide }} = await import("/{self.pyodide}");'
                "await loadPyodide(); window.pyodideReady = true;</script>"
            )
            page.route(
                "**/bare-pyodide.html",
                lambda route: route.fulfill(content_type="text/html", body=html),
            )
            seconds = []
            for _ in range(runs + 1):
                started = time.monotonic()
                page.goto(self.server.url + "/bare-pyodide.html", wait_until="commit")
                page.wait_for_function("window.pyodideReady === true", timeout=TIMEOUT_MS)
                seconds.append(time.monotonic() - started)
            return seconds[1:]
        finally:
            browser.close()


def first_visit_figures(web: Path) -> dict[str, Any]:
    """The bundle's size, and what a first visit downloads per browser: with brotli (what
    Chromium gets here, and every current browser from HTTPS) and with gzip only."""
    manifest = json.loads((web / "bundle.json").read_text())
    files = manifest["files"]
    figures: dict[str, Any] = {
        "files": len(files),
        "raw_mb": sum((web / name).stat().st_size for name in files) / 1e6,
    }
    for encoding in COPIES:
        sent = sum(served_bytes(web, name, encoding) for name in files)
        figures[f"{encoding}_mb"] = sent / 1e6
        for browser in BROWSERS:
            # A bundle without a precache list (built before there was one) precaches it all.
            downloaded = (
                first_visit_bytes(web, browser, encoding=encoding)
                if "precache" in manifest
                else sent
            )
            figures[f"first_visit_{browser}_{encoding}_mb"] = downloaded / 1e6
    return figures


def median_figure(name: str, values: list[float], bare: float | None, unit: str = "s") -> None:
    figure: dict[str, Any] = {"figure": name, "median": round(statistics.median(values), 2)}
    figure["runs"] = [round(value, 2) for value in values]
    if bare and unit == "s":
        figure["ratio_to_bare_pyodide"] = round(statistics.median(values) / bare, 2)
    emit(**figure)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="one run of each")
    parser.add_argument("--web", type=Path, help="a built bundle to measure (default: build/web)")
    parser.add_argument("--no-phone", action="store_true", help="skip the slowed phone runs")
    args = parser.parse_args()
    runs = 1 if args.smoke else args.runs

    web = args.web or DEFAULT_OUT
    if args.web is None and is_stale(web):
        build_web(web, progress=lambda step: print(step, file=sys.stderr))
    emit(figure="bundle", **{k: round(v, 1) for k, v in first_visit_figures(web).items()})

    from playwright.sync_api import sync_playwright

    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        db_path = Path(scratch) / "phonebank.sqlite"
        store = Store(db_path)
        server = ServerProcess(db_path, web_app=web).start()
        try:
            with sync_playwright() as playwright:
                bench = Bench(playwright, server, store, web)
                results["bare_pyodide_boot_s"] = bench.bare_pyodide(runs)
                for run in range(runs):
                    for name, value in bench.desktop(Path(scratch) / f"desktop-{run}").items():
                        results.setdefault(name, []).append(value)
                    if args.no_phone:
                        continue
                    for name, value in bench.phone(Path(scratch) / f"phone-{run}").items():
                        results.setdefault(name, []).append(value)
        finally:
            server.stop()
            store.close()
    bare = statistics.median(results["bare_pyodide_boot_s"])
    for name, values in results.items():
        unit = "mb" if name.endswith("_mb") else "s"
        compared = not name.startswith(("bare", "phone"))  # the phone runs are slowed
        median_figure(name, values, bare if compared else None, unit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
