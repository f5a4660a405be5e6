"""Where the milliseconds of a 100-event push go, measured inside a real server.

    .venv/bin/python -m bench.profile_push                  # 50 pushes of 100 events
    .venv/bin/python -m bench.profile_push --batches 5 --top 10

The API (``create_app``, every middleware) runs under uvicorn in this process's main
thread on a free loopback port, with cProfile on the event loop thread and on every
worker thread FastAPI runs the sync endpoint in; a client in its own process (neither
sharing the GIL nor profiled) pushes the batches over HTTP. Prints the per-request
milliseconds of each phase (JSON parsing, validation, the push itself and its SQL and
effects, the response), then the top functions by own time. cProfile slows Python code
more than C code, so the shares, not the absolute milliseconds, are the figure.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import multiprocessing
import pstats
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from sync_server.app import create_app
from sync_server.db import Store
from tests.support.server import free_port

from .bench_sync import events, seed

# (label, a piece of the file's path, function name): cumulative time per request.
PHASES: tuple[tuple[str, str, str], ...] = (
    ("whole request, event loop (uvicorn run_asgi)", "uvicorn/protocols", "run_asgi"),
    ("  body JSON parsing (json.loads)", "json/__init__", "loads"),
    ("  body validation (FastAPI request_body_to_args)", "fastapi/dependencies", "request_body_"),
    ("  body validation (raw bytes, model_validate_json)", "pydantic/main", "model_validate_json"),
    ("  endpoint, worker thread (run_endpoint_function)", "fastapi/routing", "run_endpoint_"),
    ("    device token check (current_device)", "sync_server/deps", "current_device"),
    ("    push() inside the transaction", "sync_server/push_pull", "push"),
    ("      storing the events (_store_events)", "sync_server/push_pull", "_store_events"),
    ("      effects (apply_event_effects)", "sync_server/effects", "apply_event_effects"),
    ("    COMMIT (the generator of sqlite-utils' atomic)", "sqlite_utils/db", "atomic"),
    ("  response serialisation (serialize_response)", "fastapi/routing", "serialize_response"),
    ("  response rendering (JSONResponse.render)", "starlette/responses", "render"),
)


def _profile_new_threads(profilers: list[cProfile.Profile]) -> None:
    """Profile each thread started from now on (FastAPI's worker threads)."""

    def start(*_: Any) -> None:
        sys.setprofile(None)
        profiler = cProfile.Profile()
        profilers.append(profiler)
        profiler.enable()

    threading.setprofile(start)


def _client(url: str, bodies: list[str], token: str) -> None:
    _wait_ready(url)
    with httpx.Client(
        base_url=url,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    ) as client:
        for body in bodies:
            client.post("/api/v1/sync/push", content=body).raise_for_status()


def _wait_ready(url: str) -> None:
    for _ in range(200):
        try:
            httpx.get(f"{url}/api/health", timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer")


def phase_table(stats: pstats.Stats, requests: int) -> list[tuple[str, float]]:
    """Each phase's cumulative milliseconds per request (0 when its function never ran)."""
    table = []
    raw: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    for label, where, name in PHASES:
        total = sum(
            entry[3]
            for (path, _, function), entry in raw.items()
            if where in path and (function == name or function.startswith(name))
        )
        table.append((label, total * 1000 / requests))
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=50, help="pushes of --batch events")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--top", type=int, default=30, help="functions listed by own time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "profile.sqlite"
        store = Store(path)
        campaign_id, households, device_id, token = seed(store, 500)
        store.close()
        pending = events(campaign_id, households, 1, args.batches * args.batch)
        bodies = [
            json.dumps(
                {
                    "device_id": device_id,
                    "events": [e.model_dump(mode="json") for e in pending[i : i + args.batch]],
                }
            )
            for i in range(0, len(pending), args.batch)
        ]
        url = f"http://127.0.0.1:{free_port()}"
        port = int(url.rsplit(":", 1)[1])
        server = uvicorn.Server(
            uvicorn.Config(create_app(path), host="127.0.0.1", port=port, log_level="warning")
        )
        client = multiprocessing.get_context("spawn").Process(
            target=_client, args=(url, bodies, token)
        )
        client.start()  # its own process: the client neither shares the GIL nor is measured

        def stop_when_done() -> None:
            client.join()
            server.should_exit = True

        watcher = threading.Thread(target=stop_when_done)
        watcher.start()  # before the profiler
        profilers: list[cProfile.Profile] = []
        _profile_new_threads(profilers)
        main_profiler = cProfile.Profile()
        main_profiler.enable()
        server.run()
        main_profiler.disable()
        threading.setprofile(None)
        for profiler in profilers:
            profiler.disable()
        watcher.join()
    out = io.StringIO()
    stats = pstats.Stats(main_profiler, stream=out)
    for profiler in profilers:
        stats.add(profiler)
    requests = args.batches
    print(f"# {requests} pushes of {args.batch} events through one real server, under cProfile")
    print("# per request, cumulative ms (phases nest; indented lines are inside the one above)")
    for label, ms in phase_table(stats, requests):
        print(f"{ms:9.2f}  {label}")
    stats.sort_stats("tottime").print_stats(args.top)
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))


if __name__ == "__main__":
    main()
