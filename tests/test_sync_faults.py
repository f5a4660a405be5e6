"""What goes wrong between a device and the server, and what must still hold afterwards.

Faults are injected at the transport (lost requests and answers, refusals, 401s), in the
device store (a crash between two steps), or by killing a real server process. Every
test checks rows: the server's ``events`` and the device's ``outbox`` and cache.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.core.errors import RejoinNeeded, TransientSyncError
from app.core.models import Caller, Household
from app.store import DeviceStore
from app.store import device_store as device_store_module
from app.sync import SyncClient, SyncReport
from sync_server.db import Store
from tests.support.events import record_outcome
from tests.support.faulty_transport import FaultyTransport
from tests.support.phone_bank import PhoneBank
from tests.support.server import ServerProcess

URL = "http://phonebank.test"
pytestmark = pytest.mark.anyio


@pytest.fixture
def households(bank: PhoneBank, ana: Caller) -> list[Household]:
    return bank.households(ana, 4)


@pytest.fixture
async def client(
    device_store: DeviceStore,
    transport: FaultyTransport,
    bank: PhoneBank,
    ana: Caller,
    households: Any,
) -> AsyncIterator[SyncClient]:
    async with SyncClient(device_store, transport=transport) as sync_client:
        await sync_client.join(URL, bank.invite(ana))
        await sync_client.sync_once()
        yield sync_client


def record(
    device_store: DeviceStore, bank: PhoneBank, households: list[Household], count: int
) -> list[str]:
    return [
        str(
            record_outcome(
                device_store, bank.campaign.id, households[index % len(households)].id, "no_answer"
            ).event_id
        )
        for index in range(count)
    ]


def outbox(device_store: DeviceStore) -> list[dict[str, Any]]:
    return list(device_store.db.query("SELECT * FROM outbox ORDER BY position"))


def server_ids(bank: PhoneBank) -> list[str]:
    return [row["event_id"] for row in bank.events()]


def assert_all_delivered(bank: PhoneBank, device_store: DeviceStore, ids: list[str]) -> None:
    """Each event stored exactly once, in the order recorded per server device, and acked."""
    wanted = set(ids)
    stored = [row for row in bank.events() if row["event_id"] in wanted]
    assert sorted(row["event_id"] for row in stored) == sorted(ids)
    recorded = {event_id: position for position, event_id in enumerate(ids)}
    for device_id in {row["device_id"] for row in stored}:
        in_seq_order = [row["event_id"] for row in stored if row["device_id"] == device_id]
        assert in_seq_order == sorted(in_seq_order, key=recorded.__getitem__)
    assert {row["state"] for row in outbox(device_store)} == {"acked"}


# -- 1, 2, 3: lost requests, lost answers, the same batch twice ----------------------------


@pytest.mark.parametrize("fault", ["lose_response", "lose_request"])
async def test_a_lost_push_is_retried_and_stored_exactly_once(
    client: SyncClient,
    device_store: DeviceStore,
    transport: FaultyTransport,
    bank: PhoneBank,
    households: list[Household],
    fault: Any,
) -> None:
    ids = record(device_store, bank, households, 3)
    transport.fail("sync/push", fault)
    with pytest.raises(TransientSyncError):
        await client.sync_once()
    # Lost on the way back, the server has it; lost on the way there, it has nothing.
    assert server_ids(bank) == (ids if fault == "lose_response" else [])
    assert [row["state"] for row in outbox(device_store)] == ["pending"] * 3
    await client.sync_once()
    assert server_ids(bank) == ids
    assert_all_delivered(bank, device_store, ids)


class FirstPushesMeet(httpx.AsyncBaseTransport):
    """Holds the first push until a second one is on its way too, so that two tasks both
    send their first batch before the server has stored either (the server may answer a
    push without yielding, before the other task has read its outbox)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.pushes = 0
        self.both_sent = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/push") and not self.both_sent.is_set():
            self.pushes += 1
            if self.pushes == 2:
                self.both_sent.set()
            else:
                with suppress(TimeoutError):  # then the assertion below says so
                    await asyncio.wait_for(self.both_sent.wait(), 10)
        return await self.inner.handle_async_request(request)


