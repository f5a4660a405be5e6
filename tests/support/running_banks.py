"""Seeded phone banks behind a running server, as the browser tests (and benches) hold them:
the caller app's sync server with the eight families, and the console's with two joined
phones."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from time import monotonic, sleep
from typing import Any

import httpx

from app.core.events import Event
from app.core.models import CallingWindow, Campaign
from sync_server import auth
from sync_server.db import Store

from .events import push_body
from .families import SeededBank, create_demo_campaign, seed_bank
from .phone_bank import SUPERVISOR, JoinedDevice, invite, join_device
from .server import ServerProcess


@dataclass
class PhoneBankServer:
    """The seeded sync server (restartable on its port) and its database, for assertions."""

    store: Store
    bank: SeededBank
    server: ServerProcess

    @property
    def url(self) -> str:
        return self.server.url

    def invite(self) -> str:
        return invite(self.store, self.bank.caller)

    def stop(self) -> None:
        self.server.stop()

    def restart(self) -> None:
        self.server.start()

    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        with self.store.reading() as db:
            return list(db.query(sql, params or []))

    def rows_once_sent(
        self, sql: str, count: int, params: list[Any] | None = None, *, within: float = 30.0
    ) -> list[dict[str, Any]]:
        """The rows once at least ``count`` have arrived (or as they are after ``within`` s).

        A phone sends its outbox a moment after the tap, on its own schedule, and its badge
        may never show "pending" in between: the server's rows are the proof it was sent.
        """
        deadline = monotonic() + within
        while len(found := self.rows(sql, params)) < count and monotonic() < deadline:
            sleep(0.2)
        return found


ALL_DAY = CallingWindow(start=time(0, 0), end=time(23, 59, 59, 999_999))
"""Calling hours for a browser test that runs on the real clock: whatever the hour CI runs at,
every family may be called (and "next household" finds one)."""


def change_campaign(store: Store, campaign: Campaign, **changes: Any) -> Campaign:
    """Change the stored campaign as a supervisor's edit would (devices see it at next pull)."""
    changed = campaign.model_copy(update=changes)
    with store.transaction() as db:
        db.execute(
            "UPDATE campaigns SET body = ?, version = version + 1 WHERE id = ?",
            [changed.model_dump_json(), changed.id],
        )
    return changed


@contextmanager
def mounted_bank(data_dir: Path, **campaign_changes: Any) -> Iterator[PhoneBankServer]:
    """The seeded bank in ``data_dir``, served with the caller app mounted at /app/ (one
    origin, one process); ``campaign_changes`` are made to its campaign first."""
    data_dir.mkdir()
    store = Store(data_dir / "phonebank.sqlite")
    bank = seed_bank(store)
    if campaign_changes:
        change_campaign(store, bank.campaign, **campaign_changes)
    server = ServerProcess(store.path).start(ready="/app/")
    try:
        yield PhoneBankServer(store, bank, server)
    finally:
        server.stop()
        store.close()


@dataclass
class ConsoleBank:
    """A supervisor, the demo's tech-check campaign and scripts, no households yet, and two
    callers whose phones have joined; the server running with the console mounted."""

    server: ServerProcess
    store: Store
    campaign: Campaign
    ana: JoinedDevice
    ben: JoinedDevice

    @classmethod
    def seed(cls, db_path: Path) -> ConsoleBank:
        """Seed ``db_path``; the server is not started."""
        store = Store(db_path)
        with store.transaction() as db:
            auth.create_supervisor(db, *SUPERVISOR)
            campaign = create_demo_campaign(db)
            ana = auth.create_caller(db, "Ana Reyes", ["es", "en"])
            ben = auth.create_caller(db, "Ben Tran", ["en", "vi"])
        server = ServerProcess(db_path)
        return cls(server, store, campaign, join_device(store, ana), join_device(store, ben))

    @property
    def console_url(self) -> str:
        return f"{self.server.url}/console/"

    def pull_households(self, phone: JoinedDevice) -> list[str]:
        """The households a device gets on a first pull, as the sync client would see them."""
        answer = httpx.post(
            f"{self.server.url}/api/v1/sync/pull",
            json={"device_id": phone.device_id, "cursor": None, "limit": 2000},
            headers=phone.headers,
            timeout=10,
        )
        answer.raise_for_status()
        return sorted(
            change["id"]
            for change in answer.json()["changes"]
            if change["entity"] == "household" and change["op"] == "put"
        )

    def push(self, phone: JoinedDevice, events: list[Event]) -> dict[str, Any]:
        answer = httpx.post(
            f"{self.server.url}/api/v1/sync/push",
            json=push_body(phone.device_id, events),
            headers=phone.headers,
            timeout=10,
        )
        answer.raise_for_status()
        body: dict[str, Any] = answer.json()
        return body
