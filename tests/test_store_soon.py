"""A device's store work runs at once on the event loop when the store is free, and in the
store's sync thread, after the holder is done, when it is not (Store.sync_transaction)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
import sqlite_utils

from sync_server.db import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "soon.sqlite")
    yield store
    store.close()


def run_push_like(store: Store, *, busy: bool) -> tuple[str, int, list[str]]:
    """Run one unit of work through ``sync_transaction`` (while another thread holds the
    store, if ``busy``); returns the thread it ran in, what it read, and the order of events."""
    happened: list[str] = []
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store.lock:
            held.set()
            release.wait(10)
            happened.append("holder done")

    def work(db: sqlite_utils.Database) -> tuple[str, int]:
        happened.append("work")
        count = db.execute("SELECT count(*) FROM devices").fetchone()[0]
        return threading.current_thread().name, int(count)

    async def main() -> tuple[str, int]:
        async with anyio.create_task_group() as group:
            result: list[tuple[str, int]] = []

            async def sync() -> None:
                result.append(await store.sync_transaction(work))

            group.start_soon(sync)
            await anyio.sleep(0.3)
            assert not result or not busy  # busy: still waiting, not run beside the holder
            release.set()
        return result[0]

    holder = threading.Thread(target=hold, name="holder")
    if busy:
        holder.start()
        held.wait(5)
    loop_thread = threading.current_thread().name
    try:
        ran_in, count = anyio.run(main)
    finally:
        release.set()
        if busy:
            holder.join()
    return ("event loop" if ran_in == loop_thread else "worker"), count, happened


def test_with_the_store_free_the_work_runs_at_once_on_the_event_loop(store: Store) -> None:
    assert run_push_like(store, busy=False) == ("event loop", 0, ["work"])


def test_with_the_store_busy_the_work_waits_for_it_in_a_worker(store: Store) -> None:
    assert run_push_like(store, busy=True) == ("worker", 0, ["holder done", "work"])