async def test_the_same_batch_sent_by_two_tasks_at_once_is_stored_once(
    client: SyncClient,  # joined the device and pulled its list
    device_store: DeviceStore,
    transport: FaultyTransport,
    bank: PhoneBank,
    households: list[Household],
) -> None:
    ids = record(device_store, bank, households, 450)
    meeting = FirstPushesMeet(transport)
    async with (
        SyncClient(device_store, transport=meeting) as one,
        SyncClient(device_store, transport=meeting) as twin,
    ):
        await asyncio.gather(one.sync_once(), twin.sync_once())
    batches = [json.loads(body)["events"] for path, body in transport.sent if "push" in path]
    first_seqs = [batch[0]["seq"] for batch in batches]
    assert first_seqs.count(1) == 2  # both tasks really sent the first batch
    assert server_ids(bank) == ids
    assert [row["seq"] for row in bank.events()] == list(range(1, 451))
    assert_all_delivered(bank, device_store, ids)


async def test_raw_duplicate_pushes_in_parallel_store_one_copy(
    client: SyncClient,
    device_store: DeviceStore,
    server_app: FastAPI,
    bank: PhoneBank,
    households: Any,
) -> None:
    record(device_store, bank, households, 20)
    identity = device_store.identity
    assert identity is not None
    body = {
        "device_id": identity.device_id,
        "events": [e.model_dump(mode="json") for e in device_store.pending_events()],
    }
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=server_app), base_url=URL
    ) as http:
        answers = await asyncio.gather(
            *[
                http.post(
                    "/api/v1/sync/push",
                    json=body,
                    headers={"Authorization": f"Bearer {identity.token}"},
                )
                for _ in range(5)
            ]
        )
    assert [a.status_code for a in answers] == [200] * 5
    assert [row["seq"] for row in bank.events()] == list(range(1, 21))


# -- 5: the device crashes between the server's ack and marking the outbox -----------------


