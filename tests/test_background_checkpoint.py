"""Checkpoints run off the request path (sync_server.db.Checkpointer): commits still reach the
database file, a store closes cleanly, and a server killed before any checkpoint loses
nothing it acknowledged."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import httpx

from app.core.protocol import PushResponse
from sync_server import auth
from sync_server.db import Store
from tests.support.events import outcome_event, push_body
from tests.support.phone_bank import join_device
from tests.support.server import ServerProcess
from tests.support.server_rows import make_household, new_campaign, seed_households


def rows_in_file_alone(path: Path, copy: Path) -> int:
    """The rows of ``t`` in the database file without its WAL (what a checkpoint copied);
    0 while a copy taken in the middle of a checkpoint does not read as a database."""
    shutil.copyfile(path, copy)
    conn = sqlite3.connect(copy)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        return int(conn.execute("SELECT count(*) FROM t").fetchone()[0]) if "t" in tables else 0
    except sqlite3.DatabaseError:
        return 0
    finally:
        conn.close()


def test_commits_reach_the_database_file_without_a_request_checkpointing(tmp_path: Path) -> None:
    store = Store(tmp_path / "bank.sqlite")
    assert store.checkpointer is not None
    assert store.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] > 1000  # backstop only
    with store.transaction() as db:
        db.execute("CREATE TABLE t (n INTEGER)")
    for n in range(20):
        with store.transaction() as db:
            db.execute("INSERT INTO t VALUES (?)", [n])

    deadline = time.monotonic() + 60  # a wait for the thread, not a speed limit
    while rows_in_file_alone(store.path, tmp_path / "copy.sqlite") < 20:
        assert time.monotonic() < deadline, "the checkpointer never copied the WAL"
        time.sleep(0.05)
    assert store.checkpointer.checkpoints >= 1
    store.close()


def test_closing_the_store_stops_the_thread_and_removes_the_wal(tmp_path: Path) -> None:
    store = Store(tmp_path / "bank.sqlite")
    with store.transaction() as db:
        db.execute("CREATE TABLE t (n INTEGER)")
        db.execute("INSERT INTO t VALUES (1)")
    checkpointer = store.checkpointer
    assert checkpointer is not None

    store.close()

    assert not checkpointer._thread.is_alive()
    assert not (tmp_path / "bank.sqlite-wal").exists()
    assert rows_in_file_alone(tmp_path / "bank.sqlite", tmp_path / "copy.sqlite") == 1


def test_a_database_in_memory_has_no_checkpointer() -> None:
    store = Store(":memory:")
    assert store.checkpointer is None
    with store.transaction() as db:
        db.execute("CREATE TABLE t (n INTEGER)")
    store.close()


def test_a_server_killed_mid_stream_keeps_every_acknowledged_event(tmp_path: Path) -> None:
    db_path = tmp_path / "bank.sqlite"
    store = Store(db_path)
    with store.transaction() as db:
        campaign = new_campaign(db)
        caller = auth.create_caller(db, "Ana", ["en"])
    household = make_household(0)
    seed_households(store, campaign.id, [household], caller_id=caller.id)
    device = join_device(store, caller)
    store.close()
    events = [outcome_event(seq, campaign.id, household.id) for seq in range(1, 301)]

    with ServerProcess(db_path, api_only=True) as server:
        with httpx.Client(base_url=server.url, headers=device.headers) as client:
            for start in range(0, 300, 100):
                response = client.post(
                    "/api/v1/sync/push",
                    json=push_body(device.device_id, events[start : start + 100]),
                )
                assert PushResponse.model_validate_json(response.content).last_acked_seq == (
                    start + 100
                )
        server.kill()  # a power cut for the process: no shutdown, no last checkpoint

        server.start()
        with httpx.Client(base_url=server.url, headers=device.headers) as client:
            again = client.post(
                "/api/v1/sync/push", json=push_body(device.device_id, events[-100:])
            )
    assert {result["status"] for result in again.json()["results"]} == {"duplicate"}
    reopened = Store(db_path)
    with reopened.reading() as db:
        stored = [row[0] for row in db.execute("SELECT seq FROM events ORDER BY seq")]
    reopened.close()
    assert stored == list(range(1, 301))
