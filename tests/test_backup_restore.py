"""`phonebank backup` while devices keep pushing to a running `phonebank serve`, then
`phonebank restore` of that backup onto the stopped server: after the devices' next sync
the server holds every outcome again, once. Real processes, a real SQLite file, the
project's own sync client."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path

import pytest

from app.core.errors import TransientSyncError
from app.core.models import Household
from app.store import DeviceStore
from app.sync import SyncClient
from sync_server.backup import NotABackup, ServerRunning, check_backup, restore, server_lock
from sync_server.db import Store
from tests.support.events import record_outcome
from tests.support.phone_bank import PhoneBank
from tests.support.server import ROOT, ServerProcess, phonebank

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

DEVICES = 3


async def phonebank_async(*args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "sync_server.cli",
        *args,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await process.communicate()
    return process.returncode or 0, out.decode()


class Device:
    def __init__(self, store: DeviceStore, client: SyncClient) -> None:
        self.store, self.client = store, client

    def record(self, campaign_id: str, households: list[Household], count: int) -> None:
        for index in range(count):
            record_outcome(
                self.store, campaign_id, households[index % len(households)].id, "no_answer"
            )

    async def sync(self) -> None:
        # A server that has just started may drop a first connection: the run loop retries.
        for _ in range(5):
            try:
                await self.client.sync_once()
                return
            except TransientSyncError:
                await asyncio.sleep(0.3)
        await self.client.sync_once()

    def event_ids(self) -> set[str]:
        return {str(event.event_id) for event in self.store.outbox_events()}


def server_events(db_path: Path) -> list[tuple[str, str, int]]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT event_id, device_id, seq FROM events").fetchall()
    conn.close()
    return [(str(a), str(b), int(c)) for a, b, c in rows]


async def test_backup_while_pushing_restore_and_the_devices_resend_what_it_lost(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "data" / "phonebank.sqlite"
    db_path.parent.mkdir()
    seeding = Store(db_path)
    bank = PhoneBank.create(seeding)
    callers = [bank.caller(f"Caller {n}") for n in range(DEVICES)]
    households = {c.id: bank.households(c, 5, start=10 * n) for n, c in enumerate(callers)}
    codes = [bank.invite(c) for c in callers]
    seeding.close()

    server = ServerProcess(db_path).start()
    devices: list[Device] = []
    try:
        for n, (caller, code) in enumerate(zip(callers, codes, strict=True)):
            store = DeviceStore.open(tmp_path / f"device-{n}.db")
            client = SyncClient(store, timeout=10)
            await client.join(server.url, code)
            devices.append(Device(store, client))
            await devices[-1].sync()
            devices[-1].record(bank.campaign.id, households[caller.id], 3)
            await devices[-1].sync()

        # The backup runs while every device keeps recording and pushing.
        backup_file = tmp_path / "backups" / "nightly.sqlite"
        backup_file.parent.mkdir()
        backup_task = asyncio.create_task(
            phonebank_async("backup", str(backup_file), "--db", str(db_path))
        )
        while not backup_task.done():
            for device, caller in zip(devices, callers, strict=True):
                device.record(bank.campaign.id, households[caller.id], 1)
                await device.sync()
        status, out = await backup_task
        assert status == 0, out
        assert "Backed up" in out
        check_backup(backup_file)

        # More outcomes arrive after the backup: these are what the restore will lose.
        for device, caller in zip(devices, callers, strict=True):
            device.record(bank.campaign.id, households[caller.id], 4)
            await device.sync()
        before_restore = server_events(db_path)
        assert len(before_restore) > len(server_events(backup_file))

        # A restore refuses while the server runs on the database.
        refused = phonebank("restore", str(backup_file), "--db", str(db_path))
        assert refused.returncode == 1
        assert "is running on" in refused.stderr and "stop it first" in refused.stderr

        server.stop()
        restored = phonebank("restore", str(backup_file), "--db", str(db_path))
        assert restored.returncode == 0, restored.stderr
        assert len(server_events(db_path)) < len(before_restore)
        server.start()

        # The next syncs: one device has something new, the others have nothing to push.
        devices[0].record(bank.campaign.id, households[callers[0].id], 1)
        for device in devices:
            await device.sync()
    finally:
        for device in devices:
            await device.client.aclose()
        server.stop()

    stored = server_events(db_path)
    on_devices = set().union(*(device.event_ids() for device in devices))
    assert {event_id for event_id, _, _ in stored} == on_devices  # 0 lost
    assert len(stored) == len(on_devices)  # 0 duplicated
    for device in devices:
        identity = device.store.identity
        assert identity is not None
        seqs = sorted(seq for _, device_id, seq in stored if device_id == identity.device_id)
        assert seqs == list(range(1, len(seqs) + 1))
        assert device.store.pending_count() == 0
        device.store.close()


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database")
    with pytest.raises(NotABackup, match="not a Phonebank database"):
        restore(junk, tmp_path / "phonebank.sqlite")
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()
    with pytest.raises(NotABackup, match="not a Phonebank database"):
        restore(empty, tmp_path / "phonebank.sqlite")
    missing = phonebank(
        "restore", str(tmp_path / "nope.sqlite"), "--db", str(tmp_path / "x.sqlite")
    )
    assert missing.returncode == 1
    assert "There is no backup file" in missing.stderr


def test_the_server_lock_is_held_by_one_holder_and_freed_when_it_goes(tmp_path: Path) -> None:
    db_path = tmp_path / "phonebank.sqlite"
    with server_lock(db_path):
        taken = server_lock(db_path)
        with pytest.raises(ServerRunning, match="stop it first"):
            taken.__enter__()
    with server_lock(db_path):  # released: free again
        pass


def test_backup_refuses_a_missing_database_and_an_unwritable_place(tmp_path: Path) -> None:
    missing = phonebank("backup", str(tmp_path / "b.sqlite"), "--db", str(tmp_path / "none.sqlite"))
    assert missing.returncode == 1
    store = Store(tmp_path / "phonebank.sqlite")
    store.close()
    nowhere = phonebank(
        "backup",
        str(tmp_path / "no" / "such" / "b.sqlite"),
        "--db",
        str(tmp_path / "phonebank.sqlite"),
    )
    assert nowhere.returncode == 1
    assert "Cannot write" in nowhere.stderr
