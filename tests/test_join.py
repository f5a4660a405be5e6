"""Invite codes, device tokens and supervisor passwords."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.core.errors import Conflict
from app.core.models import Caller
from sync_server import auth
from sync_server.db import Store


def new_code(store: Store, caller: Caller, ttl: timedelta = auth.INVITE_TTL) -> str:
    with store.transaction() as db:
        code, _ = auth.create_invite(db, caller.id, ttl)
    return code


def join(client: TestClient, code: str) -> httpx.Response:
    return client.post("/api/v1/join", json={"code": code, "device_name": "Ana's phone"})


def test_invite_codes_carry_at_least_40_bits() -> None:
    bits = auth.INVITE_LENGTH * math.log2(len(set(auth.INVITE_ALPHABET)))
    assert bits >= 40
    codes = {auth.new_invite_code() for _ in range(2000)}
    assert len(codes) == 2000


def test_joining_returns_a_token_that_works(
    client: TestClient, store: Store, make_caller: Callable[..., Caller]
) -> None:
    caller = make_caller("Marisol", ("es", "en"))
    response = join(client, new_code(store, caller))
    assert response.status_code == 200
    body = response.json()
    assert body["caller"] == caller.model_dump(mode="json")
    pull = client.post(
        "/api/v1/sync/pull",
        json={"device_id": body["device_id"]},
        headers={"Authorization": f"Bearer {body['token']}"},
    )
    assert pull.status_code == 200


@pytest.mark.parametrize("typing", [str.lower, lambda c: c.replace("-", " "), lambda c: f"  {c} "])
def test_a_code_typed_loosely_still_works(
    client: TestClient,
    store: Store,
    make_caller: Callable[..., Caller],
    typing: Callable[[str], str],
) -> None:
    code = new_code(store, make_caller())
    assert join(client, typing(code)).status_code == 200


def test_a_code_works_once(
    client: TestClient, store: Store, make_caller: Callable[..., Caller]
) -> None:
    code = new_code(store, make_caller())
    assert join(client, code).status_code == 200
    second = join(client, code)
    assert second.status_code == 400
    assert second.json()["message"] == "That invite code is wrong, already used or expired"


def test_two_devices_racing_for_one_code_give_one_device(
    client: TestClient, store: Store, make_caller: Callable[..., Caller]
) -> None:
    code = new_code(store, make_caller())
    statuses: list[int] = []
    threads = [
        threading.Thread(target=lambda: statuses.append(join(client, code).status_code))
        for _ in range(5)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 400, 400, 400, 400]
    with store.reading() as db:
        assert db.execute("SELECT count(*) FROM devices").fetchone()[0] == 1


def test_an_expired_code_is_refused(
    client: TestClient, store: Store, make_caller: Callable[..., Caller]
) -> None:
    code = new_code(store, make_caller(), ttl=timedelta(seconds=-1))
    assert join(client, code).status_code == 400


def test_secrets_are_stored_only_as_hashes(
    client: TestClient, store: Store, db_path: Path, make_caller: Callable[..., Caller]
) -> None:
    with store.transaction() as db:
        auth.create_supervisor(db, "lead", "a long passphrase")
    code = new_code(store, make_caller())
    token = join(client, code).json()["token"]
    session = client.post(
        "/api/v1/auth/login", json={"username": "lead", "password": "a long passphrase"}
    ).json()["token"]
    with store.reading() as db:
        db.execute("PRAGMA wal_checkpoint(FULL)")
        dump = "\n".join(db.conn.iterdump())
    for secret in (code, token, session, "a long passphrase"):
        assert secret not in dump
    assert "scrypt$" in dump


def test_a_wrong_password_is_refused(client: TestClient, store: Store) -> None:
    with store.transaction() as db:
        auth.create_supervisor(db, "lead", "a long passphrase")
    response = client.post("/api/v1/auth/login", json={"username": "lead", "password": "nope"})
    assert response.status_code == 401
    assert response.json()["message"] == "Wrong user name or password"


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("", "long enough", "A supervisor needs a user name"),
        ("lead", "short", "The password must have at least 8 characters"),
    ],
)
def test_a_supervisor_needs_a_name_and_a_real_password(
    store: Store, username: str, password: str, message: str
) -> None:
    with pytest.raises(Conflict, match=message), store.transaction() as db:
        auth.create_supervisor(db, username, password)


def test_passwords_verify_only_themselves() -> None:
    stored = auth.hash_password("correct horse")
    assert auth.verify_password("correct horse", stored)
    assert not auth.verify_password("correct horsE", stored)
    assert not auth.verify_password("correct horse", "md5$abc")