async def test_a_crash_after_the_ack_makes_the_resend_a_harmless_duplicate(
    client: SyncClient,
    device_store: DeviceStore,
    transport: FaultyTransport,
    bank: PhoneBank,
    households: list[Household],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = record(device_store, bank, households, 5)

    def power_cut(self: DeviceStore, last_acked_seq: int) -> int:
        raise SystemExit("battery died")

    monkeypatch.setattr(DeviceStore, "mark_acked", power_cut)
    with pytest.raises(SystemExit):
        await client.sync_once()
    monkeypatch.undo()
    assert server_ids(bank) == ids
    await client.aclose()
    device_store.close()

    restarted = DeviceStore.open(tmp_path / "device.db")
    assert restarted.pending_count() == 5
    async with SyncClient(restarted, transport=transport) as after_restart:
        report = await after_restart.sync_once()
    assert report.pushed == 5
    push_answers = [json.loads(body) for path, body in transport.sent if "push" in path]
    assert len(push_answers) == 2
    assert server_ids(bank) == ids
    assert_all_delivered(bank, restarted, ids)


# -- 6: a seq gap ---------------------------------------------------------------------------


async def test_a_seq_gap_makes_the_client_resend_from_where_the_server_is(
    client: SyncClient, device_store: DeviceStore, bank: PhoneBank, households: list[Household]
) -> None:
    ids = record(device_store, bank, households, 3)
    await client.sync_once()
    ids += record(device_store, bank, households, 3)
    # The device wrongly believes 4..6 arrived (as if an answer were misread).
    device_store.mark_acked(6)
    ids += record(device_store, bank, households, 2)
    report = await client.sync_once()
    assert report.pushed == 5
    assert [row["seq"] for row in bank.events()] == list(range(1, 9))
    assert server_ids(bank) == ids
    assert_all_delivered(bank, device_store, ids)


# -- 7: the server is restored from an older backup ----------------------------------------


def back_up(store: Store, path: Path) -> sqlite3.Connection:
    backup = sqlite3.connect(path)
    with store.lock:
        store.db.conn.backup(backup)
    return backup


def restore(store: Store, backup: sqlite3.Connection) -> None:
    with store.lock:
        backup.backup(store.db.conn)
    backup.close()


RestoreLastNight = Callable[[int], Awaitable[list[str]]]


@pytest.fixture
def restore_last_night(
    client: SyncClient,
    device_store: DeviceStore,
    bank: PhoneBank,
    store: Store,
    households: list[Household],
    tmp_path: Path,
) -> RestoreLastNight:
    """Record ``before`` outcomes and sync; back the server up; record 3 more and sync; then
    restore the backup: the server has lost the last 3. Returns every id recorded."""

    async def restore_after(before: int) -> list[str]:
        ids = record(device_store, bank, households, before)
        await client.sync_once()
        backup = back_up(store, tmp_path / "backup.sqlite")
        ids += record(device_store, bank, households, 3)
        await client.sync_once()
        assert len(bank.events()) == before + 3
        restore(store, backup)  # the server comes back from last night's copy
        assert len(bank.events()) == before
        return ids

    return restore_after


async def test_a_server_restored_from_backup_resets_and_gets_the_lost_events_again(
    client: SyncClient,
    device_store: DeviceStore,
    bank: PhoneBank,
    households: list[Household],
    restore_last_night: RestoreLastNight,
) -> None:
    ids = await restore_last_night(3)
    ids += record(device_store, bank, households, 1)
    report = await client.sync_once()
    assert report.reset
    assert server_ids(bank) == ids
    assert [row["seq"] for row in bank.events()] == list(range(1, 8))
    assert_all_delivered(bank, device_store, ids)
    outcome_ids = {
        row["event_id"] for row in device_store.db.query("SELECT event_id FROM outcomes")
    }
    assert outcome_ids == set(ids)  # the snapshot brought every outcome back, once


async def test_a_restored_server_gets_the_lost_events_again_with_nothing_new_to_send(
    client: SyncClient,
    device_store: DeviceStore,
    bank: PhoneBank,
    restore_last_night: RestoreLastNight,
) -> None:
    # A caller who records nothing after the restore: no push, so no 409 to learn from.
    ids = await restore_last_night(2)
    report = await client.sync_once()
    assert report.reset
    assert report.pushed == 3
    assert server_ids(bank) == ids
    assert [row["seq"] for row in bank.events()] == list(range(1, 6))
    assert_all_delivered(bank, device_store, ids)
    assert (await client.sync_once()).pushed == 0  # and nothing more, next time


# -- 8: a household reassigned while the device was offline --------------------------------


async def test_outcomes_for_a_household_reassigned_offline_are_kept_and_it_leaves(
    client: SyncClient,
    device_store: DeviceStore,
    transport: FaultyTransport,
    bank: PhoneBank,
    households: list[Household],
) -> None:
    leaving = households[0]
    transport.offline = True
    ids = [
        str(record_outcome(device_store, bank.campaign.id, leaving.id, "no_answer").event_id),
        str(device_store.add_note(bank.campaign.id, leaving.id, "try after 6").event_id),
        str(record_outcome(device_store, bank.campaign.id, households[1].id, "busy").event_id),
    ]
    bank.reassign(leaving.id, bank.caller("Bo"))
    with pytest.raises(TransientSyncError):
        await client.sync_once()
    transport.offline = False
    await client.sync_once()
    rows = bank.events()
    assert [row["event_id"] for row in rows] == ids
    assert [row["quarantined"] for row in rows] == [1, 1, 0]
    assert device_store.household(leaving.id) is None
    assert leaving.id not in {item.household_id for item in device_store.households_for_list()}
    assert device_store.outcomes_for(leaving.id) == []
    assert [row["event_id"] for row in outbox(device_store)] == ids  # the outbox keeps them all
    assert {h.id for h in (device_store.household(x.id) for x in households[1:]) if h} == {
        x.id for x in households[1:]
    }


# -- 9: device clocks that are wrong --------------------------------------------------------


async def test_device_clocks_days_off_or_running_backwards_do_not_reorder_anything(
    device_store: DeviceStore,
    transport: FaultyTransport,
    bank: PhoneBank,
    ana: Caller,
    households: list[Household],
    tmp_path: Path,
) -> None:
    start = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    backwards = iter(start - timedelta(days=3 * n) for n in range(100))
    ahead = iter(start + timedelta(days=40, minutes=n) for n in range(100))
    device_store.clock = lambda: next(backwards)
    second = DeviceStore.open(tmp_path / "second.db", clock=lambda: next(ahead))
    async with (
        SyncClient(device_store, transport=transport) as first_client,
        SyncClient(second, transport=transport) as second_client,
    ):
        for sync_client in (first_client, second_client):
            await sync_client.join(URL, bank.invite(ana))
            await sync_client.sync_once()
        first_ids = record(device_store, bank, households, 6)
        second_ids = record(second, bank, households, 4)
        await first_client.sync_once()
        await second_client.sync_once()
        await first_client.sync_once()
    for store, ids in ((device_store, first_ids), (second, second_ids)):
        identity = store.identity
        assert identity is not None
        rows = bank.rows(
            "SELECT event_id, seq FROM events WHERE device_id = ? ORDER BY seq",
            [identity.device_id],
        )
        assert [(r["event_id"], r["seq"]) for r in rows] == [
            (i, n) for n, i in enumerate(ids, start=1)
        ]
    # The recorded_at of a backwards clock is kept as it was, for display only.
    recorded = [r["recorded_at"] for r in bank.rows("SELECT recorded_at FROM events")]
    assert min(recorded) < "2026-02-20" and max(recorded) > "2026-04-01"
    assert len(list(device_store.db.query("SELECT 1 FROM outcomes"))) == 10


# -- 10: the token is revoked in the middle of a sync --------------------------------------


@pytest.mark.parametrize("lose_last_answer", [False, True])
async def test_a_token_revoked_mid_sync_keeps_the_outbox_and_rejoining_sends_it(
    client: SyncClient,
    device_store: DeviceStore,
    transport: FaultyTransport,
    bank: PhoneBank,
    ana: Caller,
    households: list[Household],
    lose_last_answer: bool,
) -> None:
    ids = record(device_store, bank, households, 450)
    old = device_store.identity
    assert old is not None
    pushes = 0

    def revoke_after_first_batch(path: str) -> None:
        nonlocal pushes
        if path.endswith("/push"):
            pushes += 1
            if pushes == 1:
                bank.revoke(old.device_id)

    transport.before_response = revoke_after_first_batch
    if lose_last_answer:  # the first batch was stored, but its answer never came
        transport.fail("sync/push", "lose_response")
        with pytest.raises(TransientSyncError):
            await client.sync_once()
    with pytest.raises(RejoinNeeded):
        await client.sync_once()
    transport.before_response = None
    acked = 0 if lose_last_answer else 200
    assert client.status.rejoin_needed and client.status.pending == 450 - acked
    assert "re-join" in (client.status.last_error or "")
    assert len(outbox(device_store)) == 450
    assert len(bank.events()) == 200
    with pytest.raises(RejoinNeeded):  # stays stopped, without asking the server
        await client.sync_once()

    await client.join(URL, bank.invite(ana))
    new = device_store.identity
    assert new is not None and new.device_id != old.device_id
    assert [e.seq for e in device_store.pending_events(500)] == list(range(1, 451 - acked))
    await client.sync_once()
    assert not client.status.rejoin_needed
    assert_all_delivered(bank, device_store, ids)
    new_rows = bank.rows("SELECT seq FROM events WHERE device_id = ?", [new.device_id])
    assert len(new_rows) == 250
    [server_device] = bank.rows("SELECT last_seq FROM devices WHERE id = ?", [new.device_id])
    assert server_device["last_seq"] == 450 - acked


# -- 11: two devices of one caller, both offline -------------------------------------------


async def test_two_devices_of_one_caller_both_offline_both_arrive(
    client: SyncClient,
    device_store: DeviceStore,
    transport: FaultyTransport,
    bank: PhoneBank,
    ana: Caller,
    households: list[Household],
    server_app: FastAPI,
    tmp_path: Path,
) -> None:
    tablet = DeviceStore.open(tmp_path / "tablet.db")
    tablet_transport = FaultyTransport(httpx.ASGITransport(app=server_app))
    async with SyncClient(tablet, transport=tablet_transport) as tablet_client:
        await tablet_client.join(URL, bank.invite(ana))
        await tablet_client.sync_once()
        transport.offline = tablet_transport.offline = True
        phone_ids = record(device_store, bank, households, 5)
        tablet_ids = record(tablet, bank, households, 7)
        transport.offline = tablet_transport.offline = False
        await asyncio.gather(client.sync_once(), tablet_client.sync_once())
        await client.sync_once()
    assert sorted(server_ids(bank)) == sorted(phone_ids + tablet_ids)
    assert_all_delivered(bank, device_store, phone_ids)
    assert_all_delivered(bank, tablet, tablet_ids)
    # Each device now also sees the other's outcomes, once.
    seen = [row["event_id"] for row in device_store.db.query("SELECT event_id FROM outcomes")]
    assert sorted(seen) == sorted(phone_ids + tablet_ids)


# -- 12: a pull interrupted mid-page -------------------------------------------------------


def cache(device_store: DeviceStore) -> dict[str, list[dict[str, Any]]]:
    return {
        table: list(device_store.db.query(f"SELECT * FROM {table} ORDER BY 1"))
        for table in ("campaigns", "households", "assignments", "follow_ups", "outcomes", "meta")
    }


async def test_a_pull_answer_lost_applies_nothing_and_the_next_pull_recovers(
    client: SyncClient,
    device_store: DeviceStore,
    transport: FaultyTransport,
    bank: PhoneBank,
    ana: Caller,
) -> None:
    before, cursor = cache(device_store), device_store.cursor
    added = bank.households(ana, 2, start=50)
    transport.fail("sync/pull", "lose_response")
    with pytest.raises(TransientSyncError):
        await client.sync_once()
    assert cache(device_store) == before and device_store.cursor == cursor
    report = await client.sync_once()
    assert not report.reset  # the server sends the lost page again, no full snapshot
    listed = {item.household_id for item in device_store.households_for_list()}
    assert {h.id for h in added} <= listed and len(listed) == 6


async def test_a_crash_while_applying_a_page_leaves_no_half_page(
    client: SyncClient,
    device_store: DeviceStore,
    bank: PhoneBank,
    ana: Caller,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before, cursor = cache(device_store), device_store.cursor
    bank.households(ana, 3, start=60)
    real_apply = device_store_module.apply_change
    applied: list[str] = []

    def crash_on_the_third(db: Any, change: Any) -> Any:
        if len(applied) == 2:
            raise MemoryError("killed by the OS")
        applied.append(change.id)
        return real_apply(db, change)

    monkeypatch.setattr(device_store_module, "apply_change", crash_on_the_third)
    with pytest.raises(MemoryError):
        await client.sync_once()
    assert len(applied) == 2
    assert cache(device_store) == before and device_store.cursor == cursor
    assert "unexpectedly" in (client.status.last_error or "")
    monkeypatch.undo()
    await client.sync_once()
    assert len(device_store.households_for_list()) == 7


# -- 4: the server process is killed mid-push ----------------------------------------------


@pytest.fixture
def server_process(tmp_path: Path) -> Iterator[tuple[ServerProcess, PhoneBank, Caller]]:
    db_path = tmp_path / "server.sqlite"
    seeded = Store(db_path)
    bank = PhoneBank.create(seeded)
    caller = bank.caller("Ana")
    bank.households(caller, 20)
    process = ServerProcess(db_path, api_only=True).start()
    try:
        yield process, bank, caller
    finally:
        process.stop()
        seeded.close()


@dataclass
class OnRealServer:
    """A device joined to a real server process (Ana's, 20 households), synced once."""

    process: ServerProcess
    bank: PhoneBank
    client: SyncClient
    device_store: DeviceStore
    households: list[Household]


@pytest.fixture
async def on_real_server(
    server_process: tuple[ServerProcess, PhoneBank, Caller], tmp_path: Path
) -> AsyncIterator[OnRealServer]:
    process, bank, ana = server_process
    device_store = DeviceStore.open(tmp_path / "device.db")
    async with SyncClient(device_store, timeout=10) as client:
        await client.join(process.url, bank.invite(ana))
        await client.sync_once()
        listed = [
            device_store.household(x.household_id) for x in device_store.households_for_list()
        ]
        yield OnRealServer(process, bank, client, device_store, [h for h in listed if h])


BACKLOG = 1600  # 8 batches: room for two kills mid-stream


async def sync_after_restart(client: SyncClient) -> SyncReport:
    """A freshly started server may drop the first connection; the run loop would retry."""
    for _ in range(2):
        try:
            return await client.sync_once()
        except TransientSyncError:
            await asyncio.sleep(0.5)
    return await client.sync_once()


@pytest.mark.slow
async def test_a_server_killed_mid_push_keeps_whole_batches_and_loses_nothing(
    on_real_server: OnRealServer,
) -> None:
    process, bank, client = on_real_server.process, on_real_server.bank, on_real_server.client
    device_store = on_real_server.device_store
    ids = record(device_store, bank, on_real_server.households, BACKLOG)
    for _ in range(2):  # kill it twice, mid-stream
        syncing = asyncio.ensure_future(client.sync_once())
        before = len(bank.events())
        while len(bank.events()) == before and not syncing.done():
            await asyncio.sleep(0.002)
        process.kill()
        with pytest.raises(TransientSyncError):
            await syncing
        rows = bank.events()
        # Nothing partial: whole batches only, contiguous, and last_seq agrees.
        assert [row["seq"] for row in rows] == list(range(1, len(rows) + 1))
        assert len(rows) % 200 == 0 and 0 < len(rows) < BACKLOG
        [server_device] = bank.rows("SELECT last_seq FROM devices")
        assert server_device["last_seq"] == len(rows)
        assert server_ids(bank) == ids[: len(rows)]
        process.start()

    await sync_after_restart(client)
    assert_all_delivered(bank, device_store, ids)
    assert [row["seq"] for row in bank.events()] == list(range(1, BACKLOG + 1))


# -- 7 again, the realistic way: stop, put last night's file back, start -------------------


@pytest.mark.slow
async def test_a_server_restarted_from_a_backup_file_gets_the_lost_events_again(
    on_real_server: OnRealServer, tmp_path: Path
) -> None:
    process, bank, client = on_real_server.process, on_real_server.bank, on_real_server.client
    device_store, callable_households = on_real_server.device_store, on_real_server.households
    ids = record(device_store, bank, callable_households, 10)
    await client.sync_once()
    backup_path = tmp_path / "nightly.sqlite"
    with bank.store.lock, sqlite3.connect(backup_path) as backup:
        bank.store.db.conn.backup(backup)
    ids += record(device_store, bank, callable_households, 10)
    await client.sync_once()
    process.stop()
    bank.store.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{process.db_path}{suffix}").unlink(missing_ok=True)
    shutil.copy(backup_path, process.db_path)
    bank.store = Store(process.db_path)
    assert len(bank.events()) == 10
    process.start()
    ids += record(device_store, bank, callable_households, 5)
    report = await sync_after_restart(client)
    assert report.reset
    assert server_ids(bank) == ids
    assert_all_delivered(bank, device_store, ids)
