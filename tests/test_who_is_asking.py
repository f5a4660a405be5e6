"""Who is asking is looked up at once when the store is free, and waits its turn when a
request holds it: the same answer either way (Store.read_soon)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from app.core.models import Caller
from sync_server.db import Store
from tests.support.phone_bank import JoinedDevice


@contextmanager
def store_busy(store: Store) -> Iterator[threading.Event]:
    """Another thread holds the store's lock until the yielded event is set."""
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store.lock:
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(5)
    try:
        yield release
    finally:
        release.set()
        holder.join()


def pull(client: TestClient, device: JoinedDevice, token: str | None = None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else device.headers
    return client.post(
        "/api/v1/sync/pull", json={"device_id": device.device_id}, headers=headers
    ).status_code


@pytest.mark.parametrize("busy", [False, True], ids=["store free", "store busy"])
def test_a_device_is_recognised_and_a_wrong_token_refused(
    client: TestClient,
    store: Store,
    make_caller: Callable[..., Caller],
    joined_device: Callable[[Caller], JoinedDevice],
    busy: bool,
) -> None:
    device = joined_device(make_caller())
    if not busy:
        assert (pull(client, device), pull(client, device, "not-a-token")) == (200, 401)
        return
    assert client.get("/api/openapi.json").status_code == 200  # made once, then kept
    answers: list[int] = []
    with store_busy(store) as release:
        asking = threading.Thread(
            target=lambda: answers.extend([pull(client, device), pull(client, device, "x")])
        )
        asking.start()
        asking.join(0.3)
        assert answers == []  # still waiting for the store, not answered without it
        # The wait is off the event loop: a request that needs no store is answered.
        document: list[int] = []
        reading = threading.Thread(
            target=lambda: document.append(client.get("/api/openapi.json").status_code)
        )
        reading.start()
        reading.join(3)
        assert (document, answers) == ([200], [])
        release.set()
        asking.join(10)
    assert answers == [200, 401]


def test_a_supervisor_is_recognised_while_the_store_is_busy(
    client: TestClient, store: Store, supervisor_headers: dict[str, str]
) -> None:
    answers: list[int] = []
    with store_busy(store) as release:
        asking = threading.Thread(
            target=lambda: answers.append(
                client.get("/api/v1/admin/callers", headers=supervisor_headers).status_code
            )
        )
        asking.start()
        asking.join(0.3)
        release.set()
        asking.join(10)
    assert answers == [200]
