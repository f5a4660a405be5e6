"""The sync client against the real server in-process: join, push, pull, status, the loop."""

from __future__ import annotations

import asyncio
import json
import random
import sys
import types
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from app.core.errors import InvalidInvite, PermanentSyncError, TransientSyncError
from app.core.models import Caller
from app.store import DeviceStore
from app.sync import Backoff, FetchTransport, SyncClient, SyncStatus
from tests.support.events import record_outcome
from tests.support.faulty_transport import FaultyTransport
from tests.support.phone_bank import PhoneBank

URL = "http://phonebank.test"
pytestmark = pytest.mark.anyio


class Sleeper:
    """An injectable sleep that records what was asked and never waits."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(0)


@pytest.fixture
async def client(
    device_store: DeviceStore, transport: FaultyTransport
) -> AsyncIterator[SyncClient]:
    async with SyncClient(device_store, transport=transport, rng=random.Random(7)) as sync_client:
        yield sync_client


async def joined(client: SyncClient, bank: PhoneBank, caller: Caller, sync: bool = True) -> None:
    await client.join(URL, bank.invite(caller), device_name="Ana's phone")
    if sync:
        await client.sync_once()


def pushes(transport: FaultyTransport) -> list[list[int]]:
    """The seqs of each push the server received."""
    return [
        [event["seq"] for event in json.loads(body)["events"]]
        for path, body in transport.sent
        if path.endswith("/push")
    ]


# -- join and a first sync ------------------------------------------------------------------


async def test_join_then_sync_fills_the_device_with_the_callers_list(
    client: SyncClient, device_store: DeviceStore, bank: PhoneBank, ana: Caller
) -> None:
    mine = bank.households(ana, 3)
    bank.households(bank.caller("Bo"), 2, start=10)
    caller = await client.join(URL + "/", bank.invite(ana).lower())
    assert caller == ana
    identity = device_store.identity
    assert identity is not None and identity.server_url == URL and identity.caller == ana
    [server_device] = bank.rows("SELECT * FROM devices")
    assert server_device["id"] == identity.device_id

    report = await client.sync_once()
    assert report.reset and report.pushed == 0
    assert {item.household_id for item in device_store.households_for_list()} == {
        h.id for h in mine
    }
    assert [c.id for c in device_store.campaigns()] == [bank.campaign.id]
    assert device_store.cursor is not None
    assert client.status.last_success_at is not None and client.status.last_error is None


async def test_a_wrong_invite_code_saves_nothing(
    client: SyncClient, device_store: DeviceStore, bank: PhoneBank
) -> None:
    with pytest.raises(InvalidInvite, match="wrong, already used or expired"):
        await client.join(URL, "ZZZZZ-ZZZZZ")
    assert device_store.identity is None
    assert bank.rows("SELECT * FROM devices") == []


async def test_an_outcome_reaches_the_server_once_and_comes_back_once(
    client: SyncClient, device_store: DeviceStore, bank: PhoneBank, ana: Caller
) -> None:
    [household] = bank.households(ana, 1)
    await joined(client, bank, ana)
    event = record_outcome(
        device_store,
        bank.campaign.id,
        household.id,
        "call_back_later",
        callback_at=datetime(2030, 1, 1, tzinfo=UTC),
    )
    assert client.status.pending == 1
    report = await client.sync_once()
    assert report.pushed == 1
    [stored] = bank.events()
    assert (stored["event_id"], stored["seq"], stored["quarantined"]) == (str(event.event_id), 1, 0)
    assert [row["state"] for row in device_store.db.query("SELECT state FROM outbox")] == ["acked"]
    # The server sent the outcome and its callback back; each is still there once.
    assert [row["event_id"] for row in device_store.db.query("SELECT event_id FROM outcomes")] == [
        str(event.event_id)
    ]
    [listed] = device_store.households_for_list()
    assert (listed.state.group, listed.state.attempts) == ("callback", 1)
    assert len(device_store.follow_ups()) == 1
    assert client.status.pending == 0


async def test_push_goes_in_batches_of_at_most_200_and_pull_pages_until_done(
    device_store: DeviceStore, transport: FaultyTransport, bank: PhoneBank, ana: Caller
) -> None:
    households = bank.households(ana, 7)
    async with SyncClient(device_store, transport=transport, pull_limit=3) as client:
        await joined(client, bank, ana, sync=False)
        first = await client.sync_once()
        assert (first.pulled, first.pages) == (15, 5)  # campaign, 7 households, 7 assignments
        assert len(device_store.households_for_list()) == 7
        for index in range(450):
            record_outcome(device_store, bank.campaign.id, households[index % 7].id, "no_answer")
        report = await client.sync_once()
    assert [len(batch) for batch in pushes(transport)] == [200, 200, 50]
    assert report.pushed == 450
    assert [row["seq"] for row in bank.events()] == list(range(1, 451))
    assert len(list(device_store.db.query("SELECT 1 FROM outcomes"))) == 450
    pulls = [json.loads(body) for path, body in transport.sent if path.endswith("/pull")]
    assert pulls[0]["cursor"] is None and pulls[0]["limit"] == 3
    assert all(p["cursor"] for p in pulls[1:])


async def test_a_refused_event_is_parked_and_the_rest_goes_through(
    client: SyncClient,
    device_store: DeviceStore,
    transport: FaultyTransport,
    bank: PhoneBank,
    ana: Caller,
) -> None:
    [household] = bank.households(ana, 1)
    await joined(client, bank, ana)
    events = [
        record_outcome(device_store, bank.campaign.id, household.id, "busy") for _ in range(5)
    ]
    transport.refuse_event(events[2].event_id)
    report = await client.sync_once()
    assert (report.pushed, report.parked) == (4, 1)
    assert [row["event_id"] for row in bank.events()] == [
        str(e.event_id) for e in events if e is not events[2]
    ]
    assert [row["seq"] for row in bank.events()] == [1, 2, 3, 4]
    [parked] = device_store.parked_events()
    assert parked.event_id == events[2].event_id and "refused" in parked.reason
    assert client.status.parked == 1 and "refused 1 change" in (client.status.last_error or "")

    transport.refused_events.clear()  # say the server was fixed: try it again
    device_store.retry_parked(parked.event_id)
    await client.sync_once()
    assert [row["seq"] for row in bank.events()][-1] == 5
    assert device_store.parked_events() == [] and device_store.pending_count() == 0


async def test_a_refused_pull_is_a_permanent_error_in_plain_words(
    client: SyncClient, transport: FaultyTransport, bank: PhoneBank, ana: Caller
) -> None:
    await joined(client, bank, ana)
    transport.fail("sync/pull", "refuse")
    with pytest.raises(PermanentSyncError):
        await client.sync_once()
    assert client.status.last_error == "Invalid request — events.0.payload: refused"


@pytest.mark.parametrize(
    ("fault", "online", "words"),
    [("lose_request", False, "Offline"), ("server_error", True, "HTTP 503")],
)
async def test_network_and_server_errors_are_transient(
    client: SyncClient,
    device_store: DeviceStore,
    transport: FaultyTransport,
    bank: PhoneBank,
    ana: Caller,
    fault: Any,
    online: bool,
    words: str,
) -> None:
    [household] = bank.households(ana, 1)
    await joined(client, bank, ana)
    last_success = client.status.last_success_at
    record_outcome(device_store, bank.campaign.id, household.id, "busy")
    transport.fail("sync/push", fault)
    with pytest.raises(TransientSyncError):
        await client.sync_once()
    assert client.status.online is online
    assert words in (client.status.last_error or "")
    assert client.status.pending == 1 and client.status.last_success_at == last_success
    assert bank.events() == []


# -- status ---------------------------------------------------------------------------------


def test_status_tells_subscribers_once_per_change() -> None:
    status = SyncStatus()
    seen: list[tuple[bool, int]] = []
    unsubscribe = status.subscribe(lambda s: seen.append((s.online, s.pending)))
    status.update(online=False, pending=3)
    status.update(pending=3)  # no change, no call
    unsubscribe()
    status.update(pending=4)
    assert seen == [(False, 3)]
    with pytest.raises(AttributeError):
        status.update(colour="green")


# -- backoff and the loop -------------------------------------------------------------------


def test_backoff_grows_with_jitter_up_to_the_cap() -> None:
    backoff = Backoff(base=2, factor=2, cap=60)
    rng = random.Random(1)
    assert [backoff.ceiling(n) for n in range(1, 8)] == [2, 4, 8, 16, 32, 60, 60]
    for failures in range(1, 2000, 7):
        delay = backoff.delay(failures, rng)
        assert backoff.ceiling(failures) / 2 <= delay <= backoff.ceiling(failures)
    assert len({round(backoff.delay(3, rng), 6) for _ in range(20)}) > 1


async def test_the_loop_backs_off_on_errors_and_resets_when_back_online(
    device_store: DeviceStore, transport: FaultyTransport, bank: PhoneBank, ana: Caller
) -> None:
    [household] = bank.households(ana, 1)
    sleeper = Sleeper()
    backoff = Backoff(base=1, factor=2, cap=8)
    async with SyncClient(
        device_store, transport=transport, sleep=sleeper, backoff=backoff, rng=random.Random(3)
    ) as client:
        await joined(client, bank, ana)
        record_outcome(device_store, bank.campaign.id, household.id, "busy")
        transport.offline = True

        async def go_online_after_six_failures(seconds: float) -> None:
            await sleeper(seconds)
            if len(sleeper.delays) == 6:
                transport.offline = False
                client.notify_online()
            if len(sleeper.delays) == 7:
                client.stop()

        client._sleep = go_online_after_six_failures
        await asyncio.wait_for(client.run(interval=30), timeout=10)
    ceilings = [1, 2, 4, 8, 8, 8]
    assert all(c / 2 <= d <= c for c, d in zip(ceilings, sleeper.delays, strict=False))
    assert sleeper.delays[6] == 30  # back online: synced, then the normal interval
    assert [row["seq"] for row in bank.events()] == [1]
    assert client.status.online and client.status.pending == 0


async def test_recording_an_outcome_wakes_the_loop(
    device_store: DeviceStore, transport: FaultyTransport, bank: PhoneBank, ana: Caller
) -> None:
    [household] = bank.households(ana, 1)
    never = asyncio.Event()

    async def long_sleep(seconds: float) -> None:
        await never.wait()

    async with SyncClient(device_store, transport=transport, sleep=long_sleep) as client:
        await joined(client, bank, ana)
        loop = asyncio.ensure_future(client.run(interval=3600))
        for _ in range(200):
            if client.status.last_success_at is not None:
                break
            await asyncio.sleep(0.01)
        record_outcome(device_store, bank.campaign.id, household.id, "no_answer")
        for _ in range(500):
            if bank.events():
                break
            await asyncio.sleep(0.01)
        client.stop()
        await asyncio.wait_for(loop, timeout=5)
    assert len(bank.events()) == 1


# -- the browser transport, with a stand-in for pyodide.http ---------------------------------


class FakeFetchResponse:
    def __init__(self, status: int, headers: dict[str, str], content: bytes) -> None:
        self.status, self.headers, self._content = status, headers, content

    async def bytes(self) -> bytes:
        return self._content


async def test_fetch_transport_speaks_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []

    async def pyfetch(url: str, **options: Any) -> FakeFetchResponse:
        calls.append({"url": url, **options})
        if "offline" in url:
            raise OSError("TypeError: Failed to fetch")
        # fetch already un-gzipped the body but still reports the encoding.
        return FakeFetchResponse(200, {"content-encoding": "gzip"}, b'{"ok": true}')

    http_module = types.ModuleType("pyodide.http")
    http_module.pyfetch = pyfetch  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pyodide", types.ModuleType("pyodide"))
    monkeypatch.setitem(sys.modules, "pyodide.http", http_module)

    async with httpx.AsyncClient(transport=FetchTransport()) as http:
        answer = await http.post("http://phonebank.test/api/v1/sync/pull", json={"a": 1})
        assert answer.json() == {"ok": True}
        with pytest.raises(httpx.ConnectError, match="Failed to fetch"):
            await http.get("http://offline.test/")
    assert calls[0]["method"] == "POST" and calls[0]["body"] == b'{"a":1}'
    assert "host" not in calls[0]["headers"] and "content-length" not in calls[0]["headers"]
    assert calls[0]["headers"]["content-type"] == "application/json"


async def test_after_a_401_the_loop_stops_asking_until_the_caller_rejoins(
    device_store: DeviceStore, transport: FaultyTransport, bank: PhoneBank, ana: Caller
) -> None:
    [household] = bank.households(ana, 1)
    sleeper = Sleeper()
    async with SyncClient(device_store, transport=transport, sleep=sleeper) as client:
        await joined(client, bank, ana)
        record_outcome(device_store, bank.campaign.id, household.id, "busy")
        transport.fail("sync/push", "unauthorized")
        requests_before = len(transport.sent)
        loop = asyncio.ensure_future(client.run(interval=5))
        for _ in range(100):
            await asyncio.sleep(0.01)
        assert client.status.rejoin_needed and client.status.pending == 1
        assert len(transport.sent) == requests_before  # idle: nothing more was sent
        await joined(client, bank, ana, sync=False)
        for _ in range(300):
            if bank.events():
                break
            await asyncio.sleep(0.01)
        client.stop()
        await asyncio.wait_for(loop, timeout=5)
    assert [row["seq"] for row in bank.events()] == [1]
    assert not client.status.rejoin_needed and client.status.pending == 0
